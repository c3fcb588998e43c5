import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MSP, operatorOf } from '../../../ledger/organisations';
import { createTestApp, type TestApp } from '../../../testing/test-app';
import { expectError, ok } from './test-support';

interface Pool {
  collectiveId: string;
  rightType: string;
  useType: string;
  period: string;
  currency: string;
  collected: string;
  distributionGross: string;
  distributed: string;
  managementFee: string;
  deductions: string;
  suspense: string;
  managementFeeRatio: string | null;
  undistributed: string;
  distributionRuns: number;
}
interface Age {
  collectiveId: string;
  currency: string;
  buckets: Array<{ age: string; pools: string; suspense: string; total: string }>;
  total: string;
}

/** Minor units of a 2-decimal amount, exactly. */
const fen = (s: string) => {
  const neg = s.startsWith('-');
  const [i = '0', f = ''] = s.replace('-', '').split('.');
  const v = BigInt(i) * 100n + BigInt(f.padEnd(2, '0'));
  return neg ? -v : v;
};
const fmt = (v: bigint) => `${v < 0n ? '-' : ''}${(v < 0n ? -v : v) / 100n}.${String((v < 0n ? -v : v) % 100n).padStart(2, '0')}`;

describe('public transparency figures', () => {
  let t: TestApp;
  const music = operatorOf(MSP.music);
  const pools = (query = '') => t.call('GET', `/api/public/transparency/pools${query}`, { headers: { 'cache-control': 'no-cache' } });
  const income = async (id: string, period: string, amount: string) => {
    const r = await t.services.ledger.submit(music, 'income:postIncome', {
      commandId: `test-${id}`, incomeId: id, collectiveId: 'MCSC', pool: { rightType: 'performing', useType: 'ktv', period }, amount, currency: 'CNY', source: { kind: 'society', reference: 'test' },
    });
    await t.services.projector.waitFor(r.txId);
  };
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reports per pool what was collected (payments and direct income) and that it is all undistributed before any run', async () => {
    const { items } = await ok<{ items: Pool[] }>(await pools());
    const expected = await t.services.sql<{ collective_id: string; use_type: string; period: string; total: string }[]>`
      select collective_id, use_type, period, sum(amount)::text as total from (
        select i.collective_id, i.use_type, i.period, p.amount from rm.payments p join rm.invoices i on i.id = p.invoice_id
        union all select collective_id, use_type, period, amount from rm.income) x
      group by 1, 2, 3 order by 1, 3, 2`;
    expect(expected.length).toBeGreaterThan(3);
    expect(items.map((p) => [p.collectiveId, p.useType, p.period, p.collected])).toEqual(expected.map((e) => [e.collective_id, e.use_type, e.period, e.total]));
    for (const p of items) {
      expect(p).toMatchObject({ undistributed: p.collected, distributionGross: '0.00', managementFee: '0.00', managementFeeRatio: null, distributionRuns: 0 });
    }
  });

  it('after a distribution run: gross, fee, deductions, distributed, suspense, the exact fee ratio and what is left', async () => {
    const pool = { rightType: 'performing', useType: 'ktv', period: '2026Q3' } as const;
    const before = (await ok<{ items: Pool[] }>(await pools('?collective=MCSC&period=2026Q3'))).items.find((p) => p.useType === 'ktv')!;
    const run = await t.services.ledger.submit(music, 'distribution:openDistribution', {
      commandId: 'test-open-run-1', runId: 'TEST-RUN-1', collectiveId: 'MCSC', pool, currency: 'CNY', method: 'pro_rata_points',
      gross: '300.00', managementFee: '100.00', deductions: '15.00', allocated: '150.00', suspense: '20.00', carriedForward: '15.00', rounding: '0.00',
      holderCount: 1, statementLineCount: 1, merkleRoot: 'a'.repeat(64),
      inputs: { usageDigest: 'b'.repeat(64), repertoireDigest: 'c'.repeat(64), parametersDigest: 'd'.repeat(64) },
      batches: [{ batchNo: 0, lineCount: 1, total: '165.00', digest: 'e'.repeat(64) }],
    });
    await t.services.projector.waitFor(run.txId);
    const after = (await ok<{ items: Pool[] }>(await pools('?collective=MCSC&period=2026Q3'))).items.find((p) => p.useType === 'ktv')!;
    expect(after).toEqual({
      ...before,
      distributionGross: '300.00',
      managementFee: '100.00',
      deductions: '15.00',
      distributed: '165.00',
      suspense: '20.00',
      managementFeeRatio: '0.3333', // 100 / 300 rounded to 4 decimals
      undistributed: fmt(fen(before.collected) - 30_000n),
      distributionRuns: 1,
    });
  });

  it('filters by collective and period and refuses bad filters with the field', async () => {
    const { items } = await ok<{ items: Pool[] }>(await pools('?collective=CAVCA'));
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((p) => p.collectiveId))).toEqual(new Set(['CAVCA']));
    expect((await ok<{ items: Pool[] }>(await pools('?period=2024Q1'))).items).toEqual([]);
    await expectError(await pools('?period=Q3'), 400, 'VALIDATION.INVALID_ARGUMENT', 'period');
    await expectError(await pools('?collective=a%20b'), 400, 'VALIDATION.INVALID_ARGUMENT', 'collective');
  });

  it('groups undistributed money by age since the end of its period', async () => {
    await income('AGE-OLD', '2025Q1', '123.45'); // ended 2025-03-31: over 12 months by 2026-11-28
    await income('AGE-MAY', '2026M05', '0.10'); // ended 2026-05-31: 3–6 months
    await income('AGE-MAY2', '2026M05', '0.20');
    await income('AGE-NOW', '2026Q4', '7.00'); // not ended yet
    const res = await ok<{ asOf: string; items: Age[] }>(await t.call('GET', '/api/public/transparency/undistributed-by-age?collective=MCSC&asOf=2026-11-28'));
    expect(res.asOf).toBe('2026-11-28');
    const [mcsc] = res.items;
    expect(res.items.length).toBe(1);
    const bucket = (age: string) => mcsc!.buckets.find((b) => b.age === age)!;
    expect(mcsc!.buckets.map((b) => b.age)).toEqual(['not_ended', '0-3m', '3-6m', '6-9m', '9-12m', 'over-12m']);
    expect(bucket('over-12m')).toEqual({ age: 'over-12m', pools: '123.45', suspense: '0.00', total: '123.45' });
    expect(bucket('3-6m').pools).toBe('0.30');
    expect(bucket('not_ended').pools).toBe('7.00');
    // 2026Q3 ended on 2026-09-30: its pools (less the run above) and the run's suspense are 0–3 months old.
    const q3 = (await ok<{ items: Pool[] }>(await pools('?collective=MCSC&period=2026Q3'))).items;
    expect(bucket('0-3m').pools).toBe(fmt(q3.reduce((a, p) => a + fen(p.undistributed), 0n)));
    expect(bucket('0-3m').suspense).toBe('20.00');
    expect(mcsc!.total).toBe(fmt(mcsc!.buckets.reduce((a, b) => a + fen(b.total), 0n)));
    // A year later everything that had ended is over 12 months old.
    const later = await ok<{ items: Age[] }>(await t.call('GET', '/api/public/transparency/undistributed-by-age?collective=MCSC&asOf=2028-01-01'));
    expect(later.items[0]!.buckets.find((b) => b.age === 'over-12m')!.total).toBe(mcsc!.total);
  });

  it('refuses a bad date or collective with the field', async () => {
    await expectError(await t.call('GET', '/api/public/transparency/undistributed-by-age?asOf=yesterday'), 400, 'VALIDATION.INVALID_ARGUMENT', 'asOf');
    await expectError(await t.call('GET', '/api/public/transparency/undistributed-by-age?collective=%25'), 400, 'VALIDATION.INVALID_ARGUMENT', 'collective');
  });
});
