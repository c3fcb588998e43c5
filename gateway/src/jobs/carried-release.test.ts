import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regulatorIdentity } from '../ledger/organisations';
import { createTestApp, type TestApp } from '../testing/test-app';
import { DistributionJobs, distributionJobs } from './distribution-job';

interface Run {
  id: string;
  status: string;
  stage: string;
  summary: Record<string, unknown>;
  error: { code: string } | null;
  anchorTxIds: string[];
}

interface Release {
  memberId: string;
  amount: string;
  currency: string;
  threshold: string;
  status: string;
  receipt: { txId: string; blockNumber: string | null } | null;
}

const KTV = { rightType: 'performing', useType: 'ktv', period: '2026Q4' } as const;
const BGM = { rightType: 'performing', useType: 'background_music', period: '2026Q4' } as const;
const BROADCAST = { rightType: 'performing', useType: 'broadcast', period: '2026Q4' } as const;
interface Pool {
  readonly rightType: 'performing';
  readonly useType: string;
  readonly period: string;
}
const WORK = 'MCSC-WCARRY';
// One work, no fee: of each 100.00 pool M003 gets 60.00, M004 30.00, M001 6.00 and M002 4.00.
const SHARES = [
  { partyId: 'MCSC-M003', share: '60' },
  { partyId: 'MCSC-M004', share: '30' },
  { partyId: 'MCSC-M001', share: '6' },
  { partyId: 'MCSC-M002', share: '4' },
];

