import { describe, expect, it } from 'vitest';
import type { DistributionResult } from '../engine/compute';
import { runDistribution } from '../engine/run';
import { tempDir, writeUsageCsv, writeWorksCsv, type UsageRow, type WorkRow } from '../engine/test-helpers';
import { hashLeaf } from '../merkle/tree';
import { isValidIswc } from '../parsers/identifiers';
import { StatementLeafWriter } from './leaf-writer';
import { statementLineJsonAt } from './line';
import { buildStatementTree } from './proofs';

/** An ISWC with a valid check digit for body `n` (9 digits). */
function iswc(n: number): string {
  const body = String(n).padStart(9, '0');
  for (let d = 0; d < 10; d++) if (isValidIswc(`T${body}${d}`)) return `T${body}${d}`;
  throw new Error('no check digit');
}

/** A run with more statement lines than one gathered batch, some works with ISWCs and escaped (CSV-quoted here) or non-ASCII titles. */
async function largeRun(gross: string): Promise<DistributionResult> {
  const dir = await tempDir();
  const works: WorkRow[] = [];
  for (let w = 0; w < 400; w++) {
    const title = w % 50 === 7 ? `"Chanson ""${w}"" été"` : w % 31 === 3 ? `歌 ${w}` : `Title ${w}`;
    const code = w % 3 === 0 ? iswc(100000 + w) : undefined;
    works.push({ workId: `W${w}`, ...(code ? { iswc: code } : {}), title, partyId: `P${w % 37}`, share: '50' });
    works.push({ workId: `W${w}`, ...(code ? { iswc: code } : {}), title, partyId: `Q${w % 11}`, share: '33.333333' });
  }
  const usage: UsageRow[] = Array.from({ length: 1200 }, (_, i) => ({ usageId: `U${i}`, workId: `W${(i * 7) % 400}`, plays: 1 + (i % 13) }));
  const { result } = await runDistribution({
    works: await writeWorksCsv(dir, works),
    usage: await writeUsageCsv(dir, usage),
    parameters: { currency: 'CNY', gross, right: 'performing', method: 'pro_rata_points', managementFeeRate: '0.15', deductionRate: '0.05', threshold: '0' },
  });
  return result;
}

describe('StatementLeafWriter', () => {
  it('writes the canonical JSON of any line, in any order, across gathered batches', async () => {
    for (const gross of ['12345.67', '90071992547409.93']) {
      const r = await largeRun(gross);
      expect(r.lines.count).toBeGreaterThan(600);
      const w = new StatementLeafWriter(r);
      const order = Array.from({ length: r.lines.count }, (_, i) => (i * 389) % r.lines.count);
      for (const i of order) expect(w.lineText(i)).toBe(statementLineJsonAt(r, i, 2));
    }
  });

  it('hashes every leaf alike on one thread and on two, with slots of any size', async () => {
    const r = await largeRun('98765.43');
    const expected = Buffer.concat(Array.from({ length: r.lines.count }, (_, i) => hashLeaf(statementLineJsonAt(r, i, 2)))).toString('hex');
    for (const options of [{ minParallel: Infinity }, { minParallel: 1 }, { minParallel: 1, slotBytes: 600, slotLeaves: 3 }, { minParallel: 1, slotBytes: 4096, slotLeaves: 1000 }]) {
      expect(StatementLeafWriter.hashAll(r, options).toString('hex'), JSON.stringify(options)).toBe(expected);
    }
    expect(buildStatementTree(r).leafHash(5).toString('hex')).toBe(expected.slice(5 * 64, 6 * 64));
  });
});
