import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateByWeights } from '../allocate';
import { BucketStore } from './buckets';
import type { DistributionParameters } from './parameters';
import { runDistribution } from './run';
import { tempDir, writeUsageCsv, writeWorksCsv, type UsageRow, type WorkRow } from './test-helpers';

// The allocation computes in doubles where values are small enough, divides weights by their
// common factor and falls back to bigints elsewhere. These properties spell the rule out in
// bigints from the result's own data, over inputs whose sizes cross every one of those paths.
describe('allocation equals the largest-remainder rule spelled out in bigints', () => {
  const share = fc.oneof(fc.integer({ min: 0, max: 100 }).map((p) => p * 1_000_000), fc.integer({ min: 0, max: 60_000_000 }));
  const arb = fc.record({
    works: fc.array(fc.array(fc.record({ party: fc.integer({ min: 0, max: 9 }), units: share }), { maxLength: 4 }), { minLength: 1, maxLength: 10 }),
    usage: fc.array(
      fc.record({
        work: fc.integer({ min: 0, max: 11 }),
        plays: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 2_000_000_000 })),
        amount: fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
      }),
      { minLength: 1, maxLength: 40 },
    ),
    gross: fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.bigInt({ min: 0n, max: 10n ** 17n })),
    weight: fc.constantFrom('1', '3', '0.000001', '1.234567'),
    perLine: fc.boolean(),
  });

  it('for the run, every holder’s lines and the suspense lines of works', async () => {
    const dir = await tempDir();
    await fc.assert(
      fc.asyncProperty(arb, async (c) => {
        const works: WorkRow[] = [];
        c.works.forEach((shares, i) => {
          for (const s of shares) works.push({ workId: `W${i}`, title: `Work ${i}`, partyId: `P${s.party}`, share: new Decimal(s.units).div(1_000_000).toFixed() });
          if (shares.length === 0) works.push({ workId: `W${i}`, title: `Work ${i}`, partyId: 'MECH', right: 'mechanical', share: '100' });
        });
        const usage: UsageRow[] = c.usage.map((u, i) => ({ usageId: `U${i}`, workId: `W${u.work}`, plays: u.plays, amount: new Decimal(u.amount).div(10_000).toFixed() }));
        const params: DistributionParameters = {
          currency: 'CNY',
          right: 'performing',
          method: c.perLine ? 'per_line_amounts' : 'pro_rata_points',
          gross: c.perLine ? undefined : new Decimal(c.gross.toString()).div(100).toFixed(2),
          managementFeeRate: '0.15',
          deductionRate: '0.05',
          threshold: '0',
          defaultWeight: c.weight,
        };
        const { result: r } = await runDistribution({ works: await writeWorksCsv(dir, works), usage: await writeUsageCsv(dir, usage), parameters: params });
        const t = r.totals;
        const all = [...r.holders, ...r.suspenseBuckets];
        const weights = all.map((x) => x.weight);
        if (weights.some((w) => w > 0n)) {
          expect(all.map((x) => x.net)).toEqual(allocateByWeights(t.distributable, weights));
          expect(all.map((x) => x.fee)).toEqual(allocateByWeights(t.managementFee, weights));
          expect(all.map((x) => x.deductions)).toEqual(allocateByWeights(t.deductions, weights));
        }
        const L = r.lines;
        for (const h of r.holders) {
          const lw: bigint[] = [];
          for (let i = h.lineStart; i < h.lineEnd; i++) lw.push(r.buckets.points(L.bucket[i]!) * BigInt(L.units[i]!));
          expect(lw.reduce((a, x) => a + x, 0n)).toBe(h.weight);
          for (const [col, total] of [[L.net, h.net], [L.fee, h.fee], [L.deductions, h.deductions]] as const) {
            expect(Array.from(col.subarray(h.lineStart, h.lineEnd))).toEqual(allocateByWeights(total, lw));
          }
        }
        for (const b of r.suspenseBuckets) {
          const ls = r.suspenseLines.filter((s) => s.code === b.code);
          if (b.code === 'SUSPENSE.UNCLAIMED_SHARE' || b.code === 'SUSPENSE.SHARES_EXCEED_100') {
            // Lines are in bucket order; their weights follow from plays and shares through the bucket store.
            const ws: bigint[] = [];
            for (let i = 0, k = 0; i < r.buckets.count && k < ls.length; i++) {
              const w = r.buckets.work[i]!;
              if (r.works.workId(w) !== ls[k]!.workId || r.sources[r.buckets.source[i]!] !== ls[k]!.source || r.buckets.points(i) === 0n) continue;
              ws.push(r.buckets.points(i) * BigInt(ls[k]!.shareUnits ?? 1));
              k++;
            }
            expect(ws).toHaveLength(ls.length);
            expect(ls.map((s) => s.net)).toEqual(allocateByWeights(b.net, ws));
            expect(ls.map((s) => s.fee)).toEqual(allocateByWeights(b.fee, ws));
          }
          expect(ls.reduce((a, s) => a + s.net, 0n)).toBe(b.net);
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe('BucketStore.select', () => {
  const store = () => {
    const s = new BucketStore(2);
    for (let i = 0; i < 5; i++) {
      const b = s.add(10 + i, i % 2);
      s.lines[b] = i + 1;
      s.plays[b] = 100 + i;
      for (let m = 0; m < 4; m++) s.methodPlays[b * 4 + m] = i * 10 + m;
      s.addPoints(b, 1000 * i, i === 3 ? 2n ** 60n : 0n);
    }
    return s;
  };
  const rows = (s: BucketStore) =>
    Array.from({ length: s.count }, (_, k) => [s.work[k], s.source[k], s.lines[k], s.plays[k], Array.from(s.methodPlays.subarray(k * 4, k * 4 + 4)), s.points(k), s.pointsNumber(k)]);

  it('copies a permutation, a subset and a list with repeats alike, overflow included', () => {
    const s = store();
    const all = rows(s);
    for (const order of [[4, 2, 0, 3, 1], [3, 1], [1, 3, 1, 3], []]) {
      const t = s.select(Int32Array.from(order), [7, 8]);
      expect(rows(t), `${order}`).toEqual(order.map((i) => [all[i]![0], [7, 8][all[i]![1] as number], ...all[i]!.slice(2)]));
    }
    expect(s.pointsNumber(3)).toBeNaN();
    expect(s.pointsNumber(2)).toBe(2000);
  });
});
