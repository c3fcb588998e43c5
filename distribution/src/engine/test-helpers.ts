/** Helpers for the engine's tests: temp folders and small input files written from rows. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp folder. */
export function tempDir(prefix = 'engine-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** One works.csv row. */
export interface WorkRow {
  workId: string;
  iswc?: string;
  title: string;
  partyId: string;
  partyName?: string;
  role?: string;
  right?: 'performing' | 'mechanical';
  share: string;
}

/** One usage.csv row. */
export interface UsageRow {
  usageId: string;
  workId?: string;
  iswc?: string;
  title?: string;
  creators?: string;
  plays: number;
  amount?: string;
}

/** Writes works.csv and returns its path. */
export async function writeWorksCsv(dir: string, rows: readonly WorkRow[], name = 'works.csv'): Promise<string> {
  const p = join(dir, name);
  const body = rows.map((r) => [r.workId, r.iswc ?? '', r.title, r.partyId, r.partyName ?? '', r.role ?? 'composer', r.right ?? 'performing', r.share].join(',')).join('\n');
  await writeFile(p, 'work_id,iswc,title,party_id,party_name,role,right,share\n' + body + '\n');
  return p;
}

/** Writes usage.csv and returns its path. */
export async function writeUsageCsv(dir: string, rows: readonly UsageRow[], name = 'usage.csv'): Promise<string> {
  const p = join(dir, name);
  const body = rows.map((r) => [r.usageId, r.workId ?? '', r.iswc ?? '', '', r.title ?? '', r.creators ?? '', r.plays, r.amount ?? ''].join(',')).join('\n');
  await writeFile(p, 'usage_id,work_id,iswc,isrc,title,creators,plays,amount\n' + body + '\n');
  return p;
}
