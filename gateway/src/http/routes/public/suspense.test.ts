import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app';
import { allPages, expectError, ok } from './test-support';

interface Item {
  collectiveId: string;
  title: string | null;
  iswc: string | null;
  isrc: string | null;
  creators: string[];
  plays: string;
  amount: string;
  currency: string;
  lines: number;
  runs: string[];
  reasons: string[];
}
type Page = { items: Item[]; nextCursor: string | null };

describe('public list of unidentified works in suspense', () => {
  let t: TestApp;
  const list = (query = '') => t.call('GET', `/api/public/suspense/works${query}`);
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is empty until a distribution has run', async () => {
    expect(await ok<Page>(await list())).toEqual({ items: [], nextCursor: null });
  });

  it('sums unmatched usage per title and identifiers over runs, exactly, and leaves out unclaimed shares of known works', async () => {
    const { sql } = t.services;
    for (const [id, collective] of [['RUN-A', 'MCSC'], ['RUN-B', 'MCSC'], ['RUN-C', 'CAVCA']] as const) {
      await sql`insert into offchain.distribution_runs (id, collective_id, right_type, use_type, period, status, parameters, usage_report_ids, created_by)
                values (${id}, ${collective}, 'performing', 'ktv', '2026Q3', 'done', '{}', '{}', 'test')`;
    }
    const line = (run: string, idx: number, reason: string, fields: Record<string, unknown>) =>
      sql`insert into offchain.suspense_lines ${sql({ run_id: run, idx, reason, work_id: null, title: null, iswc: null, isrc: null, creators: null, usage_source: 'dsr', currency: 'CNY', ...fields })}`;
    await line('RUN-A', 0, 'UNMATCHED.NOT_FOUND', { title: 'Moonlight Ferry', creators: 'Li Wei', plays: '9007199254740993', amount: '0.10' });
    await line('RUN-B', 0, 'UNMATCHED.NOT_FOUND', { title: 'moonlight ferry', creators: 'Li Wei', plays: '1', amount: '0.20' });
    await line('RUN-A', 1, 'UNMATCHED.UNKNOWN_ISRC', { title: 'Harbour Lights', isrc: 'CN-X01-26-00001', plays: '5', amount: '3.00' });
    await line('RUN-A', 2, 'SUSPENSE.UNCLAIMED_SHARE', { work_id: 'MCSC-W0012', title: 'Golden Hour', plays: '7', amount: '9.99' });
    await line('RUN-C', 0, 'UNMATCHED.UNKNOWN_ISWC', { title: '无名之歌', iswc: 'T-999.999.999-9', creators: '王芳', plays: '2', amount: '1.50' });
    const page = await ok<Page>(await list());
    expect(page.items.map((i) => [i.collectiveId, i.title, i.amount])).toEqual([
      ['CAVCA', '无名之歌', '1.50'],
      ['MCSC', 'Harbour Lights', '3.00'],
      ['MCSC', 'Moonlight Ferry', '0.30'],
    ]);
    const ferry = page.items[2]!;
    expect(ferry).toMatchObject({ plays: '9007199254740994', lines: 2, runs: ['RUN-A', 'RUN-B'], reasons: ['UNMATCHED.NOT_FOUND'], creators: ['Li Wei'], iswc: null, isrc: null });
    expect(page.items[1]!.isrc).toBe('CNX012600001');
  });

  it('searches by title or creator (any case) and by ISRC or ISWC', async () => {
    const titles = async (q: string) => (await ok<Page>(await list(`?q=${encodeURIComponent(q)}`))).items.map((i) => i.title);
    expect(await titles('FERRY')).toEqual(['Moonlight Ferry']);
    expect(await titles('li wei')).toEqual(['Moonlight Ferry']);
    expect(await titles('CNX012600001')).toEqual(['Harbour Lights']);
    expect(await titles('T9999999999')).toEqual(['无名之歌']);
    expect(await titles('Golden Hour')).toEqual([]);
  });

  it('pages through the groups without gaps or repeats', async () => {
    const whole = await ok<Page>(await list());
    const { items, pages } = await allPages((cursor) => list(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`).then((r) => ok<Page>(r)));
    expect(items).toEqual(whole.items);
    expect(pages).toBe(3);
  });

  it('refuses bad paging input with the field', async () => {
    await expectError(await list('?limit=0'), 400, 'VALIDATION.INVALID_ARGUMENT', 'limit');
    await expectError(await list('?cursor=WyJhIl0'), 400, 'VALIDATION.INVALID_ARGUMENT', 'cursor');
    await expectError(await list(`?q=${'x'.repeat(201)}`), 400, 'VALIDATION.INVALID_ARGUMENT', 'q');
  });
});
