/**
 * CWR import: a CISAC CWR 2.x file becomes works with shares on the ledger. Writers and
 * publishers are mapped to the collective's members by IPI name number; ownership shares map
 * PR → performing and MR → mechanical (CWR shares are percentages with two decimals). An unknown
 * IPI is reported and its share stays unclaimed — or, on request, the party is registered as a
 * member first. Bad CWR records and works the ledger would refuse are reported with their line and
 * reason; the rest is registered in batches, each step with a command id derived from the import's,
 * so a retried import re-sends the same steps and the committed ones return their first result.
 */
import type { AuthUser } from '../../../auth/identity';
import { ledgerIdentityFor } from '../../../auth/identity';
import { parseCwr, type CwrWork } from '@rtl/distribution/parsers/cwr';
import type { RejectedLine } from '@rtl/distribution/parsers/common';
import type { LedgerFunction } from '../../../ledger/port';
import type { Services } from '../../../services';
import { stepCommandId, submitAndWait } from './common';
import { registerWorkBatches } from './repertoire';
import { WorkInput, type WorkInputT } from './repertoire-schemas';
import { checkWorks } from './works-check';

/** Options of an import. */
export interface CwrImportOptions {
  /** Register writers and publishers whose IPI is unknown as members of the collective. */
  registerUnknown: boolean;
  /** Date the imported shares take effect; default the CWR header's creation date. */
  effectiveFrom?: string;
}

/** What an import did. */
export interface CwrImportReport {
  sender: string | null;
  effectiveFrom: string;
  received: number;
  registered: string[];
  rejected: Array<{ line: number; workId: string | null; field: string | null; code: string; reason: string }>;
  unknownIpis: Array<{ ipiNameNumber: string; name: string; lines: number[]; registeredAs: string | null }>;
  /** Writers and publishers without an IPI name number: their shares stay unclaimed. */
  unidentified: Array<{ line: number; name: string }>;
  parse: { lines: number; errorCount: number; warningCount: number };
  batches: Array<{ batch: number; works: number; txId: string; blockNumber: string }>;
}

const WRITER_ROLE: Record<string, WorkInputT['creators'][number]['role']> = {
  C: 'composer',
  A: 'author',
  CA: 'author_composer',
  AR: 'arranger',
  AD: 'arranger',
  TR: 'translator',
  SA: 'author',
  SR: 'author',
  PA: 'author',
};
const MEMBER_TYPE: Record<string, 'composer' | 'author' | 'author_composer'> = { C: 'composer', A: 'author', CA: 'author_composer' };

/** A CWR share (`"50.00"`, two decimals) as the ledger's percentage (at most four decimals). */
function share(text: string): string {
  const [i = '0', f = ''] = text.split('.');
  return `${Number(i)}${f && /[1-9]/.test(f) ? `.${f.replace(/0+$/, '')}` : ''}`;
}

function hundredths(text: string): number {
  const [i = '0', f = ''] = text.split('.');
  return Number(i) * 100 + Number((f + '00').slice(0, 2));
}

function ymd(cwrDate: string | undefined): string | undefined {
  return cwrDate && /^\d{8}$/.test(cwrDate) ? `${cwrDate.slice(0, 4)}-${cwrDate.slice(4, 6)}-${cwrDate.slice(6, 8)}` : undefined;
}

/** The party id given to a member registered from a CWR file: derived from the IPI, so a re-import finds it. */
export function ipiPartyId(collectiveId: string, ipi: string): string {
  return `${collectiveId}-IPI${ipi}`;
}

/** Parses a CWR file (bad records quarantined) and returns its works, rejects and header. */
export async function readCwr(bytes: Buffer): Promise<{ works: CwrWork[]; rejects: RejectedLine[]; summary: Awaited<ReturnType<ReturnType<typeof parseCwr>['collect']>>['summary'] }> {
  const rejects: RejectedLine[] = [];
  const { records, summary } = await parseCwr([bytes], { onError: 'quarantine', rejects }).collect();
  return { works: records, rejects, summary };
}