describe('carried-forward amounts are released once they reach the threshold', () => {
  let t: TestApp;
  const op = (method: string, path: string, body?: unknown, key?: string) =>
    t.call(method, `/api/operator${path}`, { as: 'music-operator', ...(body !== undefined && { body }), ...(key && { headers: { 'idempotency-key': key } }) });
  const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await (await res).json()) as T;
  const balance = async (account: string): Promise<string> => {
    const b = await t.services.ledger.evaluate<{ balances: Array<{ currency: string; balance: string }> }>(regulatorIdentity(), 'queries:getBalance', { account });
    return b.balances.find((x) => x.currency === 'CNY')?.balance ?? '0.00';
  };
  const waitDone = async (id: string): Promise<Run> => {
    for (let i = 0; i < 600; i++) {
      const { run } = await json<{ run: Run }>(op('GET', `/distributions/${id}`));
      if (run.status === 'done' || run.status === 'failed') return run;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`run ${id} did not finish`);
  };
  const distribute = async (pool: Pool, key: string, threshold = '10.00'): Promise<Run> => {
    const res = await op('POST', '/distributions', { pool, currency: 'CNY', method: 'points', feeRate: '0', deductionRate: '0', threshold }, key);
    expect(res.status).toBe(202);
    const run = await waitDone((await json<{ run: Run }>(res)).run.id);
    expect(run.error).toBeNull();
    return run;
  };
  const releasesOf = (runId: string) => json<{ items: Release[]; total: Array<{ currency: string; amount: string }> }>(op('GET', `/distributions/${runId}/carried-releases`));

  beforeAll(async () => {
    t = await createTestApp();
    const works = await op('POST', '/works', { works: [{ workId: WORK, title: 'Carry Forward Song', creators: [{ name: 'Composer Three', role: 'composer', partyId: 'MCSC-M003' }], shares: { performing: SHARES }, effectiveFrom: '2026-01-01' }] }, 'carry-works-0001');
    expect(works.status).toBe(201);
    for (const [pool, key] of [[KTV, 'carry-income-ktv'], [BGM, 'carry-income-bgm'], [BROADCAST, 'carry-income-broadcast']] as const) {
      const res = await op('POST', '/income', { incomeId: `INC-${key}`, pool, amount: '100.00', currency: 'CNY', source: { kind: 'society', reference: key } }, key);
      expect(res.status).toBe(201);
    }
    const upload = await t.call('POST', '/api/licensee/usage-reports?period=2026Q4', {
      as: 'licensee-MCSC-L001',
      body: `usage_id,work_id,iswc,isrc,title,creators,plays,amount\nu1,${WORK},,,,,10,\n`,
      headers: { 'content-type': 'text/csv', 'idempotency-key': 'carry-usage-0001' },
    });
    expect(upload.status).toBe(201);
  });
  afterAll(async () => {
    if (t) await distributionJobs(t.services).idle();
    await t?.close();
  });

  let second: Run;

  it('carries in run 1, carries again in run 2 and releases the accumulated balance that reached the threshold', async () => {
    for (const m of ['M001', 'M002', 'M003', 'M004']) expect(await balance(`member:MCSC-${m}:carried`)).toBe('0.00');

    const first = await distribute(KTV, 'carry-run-0001');
    expect(first.summary).toMatchObject({ carriedForward: '10.00', carriedReleasedCount: 0, carriedReleasedTotal: '0.00' });
    expect(await balance('member:MCSC-M001:carried')).toBe('6.00');
    expect(await balance('member:MCSC-M002:carried')).toBe('4.00');
    expect(await balance('member:MCSC-M003:payable')).toBe('60.00');
    expect((await releasesOf(first.id)).items).toEqual([]);

    second = await distribute(BGM, 'carry-run-0002');
    expect(second.summary).toMatchObject({ carriedForward: '10.00', carriedReleasedCount: 1, carriedReleasedTotal: '12.00' });
    // M001: 6.00 + 6.00 reached 10.00 and was released whole; M002: 4.00 + 4.00 stays carried.
    expect(await balance('member:MCSC-M001:carried')).toBe('0.00');
    expect(await balance('member:MCSC-M001:payable')).toBe('12.00');
    expect(await balance('member:MCSC-M002:carried')).toBe('8.00');
    expect(await balance('member:MCSC-M002:payable')).toBe('0.00');
    expect(await balance('member:MCSC-M003:payable')).toBe('120.00');
    // The anchoring transactions are the run's own; releases are listed separately.
    expect(second.anchorTxIds).toHaveLength(Number(second.summary.batchCount) + 2);

    const releases = await releasesOf(second.id);
    expect(releases.items).toMatchObject([{ memberId: 'MCSC-M001', amount: '12.00', currency: 'CNY', threshold: '10.00', status: 'released' }]);
    expect(releases.total).toEqual([{ currency: 'CNY', amount: '12.00' }]);
    const txId = releases.items[0]!.receipt!.txId;
    expect(releases.items[0]!.receipt!.blockNumber).not.toBeNull();
    const onLedger = await t.services.ledger.evaluate<{ txId: string; amount: string; runId: string }>(regulatorIdentity(), 'queries:getRecord', { type: 'carried-release', id: [second.id, 'MCSC-M001'] });
    expect(onLedger).toMatchObject({ txId, amount: '12.00', runId: second.id });
    expect((await t.call('GET', `/api/public/receipts/${txId}`)).status).toBe(200);
  });

  it('shows the release to the member, in its balance and its movements with the receipt', async () => {
    const m1 = await json<{ balances: Array<{ currency: string; payable: string; carriedForward: string }> }>(t.call('GET', '/api/member/balance', { as: 'member-MCSC-M001' }));
    expect(m1.balances).toEqual([expect.objectContaining({ currency: 'CNY', payable: '12.00', carriedForward: '0.00' })]);
    const m2 = await json<{ balances: Array<{ payable: string; carriedForward: string }> }>(t.call('GET', '/api/member/balance', { as: 'member-MCSC-M002' }));
    expect(m2.balances).toEqual([expect.objectContaining({ payable: '0.00', carriedForward: '8.00' })]);

    type Movement = { kind: string; account: string; amount: string; release: { runId: string; threshold: string; carriedBefore: string } | null; receipt: { txId: string; blockNumber: string | null; href: string } };
    const moves = await json<{ items: Movement[] }>(t.call('GET', '/api/member/transactions', { as: 'member-MCSC-M001' }));
    const release = moves.items.filter((m) => m.kind === 'carried-release');
    expect(release.map((m) => [m.account, m.amount]).sort()).toEqual([['carried', '-12.00'], ['payable', '12.00']]);
    expect(release[0]!.release).toEqual({ runId: second.id, threshold: '10.00', carriedBefore: '12.00' });
    expect(release[0]!.receipt.blockNumber).not.toBeNull();
    expect(release[0]!.receipt.href).toBe(`/api/public/receipts/${release[0]!.receipt.txId}`);
    // Both runs' batch credits to carried are there too; the account filter narrows the list.
    const carried = await json<{ items: Movement[] }>(t.call('GET', '/api/member/transactions?account=carried', { as: 'member-MCSC-M001' }));
    expect(carried.items.map((m) => [m.kind, m.amount])).toEqual([['carried-release', '-12.00'], ['distribution-batch', '6.00'], ['distribution-batch', '6.00']]);
    expect((await t.call('GET', '/api/member/transactions?account=bank', { as: 'member-MCSC-M001' })).status).toBe(400);
    expect((await t.call('GET', `/api/operator/distributions/${second.id}/carried-releases`, { as: 'av-operator' })).status).toBe(404);
  });

  it('leaves the regulator’s and public figures as they were: released money was already attributed', async () => {
    const attributed = await json<{ total: unknown }>(t.call('GET', '/api/regulator/figures/attributed/transactions?collective=MCSC', { as: 'regulator' }));
    expect(attributed.total).toEqual([{ currency: 'CNY', amount: '200.00' }]);
    const pools = await json<{ items: Array<{ useType: string; distributed: string }> }>(
      t.call('GET', '/api/public/transparency/pools?collective=MCSC&period=2026Q4', { headers: { 'cache-control': 'no-cache' } }),
    );
    expect(pools.items.filter((p) => p.useType === 'ktv' || p.useType === 'background_music').map((p) => p.distributed)).toEqual(['100.00', '100.00']);
  });

  it('releases exactly once after a restart, whether or not the release had been recorded', async () => {
    const before = await releasesOf(second.id);
    const entries = async () => (await t.db.sql<{ n: number }[]>`select count(*)::int as n from rm.entries where kind = 'carried-release' and ref like ${`carried-release/${second.id}/%`}`)[0]!.n;
    expect(await entries()).toBe(1);
    for (const recorded of [true, false]) {
      // As if the process died before marking the run done: with the release recorded, or after the
      // ledger committed it but before the job recorded it (the row still says planned).
      await t.db.sql`update offchain.distribution_runs set status = 'anchoring', stage = 'anchoring', anchor_tx_ids = '{}' where id = ${second.id}`;
      if (!recorded) await t.db.sql`update offchain.carried_releases set status = 'planned', tx_id = null, block_number = null, released_at = null where run_id = ${second.id}`;
      const restarted = new DistributionJobs(t.services);
      expect(await restarted.recover()).toEqual([second.id]);
      await restarted.idle();
      const resumed = await waitDone(second.id);
      expect(resumed).toMatchObject({ status: 'done', summary: { carriedReleasedCount: 1, carriedReleasedTotal: '12.00' } });
      expect((await releasesOf(second.id)).items).toEqual(before.items);
      expect(await entries()).toBe(1);
      expect(await balance('member:MCSC-M001:carried')).toBe('0.00');
      expect(await balance('member:MCSC-M001:payable')).toBe('12.00');
      expect(await balance('member:MCSC-M002:carried')).toBe('8.00');
    }
  });

  it('a run with threshold 0 carries nothing and releases whatever earlier runs carried', async () => {
    const third = await distribute(BROADCAST, 'carry-run-0003', '0');
    expect(third.summary).toMatchObject({ carriedForward: '0.00', carriedReleasedCount: 1, carriedReleasedTotal: '8.00' });
    expect((await releasesOf(third.id)).items).toMatchObject([{ memberId: 'MCSC-M002', amount: '8.00', threshold: '0.00', status: 'released' }]);
    expect(await balance('member:MCSC-M002:carried')).toBe('0.00');
    expect(await balance('member:MCSC-M002:payable')).toBe('12.00');
    expect(await balance('member:MCSC-M001:payable')).toBe('18.00');
  });

  it('releases several members in one run, each once, with its own transaction', async () => {
    const STREAMING = { rightType: 'performing', useType: 'streaming', period: '2026Q4' } as const;
    const LIVE = { rightType: 'performing', useType: 'live', period: '2026Q4' } as const;
    for (const [pool, key] of [[STREAMING, 'carry-income-streaming'], [LIVE, 'carry-income-live']] as const) {
      const res = await op('POST', '/income', { incomeId: `INC-${key}`, pool, amount: '100.00', currency: 'CNY', source: { kind: 'society', reference: key } }, key);
      expect(res.status).toBe(201);
    }
    // Threshold 50: M004 (30.00), M001 (6.00) and M002 (4.00) are carried, nobody reaches 50.
    const fourth = await distribute(STREAMING, 'carry-run-0004', '50.00');
    expect(fourth.summary).toMatchObject({ carriedForward: '40.00', carriedReleasedCount: 0 });
    // Threshold 5: M002's 4.00 is carried again (8.00), then all three balances are released.
    const fifth = await distribute(LIVE, 'carry-run-0005', '5.00');
    expect(fifth.summary).toMatchObject({ carriedForward: '4.00', carriedReleasedCount: 3, carriedReleasedTotal: '44.00' });
    const { items } = await releasesOf(fifth.id);
    expect(items.map((r) => [r.memberId, r.amount, r.status])).toEqual([
      ['MCSC-M001', '6.00', 'released'],
      ['MCSC-M002', '8.00', 'released'],
      ['MCSC-M004', '30.00', 'released'],
    ]);
    expect(new Set(items.map((r) => r.receipt?.txId)).size).toBe(3);
    for (const m of ['MCSC-M001', 'MCSC-M002', 'MCSC-M004']) expect(await balance(`member:${m}:carried`)).toBe('0.00');
  });
});
