import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regulatorIdentity } from '../../../ledger/organisations';
import { createTestApp, type TestApp } from '../../../testing/test-app';
import { ageBucket, todayUtc } from './periods';
import { FIXTURE, seedSupervisionData } from './test-fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const R = '/api/regulator';
const KTV_Q3 = 'pool:MCSC:performing:ktv:2026Q3';

describe('regulator reads', () => {
  let t: TestApp;
  const get = async (path: string, as = 'regulator') => {
    const res = await t.call('GET', `${R}${path}`, { as });
    return { status: res.status, body: (res.headers.get('content-type') ?? '').includes('json') ? ((await res.json()) as Json) : ({ text: await res.text() } as Json), res };
  };
  const sum = async (query: string) => {
    const [row] = await t.services.sql.unsafe(query);
    return String(row!.s);
  };
  // The year the fixture's money was collected in (the ledger stamps transactions with the real time).
  const year = new Date().getUTCFullYear();

  beforeAll(async () => {
    t = await createTestApp();
    await seedSupervisionData(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses anonymous callers (401) and every other role (403) on every route', async () => {
    const paths = ['/collectives', '/entries', `/accounts/${KTV_Q3}`, '/figures/fees/transactions', '/dashboard', '/complaints', '/complaints/CMP-TEST-M001', `/reports/annual/${year}`, '/audit'];
    for (const p of paths) {
      expect((await t.call('GET', `${R}${p}`)).status, `anonymous ${p}`).toBe(401);
      for (const as of ['music-operator', 'member-MCSC-M001', 'licensee-MCSC-L001']) {
        const res = await t.call('GET', `${R}${p}`, { as });
        expect(res.status, `${as} ${p}`).toBe(403);
        expect(((await res.json()) as Json).error.code).toBe('AUTH.FORBIDDEN');
      }
      expect((await get(p)).status, `regulator ${p}`).toBe(200);
    }
  });

  it('lists every collective with headcounts and money that add up', async () => {
    const { status, body } = await get('/collectives');
    expect(status).toBe(200);
    expect(body.items.map((c: Json) => c.id)).toEqual(['CAVCA', 'MCSC']);
    const mcsc = body.items.find((c: Json) => c.id === 'MCSC');
    expect(mcsc.members).toBe(Number(await sum(`select count(*) as s from rm.parties where collective_id = 'MCSC' and kind = 'member'`)));
    expect(mcsc.licensees).toBe(Number(await sum(`select count(*) as s from rm.parties where collective_id = 'MCSC' and kind = 'licensee'`)));
    expect(mcsc.works).toBe(Number(await sum(`select count(*) as s from rm.works where collective_id = 'MCSC'`)));
    expect(mcsc.members).toBeGreaterThan(0);
    const cny = mcsc.totals.find((x: Json) => x.currency === 'CNY');
    expect(cny.distributed).toBe('3000.00');
    expect(cny.fees).toBe('350.00');
    // collected = distributed + undistributed, exactly (compared in minor units).
    const minor = (s: string) => BigInt(s.replace('.', ''));
    expect(minor(cny.collected)).toBe(minor(cny.distributed) + minor(cny.undistributed));
    expect(cny.undistributed).toBe(await sum(`select (-sum(amount))::text as s from rm.postings where account_kind = 'pool' and collective_id = 'MCSC'`));
    const cavca = body.items.find((c: Json) => c.id === 'CAVCA');
    expect(cavca.totals[0].distributed).toBe('0.00');
  });

  it('pages through journal entries with postings and receipts, without gaps or repeats', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { status, body } = await get(`/entries?collective=MCSC&limit=40${cursor ? `&cursor=${cursor}` : ''}`);
      expect(status).toBe(200);
      for (const e of body.items) {
        expect(seen.has(e.id)).toBe(false);
        seen.add(e.id);
        expect(e.collectiveId).toBe('MCSC');
      }
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen.size).toBe(Number(await sum(`select count(*) as s from rm.entries where collective_id = 'MCSC'`)));

    const { body } = await get('/entries?kind=distribution');
    expect(body.items).toHaveLength(2);
    for (const e of body.items) {
      const total = e.postings.reduce((s: bigint, p: Json) => s + BigInt(p.amount.replace('.', '')), 0n);
      expect(total).toBe(0n); // balanced
      expect(e.receipt.txId).toBe(e.id);
      expect(e.receipt.href).toBe(`/api/public/receipts/${e.id}`);
      expect(BigInt(e.receipt.blockNumber)).toBeGreaterThan(0n);
    }
    const byAccount = await get(`/entries?account=${KTV_Q3}&limit=200`);
    expect(byAccount.body.items.length).toBe(Number(await sum(`select count(distinct entry_id) as s from rm.postings where account = '${KTV_Q3}'`)));
    expect(byAccount.body.items.every((e: Json) => e.postings.some((p: Json) => p.account === KTV_Q3))).toBe(true);
    const firstTwo = await get(`/entries?account=${KTV_Q3}&limit=2`);
    const next = await get(`/entries?account=${KTV_Q3}&limit=2&cursor=${firstTwo.body.nextCursor}`);
    expect(next.body.items[0].id).toBe(byAccount.body.items[2].id);
    expect((await get('/entries?collective=CAVCA&kind=distribution')).body.items).toEqual([]);
  });

  it('answers bad entry filters with 400 and the field, and an unknown collective with 404', async () => {
    for (const [query, field] of [['kind=gift', 'kind'], ['account=wallet:x', 'account'], ['cursor=nope', 'cursor'], ['limit=0', 'limit'], ['collective=a%20b', 'collective']] as const) {
      const { status, body } = await get(`/entries?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.code).toBe('VALIDATION.INVALID_ARGUMENT');
      expect(body.error.details.field).toBe(field);
    }
    expect((await get('/entries?collective=NOPE')).status).toBe(404);
  });

  it('shows an account’s balance from the read model and the ledger, and flags a tampered read model', async () => {
    const { status, body } = await get(`/accounts/${KTV_Q3}`);
    expect(status).toBe(200);
    expect(body.consistent).toBe(true);
    const onLedger = await t.services.ledger.evaluate<{ balances: Json[] }>(regulatorIdentity(), 'queries:getBalance', { account: KTV_Q3 });
    expect(body.ledger.balances).toEqual(onLedger.balances);
    expect(body.readModel.balances[0].balance).toBe(onLedger.balances[0]!.balance);
    expect(body.collectiveId).toBe('MCSC');
    // Someone edits the read model behind the projector's back: the ledger disagrees.
    const shift = (by: number) => t.services.sql`update rm.postings set amount = amount + ${by} where (entry_id, idx) = (select entry_id, idx from rm.postings where account = ${KTV_Q3} order by entry_id, idx limit 1)`;
    await shift(-1);
    try {
      const tampered = await get(`/accounts/${KTV_Q3}`);
      expect(tampered.body.consistent).toBe(false);
      expect(tampered.body.ledger.balances).toEqual(onLedger.balances);
    } finally {
      await shift(1);
    }
    expect((await get(`/accounts/${KTV_Q3}`)).body.consistent).toBe(true);
    expect((await get('/accounts/bank:MCSC')).body.readModel.balances[0].balance).not.toMatch(/^-/); // asset: debit − credit
    const bad = await get('/accounts/wallet:MCSC');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.field).toBe('account');
    expect((await get('/accounts/pool:NOPE:performing:ktv:2026Q3')).status).toBe(404);
  });

  it('drills from each figure to the transactions behind it, totals matching the figure', async () => {
    const fees = await get('/figures/fees/transactions?collective=MCSC');
    expect(fees.status).toBe(200);
    expect(fees.body.total).toEqual([{ currency: 'CNY', amount: '350.00' }]);
    expect(fees.body.items).toHaveLength(2);
    for (const item of fees.body.items) {
      expect(item.kind).toBe('distribution');
      expect(item.receipt.href).toBe(`/api/public/receipts/${item.entryId}`);
      expect(item.receipt.blockNumber).toMatch(/^\d+$/);
    }
    expect((await get(`/figures/fees/transactions?collective=MCSC&pool=${FIXTURE.q3.pool}`)).body.total).toEqual([{ currency: 'CNY', amount: '150.00' }]);
    expect((await get(`/figures/distributed/transactions?collective=MCSC&pool=${FIXTURE.q2.pool}`)).body.total).toEqual([{ currency: 'CNY', amount: '2000.00' }]);
    expect((await get(`/figures/suspense/transactions?collective=MCSC&pool=${FIXTURE.q3.pool}`)).body.total).toEqual([{ currency: 'CNY', amount: '90.00' }]);
    expect((await get(`/figures/deductions/transactions?collective=MCSC`)).body.total).toEqual([{ currency: 'CNY', amount: '50.00' }]);
    expect((await get('/figures/attributed/transactions?collective=MCSC')).body.total).toEqual([{ currency: 'CNY', amount: '2510.00' }]);
    expect((await get(`/figures/attributed/transactions?collective=MCSC&pool=${FIXTURE.q3.pool}`)).body.total).toEqual([{ currency: 'CNY', amount: '710.00' }]);
    expect((await get('/figures/paid/transactions')).body.total).toEqual([{ currency: 'CNY', amount: '300.00' }]);
    expect((await get('/figures/fees/transactions?collective=CAVCA')).body).toMatchObject({ items: [], total: [] });
    // The collected figure is the collectives overview's, posting by posting.
    const overview = (await get('/collectives')).body.items.find((c: Json) => c.id === 'MCSC').totals[0];
    const collected = await get('/figures/collected/transactions?collective=MCSC&limit=3');
    expect(collected.body.total[0].amount).toBe(overview.collected);
    const page2 = await get(`/figures/collected/transactions?collective=MCSC&limit=3&cursor=${collected.body.nextCursor}`);
    expect(page2.body.items).toHaveLength(3);
    expect(page2.body.items.map((i: Json) => i.entryId)).not.toContain(collected.body.items[2].entryId);
  });

  it('refuses figure queries that cannot be answered', async () => {
    for (const [path, field, status] of [
      ['/figures/gifts/transactions', 'figure', 400],
      [`/figures/paid/transactions?collective=MCSC&pool=${FIXTURE.q3.pool}`, 'pool', 400],
      [`/figures/fees/transactions?pool=${FIXTURE.q3.pool}`, 'collective', 400],
      ['/figures/fees/transactions?collective=MCSC&pool=ktv:2026Q3', 'pool', 400],
      ['/figures/fees/transactions?collective=NOPE', 'collective', 404],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(status);
      expect(res.body.error.details.field, path).toBe(field);
    }
  });

  it('computes fee ratios and their trend, ages, and the deadline tracker as of a date', async () => {
    const asOf = `${year}-12-31`;
    const { status, body } = await get(`/dashboard?asOf=${asOf}`);
    expect(status).toBe(200);
    expect(body.asOf).toBe(asOf);
    const mcsc = body.collectives.find((c: Json) => c.collectiveId === 'MCSC');
    const ktv = mcsc.feeRatio.pools.filter((p: Json) => p.useType === 'ktv');
    expect(ktv.map((p: Json) => [p.period, p.gross, p.managementFee, p.ratio])).toEqual([
      ['2026Q2', '2000.00', '200.00', '0.100000'],
      ['2026Q3', '1000.00', '150.00', '0.150000'],
    ]);
    expect(mcsc.feeRatio.overall).toEqual([{ currency: 'CNY', gross: '3000.00', managementFee: '350.00', ratio: '0.116667' }]);
    const trend = mcsc.feeRatio.trend.find((s: Json) => s.useType === 'ktv');
    expect(trend.points).toEqual([
      { period: '2026Q2', ratio: '0.100000', change: null, direction: null },
      { period: '2026Q3', ratio: '0.150000', change: '0.050000', direction: 'up' },
    ]);
    // Every undistributed pool of the demo is a 2026Q3 pool; the fixture's 2026Q2 pool is empty.
    const undistributed = mcsc.undistributedByAge[0];
    expect(undistributed.total).toBe((await get('/collectives')).body.items.find((c: Json) => c.id === 'MCSC').totals[0].undistributed);
    expect(undistributed.buckets.find((b: Json) => b.bucket === ageBucket('2026-09-30', asOf)).amount).toBe(undistributed.total);
    expect(undistributed.buckets.map((b: Json) => b.bucket)).toEqual(['0-3', '3-6', '6-9', '9-12', '>12']);
    expect(mcsc.suspenseByAge).toEqual([{ currency: 'CNY', total: '90.00', buckets: expect.arrayContaining([{ bucket: ageBucket('2026-09-30', asOf), amount: '90.00' }]) }]);
    expect(body.collectives.find((c: Json) => c.collectiveId === 'CAVCA').suspenseByAge).toEqual([]);

    const ktvDeadline = mcsc.deadlines.find((d: Json) => d.account === KTV_Q3);
    // 273 days, or 274 when February of the following year has 29.
    const daysToDeadline = (Date.UTC(year + 1, 8, 30) - Date.UTC(year, 11, 31)) / 86_400_000;
    expect(ktvDeadline).toMatchObject({ collectionYear: year, deadline: `${year + 1}-09-30`, daysLeft: daysToDeadline, status: 'ok' });
    expect(mcsc.deadlines.find((d: Json) => d.period === '2026Q2')).toBeUndefined(); // fully distributed
    const deadlineSum = mcsc.deadlines.reduce((s: bigint, d: Json) => s + BigInt(d.undistributed.replace('.', '')), 0n);
    expect(deadlineSum).toBe(BigInt(undistributed.total.replace('.', '')));
    expect(body.deadlineSummary.ok).toBe(body.collectives.reduce((n: number, c: Json) => n + c.deadlines.length, 0));

    const soon = (await get(`/dashboard?collective=MCSC&asOf=${year + 1}-08-15`)).body;
    expect(soon.collectives).toHaveLength(1);
    expect(soon.collectives[0].deadlines.find((d: Json) => d.account === KTV_Q3)).toMatchObject({ daysLeft: 46, status: 'due_soon' });
    const late = (await get(`/dashboard?collective=MCSC&asOf=${year + 1}-10-01`)).body;
    expect(late.collectives[0].deadlines.find((d: Json) => d.account === KTV_Q3)).toMatchObject({ daysLeft: -1, status: 'late' });
    expect(late.deadlineSummary.late).toBe(late.collectives[0].deadlines.length);

    // Before anything was collected: nothing undistributed, nothing to track.
    const before = (await get('/dashboard?asOf=2020-01-01')).body;
    expect(before.collectives.every((c: Json) => c.deadlines.length === 0 && c.undistributedByAge.length === 0 && c.feeRatio.pools.length === 0)).toBe(true);
    expect((await get(`/dashboard?asOf=${todayUtc()}`)).status).toBe(200);
  });

  it('refuses a dashboard date that is not a date', async () => {
    for (const asOf of ['2027-02-30', 'tomorrow', '2027-1-1']) {
      const res = await get(`/dashboard?asOf=${asOf}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details.field).toBe('asOf');
    }
    expect((await get('/dashboard?collective=NOPE')).status).toBe(404);
  });

  it('builds the annual transparency report as JSON and as RFC 4180 CSV', async () => {
    const { status, body } = await get(`/reports/annual/${year}?collective=MCSC`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ year, from: `${year}-01-01`, to: `${year + 1}-01-01` });
    expect(body.collectives).toHaveLength(1);
    const r = body.collectives[0];
    const overview = (await get('/collectives')).body.items.find((c: Json) => c.id === 'MCSC').totals[0];
    expect(r.revenue.total).toEqual([{ currency: 'CNY', amount: overview.collected }]);
    const byUse = r.revenue.byRightAndUse.reduce((s: bigint, x: Json) => s + BigInt(x.amount.replace('.', '')), 0n);
    expect(byUse).toBe(BigInt(overview.collected.replace('.', '')));
    expect(r.revenue.byRightAndUse.find((x: Json) => x.rightType === 'performing' && x.useType === 'broadcast')).toBeDefined();
    expect(r.managementCosts).toEqual([{ currency: 'CNY', fees: '350.00', revenue: overview.collected, ratioToRevenue: expect.stringMatching(/^0\.\d{6}$/) }]);
    expect(r.deductions).toEqual([{ currency: 'CNY', amount: '50.00' }]);
    expect(r.distributions).toEqual([{ rightType: 'performing', useType: 'ktv', currency: 'CNY', runs: 2, gross: '3000.00', managementFee: '350.00', deductions: '50.00', feeRatio: '0.116667' }]);
    expect(r.attributed).toEqual([{ currency: 'CNY', amount: '2510.00' }]);
    expect(r.paid).toEqual([{ currency: 'CNY', amount: '300.00' }]);
    expect(r.undistributedByCollectionYear).toEqual([{ collectionYear: year, currency: 'CNY', amount: overview.undistributed, deadline: `${year + 1}-09-30` }]);
    expect(r.nonDistributableByCollectionYear).toEqual([{ collectionYear: year, currency: 'CNY', amount: '90.00' }]);

    const all = await get(`/reports/annual/${year}`);
    expect(all.body.collectives.map((c: Json) => c.collectiveId)).toEqual(['CAVCA', 'MCSC']);
    const empty = (await get('/reports/annual/2001?collective=MCSC')).body.collectives[0];
    expect(empty).toMatchObject({ revenue: { byRightAndUse: [], total: [] }, managementCosts: [], distributions: [], paid: [], undistributedByCollectionYear: [] });

    const csv = await get(`/reports/annual/${year}?collective=MCSC&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (csv.body.text as string).split('\r\n');
    expect(lines[0]).toBe('collective_id,section,right_type,use_type,collection_year,currency,amount,ratio');
    expect(lines.at(-1)).toBe(''); // every row ends with CRLF
    expect(lines).toContain('MCSC,management_costs,,,,CNY,350.00,' + r.managementCosts[0].ratioToRevenue);
    expect(lines).toContain('MCSC,distribution_management_fee,performing,ktv,,CNY,350.00,0.116667');
    expect(lines).toContain(`MCSC,non_distributable,,,${year},CNY,90.00,`);
    expect(lines.slice(1).every((l) => l === '' || l.split(',').length === 8)).toBe(true);
  });

  it('refuses bad report parameters', async () => {
    for (const [path, field, status] of [
      ['/reports/annual/1999', 'year', 400],
      ['/reports/annual/20x6', 'year', 400],
      [`/reports/annual/${year}?format=xml`, 'format', 400],
      [`/reports/annual/${year}?collective=NOPE`, 'collective', 404],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(status);
      expect(res.body.error.details.field, path).toBe(field);
    }
  });

  it('pages through the audit log, newest first', async () => {
    // A refused write leaves an audit entry.
    await t.call('POST', `${R}/complaints/CMP-TEST-M001/findings`, { as: 'music-operator', body: { status: 'investigating' }, headers: { 'idempotency-key': 'audit-probe-1' } });
    const first = await get('/audit?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.entries).toHaveLength(2);
    expect(BigInt(first.body.entries[0].id)).toBeGreaterThan(BigInt(first.body.entries[1].id));
    expect(first.body.entries.some((e: Json) => e.username === 'music-operator' && e.outcome === 'denied')).toBe(true);
    const second = await get(`/audit?limit=2&before=${first.body.nextBefore}`);
    expect(BigInt(second.body.entries[0].id)).toBeLessThan(BigInt(first.body.entries[1].id));
    for (const [q, field] of [['limit=0', 'limit'], ['before=abc', 'before']] as const) {
      const res = await get(`/audit?${q}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details.field).toBe(field);
    }
  });
});