/** Submits one step of an import for `user`, with a command id derived from the import's, and waits for the read model. */
function stepSubmitter(services: Services, user: AuthUser, baseCommandId: string) {
  const identity = ledgerIdentityFor(user);
  return (step: string, fn: LedgerFunction, args: Record<string, unknown>) => submitAndWait(services, identity, fn, { ...args, commandId: stepCommandId(baseCommandId, step) });
}

/** An import's plan: the report so far and the works to register, fixed before the first work is written. */
export interface CwrImportPlan {
  report: CwrImportReport;
  works: WorkInputT[];
}

/**
 * Plans an import for `user` (an operator of `collectiveId`): parses the file, maps IPIs (and
 * registers unknown ones as members when asked — idempotent steps), and checks every work against
 * the ledger's rules. `baseCommandId` is the request's command id.
 */
export async function planCwrImport(services: Services, user: AuthUser, collectiveId: string, bytes: Buffer, baseCommandId: string, options: CwrImportOptions): Promise<CwrImportPlan> {
  const { sql } = services;
  const submit = stepSubmitter(services, user, baseCommandId);
  const { works: cwrWorks, rejects, summary } = await readCwr(bytes);
  const effectiveFrom = options.effectiveFrom ?? ymd(summary.header?.creationDate) ?? new Date().toISOString().slice(0, 10);
  const report: CwrImportReport = {
    sender: summary.header?.senderName ?? null,
    effectiveFrom,
    received: cwrWorks.length + (summary.worksRejected ?? 0),
    registered: [],
    rejected: rejects.map((r) => ({ line: r.line, workId: null, field: r.field ?? null, code: r.code, reason: r.message })),
    unknownIpis: [],
    unidentified: [],
    parse: { lines: summary.lines, errorCount: summary.errorCount, warningCount: summary.warningCount },
    batches: [],
  };

  // Map every IPI in the file to a member of the collective.
  const ipis = [...new Set(cwrWorks.flatMap((w) => [...w.writers, ...w.publishers].flatMap((p) => (p.ipiNameNumber ? [p.ipiNameNumber] : []))))];
  const known = new Map(
    (await sql<{ id: string; ipi_name_number: string }[]>`select id, ipi_name_number from rm.parties where collective_id = ${collectiveId} and kind = 'member' and ipi_name_number = any(${ipis}) order by id`).map((r) => [r.ipi_name_number, r.id]),
  );
  const unknown = new Map<string, CwrImportReport['unknownIpis'][number] & { memberType: 'composer' | 'author' | 'author_composer' | 'publisher' }>();
  for (const w of cwrWorks) {
    for (const p of [...w.writers.map((x) => ({ ...x, name: [x.lastName, x.firstName].filter(Boolean).join(', '), memberType: MEMBER_TYPE[x.designation ?? ''] ?? ('author_composer' as const) })), ...w.publishers.map((x) => ({ ...x, memberType: 'publisher' as const }))]) {
      if (!p.ipiNameNumber) {
        if (!p.unknown && (hundredths(p.ownership.pr) > 0 || hundredths(p.ownership.mr) > 0)) report.unidentified.push({ line: p.line, name: p.name });
        continue;
      }
      if (known.has(p.ipiNameNumber)) continue;
      const u = unknown.get(p.ipiNameNumber) ?? { ipiNameNumber: p.ipiNameNumber, name: p.name, lines: [], registeredAs: null, memberType: p.memberType };
      u.lines.push(p.line);
      unknown.set(p.ipiNameNumber, u);
    }
  }
  if (options.registerUnknown) {
    for (const u of unknown.values()) {
      const partyId = ipiPartyId(collectiveId, u.ipiNameNumber);
      const [exists] = await sql<{ collective_id: string }[]>`select collective_id from rm.parties where id = ${partyId}`;
      if (!exists) {
        await submit(`party:${u.ipiNameNumber}`, 'parties:registerParty', { partyId, collectiveId, kind: 'member', name: u.name.slice(0, 200) || partyId, memberType: u.memberType, ipiNameNumber: u.ipiNameNumber });
      } else if (exists.collective_id !== collectiveId) continue;
      known.set(u.ipiNameNumber, partyId);
      u.registeredAs = partyId;
    }
  }
  report.unknownIpis = [...unknown.values()].map(({ memberType: _m, ...u }) => u);

  // CWR works → ledger works; those that do not fit the ledger's schema are rejected here.
  const candidates: Array<{ line: number; work: WorkInputT }> = [];
  for (const w of cwrWorks) {
    const creators: WorkInputT['creators'] = [];
    const rights = { performing: new Map<string, number>(), mechanical: new Map<string, number>() };
    for (const wr of w.writers) {
      const name = [wr.lastName, wr.firstName].filter(Boolean).join(', ');
      const partyId = wr.ipiNameNumber ? known.get(wr.ipiNameNumber) : undefined;
      if (name) creators.push({ name: name.slice(0, 200), role: WRITER_ROLE[wr.designation ?? ''] ?? 'author_composer', ...(partyId && { partyId }), ...(wr.ipiNameNumber && { ipiNameNumber: wr.ipiNameNumber }) });
    }
    for (const pb of w.publishers) {
      const partyId = pb.ipiNameNumber ? known.get(pb.ipiNameNumber) : undefined;
      if (pb.name) creators.push({ name: pb.name.slice(0, 200), role: pb.type === 'SE' ? 'sub_publisher' : 'publisher', ...(partyId && { partyId }), ...(pb.ipiNameNumber && { ipiNameNumber: pb.ipiNameNumber }) });
    }
    for (const p of [...w.writers, ...w.publishers]) {
      const partyId = p.ipiNameNumber ? known.get(p.ipiNameNumber) : undefined;
      if (!partyId) continue;
      // A party listed twice on a work (e.g. as writer and as its own publisher) holds the sum.
      for (const [right, key] of [['performing', 'pr'], ['mechanical', 'mr']] as const) {
        const h = hundredths(p.ownership[key]);
        if (h > 0) rights[right].set(partyId, (rights[right].get(partyId) ?? 0) + h);
      }
    }
    const lines = (m: Map<string, number>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([partyId, h]) => ({ partyId, share: share(`${Math.floor(h / 100)}.${String(h % 100).padStart(2, '0')}`) }));
    const parsed = WorkInput.safeParse({
      workId: w.submitterWorkId,
      ...(w.iswc && { iswc: w.iswc }),
      title: w.title,
      alternateTitles: w.alternateTitles.map((t) => t.title).filter(Boolean).slice(0, 20),
      creators: creators.slice(0, 30),
      shares: { performing: lines(rights.performing), mechanical: lines(rights.mechanical) },
      effectiveFrom,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      report.rejected.push({ line: w.line, workId: w.submitterWorkId || null, field: issue.path.map(String).join('.'), code: 'VALIDATION.INVALID_ARGUMENT', reason: issue.message });
      continue;
    }
    candidates.push({ line: w.line, work: parsed.data });
  }

  // Works the ledger would refuse (already registered, duplicate ISWC, shares over 100 %…) are reported, not sent.
  const issues = await checkWorks(sql, collectiveId, candidates.map((x) => x.work));
  const bad = new Map<number, (typeof issues)[number]>();
  for (const i of issues) if (!bad.has(i.index)) bad.set(i.index, i);
  const accepted: WorkInputT[] = [];
  candidates.forEach((x, i) => {
    const issue = bad.get(i);
    if (issue) report.rejected.push({ line: x.line, workId: x.work.workId, field: issue.field.replace(/^works\.\d+\./, ''), code: issue.code, reason: issue.message });
    else accepted.push(x.work);
  });
  report.rejected.sort((a, b) => a.line - b.line);
  return { report, works: accepted };
}

/**
 * Registers a plan's works in batches (steps `works:<n>`); a plan re-run after a failure re-sends
 * the same batches, and those already committed return their first result.
 */
export async function executeCwrImport(
  services: Services,
  user: AuthUser,
  collectiveId: string,
  plan: CwrImportPlan,
  baseCommandId: string,
  onProgress?: (fraction: number) => Promise<void> | void,
): Promise<CwrImportReport> {
  const submit = stepSubmitter(services, user, baseCommandId);
  const batches = await registerWorkBatches((n, works) => submit(`works:${n}`, 'repertoire:registerWorks', { collectiveId, works }), plan.works, (done, total) => onProgress?.(done / total));
  return { ...plan.report, batches, registered: plan.works.map((w) => w.workId) };
}
