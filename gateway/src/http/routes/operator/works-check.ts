/**
 * Checks a set of works against the read model before any of them is written: a request split
 * into several ledger transactions must not stop half-way on a problem that was knowable up front.
 * It applies the chaincode's rules (unique ids and ISWCs, known creators, share holders that are
 * members, shares within 100 %) plus one of its own: share holders must be members of the same
 * collective, because a distribution of that collective can only credit its own members.
 */
import type postgres from 'postgres';
import type { ErrorCode } from '@rtl/chaincode';
import { normaliseIswc, shareUnits, type WorkInputT } from './repertoire-schemas';

/** A problem with one work. */
export interface WorkIssue {
  index: number;
  code: ErrorCode;
  field: string;
  message: string;
}

const FULL = 100 * 10_000;

/** Every problem of `works` (by index), given the collective that registers them. */
export async function checkWorks(sql: postgres.Sql, collectiveId: string, works: readonly WorkInputT[], field = 'works'): Promise<WorkIssue[]> {
  const issues: WorkIssue[] = [];
  const ids = works.map((w) => w.workId);
  const iswcs = works.flatMap((w) => (w.iswc ? [normaliseIswc(w.iswc)] : []));
  const partyIds = [...new Set(works.flatMap((w) => [...w.creators.flatMap((c) => (c.partyId ? [c.partyId] : [])), ...(w.shares.performing ?? []).map((s) => s.partyId), ...(w.shares.mechanical ?? []).map((s) => s.partyId)]))];
  const existingIds = new Set((await sql<{ id: string }[]>`select id from rm.works where id = any(${ids})`).map((r) => r.id));
  const existingIswcs = new Map((await sql<{ iswc: string; id: string }[]>`select iswc, id from rm.works where iswc = any(${iswcs})`).map((r) => [r.iswc, r.id]));
  const parties = new Map((await sql<PartyInfo[]>`select id, kind, collective_id from rm.parties where id = any(${partyIds})`).map((r) => [r.id, r]));

  const seenIds = new Map<string, number>();
  const seenIswcs = new Map<string, number>();
  works.forEach((w, i) => {
    const f = `${field}.${i}`;
    const add = (code: ErrorCode, sub: string, message: string) => issues.push({ index: i, code, field: `${f}.${sub}`, message });
    if (seenIds.has(w.workId)) add('VALIDATION.INVALID_ARGUMENT', 'workId', `work ${w.workId} appears twice (also at ${seenIds.get(w.workId)})`);
    else seenIds.set(w.workId, i);
    if (existingIds.has(w.workId)) add('ALREADY_EXISTS', 'workId', `work ${w.workId} is already registered`);
    if (w.iswc) {
      const iswc = normaliseIswc(w.iswc);
      if (seenIswcs.has(iswc)) add('VALIDATION.INVALID_ARGUMENT', 'iswc', `ISWC ${iswc} appears twice`);
      else seenIswcs.set(iswc, i);
      const holder = existingIswcs.get(iswc);
      if (holder) add('ALREADY_EXISTS', 'iswc', `ISWC ${iswc} is already registered to work ${holder}`);
    }
    w.creators.forEach((cr, j) => {
      if (cr.partyId && !parties.has(cr.partyId)) add('NOT_FOUND', `creators.${j}.partyId`, `no party ${cr.partyId}`);
    });
    for (const right of ['performing', 'mechanical'] as const) {
      const lines = w.shares[right];
      if (lines) issues.push(...shareSetIssues(lines, `${f}.shares.${right}`, parties, collectiveId).map((x) => ({ ...x, index: i })));
    }
  });
  return issues;
}

type PartyInfo = { id: string; kind: string; collective_id: string };

function shareSetIssues(lines: readonly { partyId: string; share: string }[], field: string, parties: ReadonlyMap<string, PartyInfo>, collectiveId: string): WorkIssue[] {
  const issues: WorkIssue[] = [];
  const add = (code: ErrorCode, f: string, message: string) => issues.push({ index: 0, code, field: f, message });
  const seen = new Set<string>();
  lines.forEach((l, j) => {
    const p = parties.get(l.partyId);
    if (seen.has(l.partyId)) add('VALIDATION.INVALID_ARGUMENT', `${field}.${j}.partyId`, `party ${l.partyId} appears twice`);
    seen.add(l.partyId);
    if (!p || p.collective_id !== collectiveId) add('NOT_FOUND', `${field}.${j}.partyId`, `no member ${l.partyId} in your collective`);
    else if (p.kind !== 'member') add('VALIDATION.INVALID_ARGUMENT', `${field}.${j}.partyId`, `party ${l.partyId} is not a member`);
    const u = shareUnits([l]);
    if (u <= 0 || u > FULL) add('VALIDATION.INVALID_ARGUMENT', `${field}.${j}.share`, 'a share is above 0 and at most 100');
  });
  if (shareUnits(lines) > FULL) add('SHARES.OVER_100', field, 'shares total more than 100 %');
  return issues;
}

/** Problems of one share set (field names start with `field`). */
export async function checkShareSet(sql: postgres.Sql, collectiveId: string, lines: readonly { partyId: string; share: string }[], field: string): Promise<WorkIssue[]> {
  const ids = lines.map((l) => l.partyId);
  const parties = new Map((await sql<PartyInfo[]>`select id, kind, collective_id from rm.parties where id = any(${ids})`).map((r) => [r.id, r]));
  return shareSetIssues(lines, field, parties, collectiveId);
}
