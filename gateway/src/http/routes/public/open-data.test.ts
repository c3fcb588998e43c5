import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app';
import { POOL_COLUMNS, REPERTOIRE_COLUMNS, TARIFF_COLUMNS } from './open-data';
import { expectError, ok, parseCsv } from './test-support';

describe('public open data downloads', () => {
  let t: TestApp;
  const get = (file: string) => t.call('GET', `/api/public/open-data/${file}`);
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('streams the whole repertoire as RFC 4180 CSV and as JSON, across several cursor batches, in work id order', async () => {
    // 1,100 more works than the demo's 500, so the cursor (1,000 rows a batch) turns over twice.
    await t.services.sql`
      insert into rm.works (id, collective_id, iswc, title, search_text, data, tx_id, at)
      select 'ZZ-W' || lpad(g::text, 5, '0'), 'MCSC', null, 'Title, "quoted" ' || g, 'x',
             jsonb_build_object('alternateTitles', jsonb_build_array('line' || chr(10) || 'break'), 'creators', '[]'::jsonb), 'test', now()
      from generate_series(1, 1100) g`;
    const ids = (await t.services.sql<{ id: string }[]>`select id from rm.works order by id`).map((r) => r.id);
    expect(ids.length).toBe(1600);

    const csv = await get('repertoire.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="repertoire.csv"');
    const rows = parseCsv(await csv.text());
    expect(rows[0]).toEqual([...REPERTOIRE_COLUMNS]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(ids);
    for (const r of rows) expect(r.length).toBe(REPERTOIRE_COLUMNS.length);
    const quoted = rows.find((r) => r[0] === 'ZZ-W00007')!;
    expect(quoted.slice(3, 5)).toEqual(['Title, "quoted" 7', 'line\nbreak']);

    const json = await get('repertoire.json');
    const works = (await json.json()) as Array<{ id: string; shares: Array<{ rightType: string; holders: unknown[] }> }>;
    expect(works.map((w) => w.id)).toEqual(ids);
    // The same shares as the work page.
    const page = await ok<{ shares: unknown[] }>(await t.call('GET', '/api/public/works/MCSC-W0012'));
    expect(works.find((w) => w.id === 'MCSC-W0012')!.shares).toEqual(page.shares);
    const w12 = rows.find((r) => r[0] === 'MCSC-W0012')!;
    expect(w12[2]).toBe('T-300.000.444-0');
    expect(w12[6]).toMatch(/^MCSC-M009 张雨桐 44\.2150%; MCSC-P04 长风音乐 44\.2150%$/);
    expect(w12[7]).toBe('11.5700');
  });

  it('serves the tariffs with their formulas as canonical JSON cells', async () => {
    const rows = parseCsv(await (await get('tariffs.csv')).text());
    expect(rows[0]).toEqual([...TARIFF_COLUMNS]);
    expect(rows.length).toBe(9);
    const ktv = rows.find((r) => r[0] === 'MCSC-T-KTV-2026')!;
    expect(JSON.parse(ktv[9]!)).toMatchObject({ kind: 'per_use_capped', dailyCap: '15.00' });
    const json = (await (await get('tariffs.json')).json()) as Array<{ id: string }>;
    expect(json.map((x) => x.id)).toEqual(rows.slice(1).map((r) => r[0]));
  });

  it('serves the pool figures exactly as the transparency route shows them', async () => {
    const { items } = await ok<{ items: Array<Record<string, unknown>> }>(await t.call('GET', '/api/public/transparency/pools'));
    expect(await ok<unknown>(await get('pool-figures.json'))).toEqual(items);
    const rows = parseCsv(await (await get('pool-figures.csv')).text());
    expect(rows[0]).toEqual([...POOL_COLUMNS]);
    expect(rows.slice(1).map((r) => [r[0], r[3], r[5], r[12]])).toEqual(items.map((p) => [p.collectiveId, p.period, p.collected, p.undistributed]));
  });

  it('refuses an unknown dataset or format with the field', async () => {
    await expectError(await get('repertoire.xml'), 400, 'VALIDATION.INVALID_ARGUMENT', 'file');
    await expectError(await get('members.csv'), 400, 'VALIDATION.INVALID_ARGUMENT', 'file');
  });
});
