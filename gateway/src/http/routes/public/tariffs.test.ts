import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app';
import { allPages, expectError, ok } from './test-support';

interface Tariff {
  id: string;
  collectiveId: string;
  reasoning: string;
  formula: { kind: string };
  txId: string;
}
type Page = { items: Tariff[]; nextCursor: string | null };

describe('public tariffs and quotes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists every published tariff with its reasoning to anonymous callers, page by page in id order', async () => {
    const { items, pages } = await allPages((cursor) => t.call('GET', `/api/public/tariffs?limit=3${cursor ? `&cursor=${cursor}` : ''}`).then((r) => ok<Page>(r)));
    const ids = (await t.services.sql<{ id: string }[]>`select id from rm.tariffs order by id`).map((r) => r.id);
    expect(ids.length).toBe(8);
    expect(items.map((x) => x.id)).toEqual(ids);
    expect(pages).toBe(3);
    for (const x of items) {
      expect(x.reasoning.length).toBeGreaterThan(10);
      expect(x.txId).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('filters by collective and use type', async () => {
    const cavca = await ok<Page>(await t.call('GET', '/api/public/tariffs?collective=CAVCA'));
    expect(cavca.items.map((x) => x.id)).toEqual(['CAVCA-T-CIN-2026', 'CAVCA-T-KTV-2026', 'CAVCA-T-STR-2026']);
    const ktv = await ok<Page>(await t.call('GET', '/api/public/tariffs?useType=ktv'));
    expect(ktv.items.map((x) => x.id)).toEqual(['CAVCA-T-KTV-2026', 'MCSC-T-KTV-2026']);
  });

  it('gives signed-in users the same answer as anonymous ones', async () => {
    const anon = await t.call('GET', '/api/public/tariffs/MCSC-T-KTV-2026');
    const licensee = await t.call('GET', '/api/public/tariffs/MCSC-T-KTV-2026', { as: 'licensee-MCSC-L001' });
    expect(await licensee.text()).toBe(await anon.text());
  });

  it('refuses a credential that is present but invalid, even on a public route', async () => {
    await expectError(await t.call('GET', '/api/public/tariffs', { headers: { authorization: 'Bearer not-a-token' } }), 401, 'AUTH.UNAUTHENTICATED');
  });

  it('shows one tariff; an unknown one is 404 and a malformed id 400', async () => {
    const one = await ok<Tariff>(await t.call('GET', '/api/public/tariffs/MCSC-T-KTV-2026'));
    expect(one.formula.kind).toBe('per_use_capped');
    await expectError(await t.call('GET', '/api/public/tariffs/NO-SUCH-TARIFF'), 404, 'NOT_FOUND', 'id');
    await expectError(await t.call('GET', '/api/public/tariffs/bad%20id'), 400, 'VALIDATION.INVALID_ARGUMENT', 'id');
  });

  it('refuses bad paging input with the field', async () => {
    await expectError(await t.call('GET', '/api/public/tariffs?limit=0'), 400, 'VALIDATION.INVALID_ARGUMENT', 'limit');
    await expectError(await t.call('GET', '/api/public/tariffs?cursor=zzz'), 400, 'VALIDATION.INVALID_ARGUMENT', 'cursor');
    await expectError(await t.call('GET', '/api/public/tariffs?useType=KTV!'), 400, 'VALIDATION.INVALID_ARGUMENT', 'useType');
  });

  it('quotes a per-use tariff exactly: base fee, extra uses, and the daily cap (8.00 + 0.08 per use over 60, at most 15.00)', async () => {
    const quote = async (usesPerDay: number) =>
      ok<{ total: string; currency: string; lines: Array<{ amount: string }> }>(
        await t.call('POST', '/api/public/tariffs/MCSC-T-KTV-2026/quote', { body: { kind: 'per_use_capped', uniform: { terminals: 10, days: 30, usesPerDay } } }),
      );
    expect((await quote(40)).total).toBe('2400.00'); // 300 terminal-days × 8.00
    expect((await quote(100)).total).toBe('3360.00'); // × (8.00 + 40 × 0.08)
    expect((await quote(200)).total).toBe('4500.00'); // × the 15.00 cap
    const perTerminal = await ok<{ total: string; lines: Array<{ amount: string }> }>(
      await t.call('POST', '/api/public/tariffs/MCSC-T-KTV-2026/quote', { body: { kind: 'per_use_capped', dailyUses: [[61, 0], [200]] } }),
    );
    expect(perTerminal.lines.map((l) => l.amount)).toEqual(['16.08', '15.00']);
    expect(perTerminal.total).toBe('31.08');
  });

  it('quotes a revenue share with its minimum top-up', async () => {
    const tariff = await ok<{ formula: { rate: string; minimum: string } }>(await t.call('GET', '/api/public/tariffs/MCSC-T-BRD-2026'));
    expect(tariff.formula).toMatchObject({ kind: 'revenue_share' });
    const q = await ok<{ total: string; lines: unknown[] }>(await t.call('POST', '/api/public/tariffs/MCSC-T-BRD-2026/quote', { body: { kind: 'revenue_share', revenue: '0.01', periods: 2 } }));
    expect(q.lines).toHaveLength(2);
    // Below the minimum, the total is exactly the minimum over the periods (minimum × 2).
    const [i = '0', f = ''] = tariff.formula.minimum.split('.');
    const minimum2 = (BigInt(i) * 100n + BigInt(f.padEnd(2, '0'))) * 2n;
    expect(q.total).toBe(`${minimum2 / 100n}.${String(minimum2 % 100n).padStart(2, '0')}`);
  });

  it('refuses bad usage with the field, and records nothing on the ledger', async () => {
    const before = await t.services.ledger.info();
    const post = (id: string, body: unknown) => t.call('POST', `/api/public/tariffs/${id}/quote`, { body });
    await expectError(await post('MCSC-T-KTV-2026', { kind: 'flat', units: 1, periods: 1 }), 400, 'VALIDATION.INVALID_ARGUMENT', 'kind');
    await expectError(await post('MCSC-T-BRD-2026', { kind: 'revenue_share', revenue: '12.345', periods: 1 }), 400, 'VALIDATION.INVALID_ARGUMENT', 'revenue');
    await expectError(await post('MCSC-T-BRD-2026', { kind: 'revenue_share', revenue: '-1', periods: 1 }), 400, 'VALIDATION.INVALID_ARGUMENT', 'revenue');
    await expectError(await post('MCSC-T-KTV-2026', { kind: 'per_use_capped' }), 400, 'VALIDATION.INVALID_ARGUMENT', 'dailyUses');
    await expectError(await post('MCSC-T-KTV-2026', { kind: 'per_use_capped', uniform: { terminals: 1, days: 1, usesPerDay: 1 }, extra: 1 }), 400, 'VALIDATION.INVALID_ARGUMENT');
    await expectError(await post('MCSC-T-KTV-2026', 'not json'), 400, 'VALIDATION.INVALID_ARGUMENT', 'body');
    await expectError(await post('NO-SUCH-TARIFF', { kind: 'flat', units: 1, periods: 1 }), 404, 'NOT_FOUND', 'id');
    expect(await t.services.ledger.info()).toEqual(before);
  });

  it('caches answers briefly with an ETag: a matching If-None-Match gets 304, Cache-Control: no-cache reads afresh', async () => {
    const first = await t.call('GET', '/api/public/tariffs?collective=MCSC');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await t.call('GET', '/api/public/tariffs?collective=MCSC', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // A changed answer is seen at once by a client that asks for a fresh one.
    await t.services.sql`update rm.tariffs set data = jsonb_set(data, '{reasoning}', '"changed for the test"') where id = 'MCSC-T-BGM-2026'`;
    const fresh = await ok<Page>(await t.call('GET', '/api/public/tariffs?collective=MCSC', { headers: { 'cache-control': 'no-cache' } }));
    expect(fresh.items.find((x) => x.id === 'MCSC-T-BGM-2026')?.reasoning).toBe('changed for the test');
    const stale = await t.call('GET', '/api/public/tariffs?collective=MCSC', { headers: { 'if-none-match': etag! } });
    expect(stale.status).toBe(200);
  });

  it('describes the routes in the OpenAPI document', async () => {
    const spec = (await (await t.call('GET', '/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/public/tariffs', '/api/public/tariffs/{id}', '/api/public/tariffs/{id}/quote', '/api/public/repertoire', '/api/public/open-data/{file}']));
    expect(spec.paths['/api/public/tariffs/{id}/quote']).toHaveProperty('post');
  });
});
