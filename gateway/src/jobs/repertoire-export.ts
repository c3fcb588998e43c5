/**
 * Exports a collective's repertoire from the read model as the engine's `works.csv` (and the
 * recordings as `recordings.csv`), with the share versions in force at the end of the pool's
 * period. The files are the run's published repertoire input: their digests go on the ledger, so a
 * regulator can re-run the distribution from them.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type postgres from 'postgres';
import type { WorkRecord } from '@rtl/chaincode';
import { WORKS_COLUMNS } from '@rtl/distribution/parsers/csv';

/** Last day of a pool period (`2026`, `2026H1`, `2026Q3`, `2026M07`), as `YYYY-MM-DD`. */
export function periodEnd(period: string): string {
  const year = Number(period.slice(0, 4));
  const rest = period.slice(4);
  let month = 12;
  if (rest.startsWith('H')) month = Number(rest.slice(1)) * 6;
  else if (rest.startsWith('Q')) month = Number(rest.slice(1)) * 3;
  else if (rest.startsWith('M')) month = Number(rest.slice(1));
  const last = new Date(Date.UTC(year, month, 0));
  return last.toISOString().slice(0, 10);
}

/** One CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** What an export wrote. */
export interface RepertoireExport {
  works: number;
  rows: number;
  recordings: number;
}

async function writeLines(path: string, lines: AsyncIterable<string>): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  for await (const line of lines) {
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * Writes `worksPath` and `recordingsPath` for `collectiveId` and right `right`, share versions as
 * of `asOf`. Rows: one per share holder of `right` (name from the party, role from the work's
 * credits), plus one zero-share row of the other right per creator, which carries the creator
 * names the matcher uses and keeps works without holders in the repertoire (their usage is then
 * held as an unclaimed share, not as an unidentified work). Ordered by work id.
 */
export async function exportRepertoire(
  sql: postgres.Sql,
  collectiveId: string,
  right: 'performing' | 'mechanical',
  asOf: string,
  worksPath: string,
  recordingsPath: string,
): Promise<RepertoireExport> {
  const other = right === 'performing' ? 'mechanical' : 'performing';
  const stats: RepertoireExport = { works: 0, rows: 0, recordings: 0 };
  async function* workLines(): AsyncGenerator<string> {
    yield `${WORKS_COLUMNS.join(',')}\n`;
    const cursor = sql<{ id: string; iswc: string | null; title: string; data: WorkRecord; holders: Array<{ partyId: string; share: string; name: string; memberType: string | null }> | null }[]>`
      select w.id, w.iswc, w.title, w.data,
        (select json_agg(json_build_object('partyId', h.party_id, 'share', h.share::text, 'name', p.name, 'memberType', p.member_type) order by h.party_id)
           from rm.share_holders h left join rm.parties p on p.id = h.party_id
          where h.work_id = w.id and h.right_type = ${right}
            and h.effective_from = (select max(s.effective_from) from rm.shares s where s.work_id = w.id and s.right_type = ${right} and s.effective_from <= ${asOf}::date)) as holders
      from rm.works w where w.collective_id = ${collectiveId} order by w.id`.cursor(500);
    for await (const rows of cursor) {
      let chunk = '';
      for (const w of rows) {
        stats.works++;
        const base = `${csvField(w.id)},${csvField(w.iswc ?? '')},${csvField(w.title)}`;
        for (const h of w.holders ?? []) {
          const credit = w.data.creators.find((c) => c.partyId === h.partyId);
          const role = credit?.role ?? (h.memberType === 'publisher' ? 'publisher' : 'composer');
          chunk += `${base},${csvField(h.partyId)},${csvField(h.name)},${csvField(role)},${right},${h.share}\n`;
          stats.rows++;
        }
        for (const c of w.data.creators) {
          chunk += `${base},${csvField(c.partyId ?? collectiveId)},${csvField(c.name)},${csvField(c.role)},${other},0\n`;
          stats.rows++;
        }
      }
      yield chunk;
    }
  }
  async function* recordingLines(): AsyncGenerator<string> {
    yield 'isrc,work_id\n';
    const cursor = sql<{ isrc: string; work_id: string }[]>`select isrc, work_id from rm.recordings where collective_id = ${collectiveId} order by isrc`.cursor(2000);
    for await (const rows of cursor) {
      stats.recordings += rows.length;
      yield rows.map((r) => `${csvField(r.isrc)},${csvField(r.work_id)}\n`).join('');
    }
  }
  await writeLines(worksPath, workLines());
  await writeLines(recordingsPath, recordingLines());
  return stats;
}
