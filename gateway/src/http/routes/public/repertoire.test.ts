import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app';
import { allPages, expectError, ok } from './test-support';

interface Work {
  id: string;
  collectiveId: string;
  iswc: string | null;
  title: string;
  creators: Array<{ name: string; role: string; partyId: string | null }>;
}
type Page = { items: Work[]; nextCursor: string | null };
interface WorkPage extends Work {
  asOf: string;
  shares: Array<{ rightType: string; unclaimed: string; holders: Array<{ partyId: string; name: string | null; share: string }> }>;
  recordings: Array<{ isrc: string; title: string }>;
}

/** A percentage with 4 decimals in units of 0.0001 %. */
const units = (s: string) => {
  const [i = '0', f = ''] = s.split('.');
  return BigInt(i) * 10_000n + BigInt(f.padEnd(4, '0'));
};

describe('public repertoire', () => {
  let t: TestApp;
  const search = (query: string) => t.call('GET', `/api/public/repertoire?${query}`);
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds titles written in traditional characters or full-width letters', async () => {
    const simplified = await t.services.sql<{ id: string }[]>`select id from rm.works where title like '梦里%' or ${'|'} || search_text like '%|梦里%' order by id`;
    expect(simplified.length).toBeGreaterThan(3);
    const trad = await ok<Page>(await search(`q=${encodeURIComponent('夢裡')}&limit=200`));
    expect(trad.items.map((w) => w.id)).toEqual(expect.arrayContaining(simplified.map((r) => r.id)));
    for (const w of trad.items) expect(`${w.title} ${w.creators.map((c) => c.name).join(' ')}`).toContain('梦里');
    const wide = await ok<Page>(await search(`q=${encodeURIComponent('ＧＯＬＤＥＮ　ｈｏｕｒ')}`));
    expect(wide.items.map((w) => w.title)).toContain('Golden Hour');
  });

  it('finds a work by ISWC and by ISRC, with or without separators', async () => {
    const byIswc = await ok<Page>(await search('iswc=T3000004440'));
    expect(byIswc.items.map((w) => w.id)).toEqual(['MCSC-W0012']);
    const dotted = await ok<Page>(await search(`iswc=${encodeURIComponent('T-300.000.444-0')}`));
    expect(dotted.items.map((w) => w.id)).toEqual(['MCSC-W0012']);
    const byIsrc = await ok<Page>(await search('isrc=cn-mc1-26-00012'));
    expect(byIsrc.items.map((w) => w.id)).toEqual(['MCSC-W0012']);
    expect((await ok<Page>(await search('isrc=CNMC12699999'))).items).toEqual([]);
  });

  it('matches creators on their credits, not on titles that happen to contain the name', async () => {
    const [row] = await t.services.sql<{ name: string; n: number }[]>`
      select name, count(distinct work_id)::int as n from rm.work_creators where role <> 'publisher' group by name order by count(*) desc, name limit 1`;
    const res = await ok<Page>(await search(`creator=${encodeURIComponent(row!.name)}&limit=200`));
    expect(res.items.length).toBe(row!.n);
    for (const w of res.items) expect(w.creators.map((c) => c.name)).toContain(row!.name);
    // "Golden" is in titles, never in a creator's name.
    expect((await ok<Page>(await search('q=golden'))).items.length).toBeGreaterThan(0);
    expect((await ok<Page>(await search('creator=golden'))).items).toEqual([]);
  });

  it('pages through results by work id without gaps or repeats, and filters by collective', async () => {
    const { items, pages } = await allPages((cursor) => search(`collective=CAVCA&limit=7${cursor ? `&cursor=${cursor}` : ''}`).then((r) => ok<Page>(r)));
    const ids = (await t.services.sql<{ id: string }[]>`select id from rm.works where collective_id = 'CAVCA' order by id`).map((r) => r.id);
    expect(items.map((w) => w.id)).toEqual(ids);
    expect(pages).toBe(Math.ceil(ids.length / 7) + (ids.length % 7 === 0 ? 1 : 0));
    expect(new Set(items.map((w) => w.collectiveId))).toEqual(new Set(['CAVCA']));
  });

  it('refuses bad search input with the field', async () => {
    await expectError(await search('q=%20%20%20'), 400, 'VALIDATION.INVALID_ARGUMENT', 'q');
    await expectError(await search('iswc=12345'), 400, 'VALIDATION.INVALID_ARGUMENT', 'iswc');
    await expectError(await search('isrc=XX'), 400, 'VALIDATION.INVALID_ARGUMENT', 'isrc');
    await expectError(await search('limit=500'), 400, 'VALIDATION.INVALID_ARGUMENT', 'limit');
    await expectError(await search('cursor=bm90LWpzb24'), 400, 'VALIDATION.INVALID_ARGUMENT', 'cursor');
    await expectError(await search('collective=no%20such'), 400, 'VALIDATION.INVALID_ARGUMENT', 'collective');
  });

  it('shows a work with creators, current shares that add up to 100 % with the unclaimed part, and recordings', async () => {
    const w = await ok<WorkPage>(await t.call('GET', '/api/public/works/MCSC-W0012'));
    expect(w.title).toBe('Golden Hour');
    expect(w.shares.map((s) => s.rightType)).toEqual(['mechanical', 'performing']);
    const performing = w.shares.find((s) => s.rightType === 'performing')!;
    expect(units(performing.unclaimed)).toBeGreaterThan(0n); // every twelfth demo work has an unidentified co-writer
    for (const s of w.shares) {
      expect(s.holders.reduce((a, h) => a + units(h.share), units(s.unclaimed))).toBe(1_000_000n);
      for (const h of s.holders) expect(h.name).toBeTruthy();
    }
    expect(w.recordings.map((r) => r.isrc)).toEqual(['CNMC12600012']);
    // Shares in force before the first version: none.
    expect((await ok<WorkPage>(await t.call('GET', '/api/public/works/MCSC-W0012?asOf=2019-12-31'))).shares).toEqual([]);
  });

  it('shows the newest share version in force on the date asked', async () => {
    const from = '2030-01-01';
    await t.services.sql`insert into rm.shares (work_id, right_type, effective_from, unclaimed, data, tx_id) values ('MCSC-W0012', 'performing', ${from}, '0', '{}', 'test')`;
    await t.services.sql`insert into rm.share_holders (work_id, right_type, effective_from, party_id, share) values ('MCSC-W0012', 'performing', ${from}, 'MCSC-P04', '100')`;
    const later = await ok<WorkPage>(await t.call('GET', `/api/public/works/MCSC-W0012?asOf=${from}`));
    expect(later.shares.find((s) => s.rightType === 'performing')?.holders).toEqual([{ partyId: 'MCSC-P04', name: '长风音乐', share: '100' }]);
    const now = await ok<WorkPage>(await t.call('GET', '/api/public/works/MCSC-W0012?asOf=2029-12-31'));
    expect(now.shares.find((s) => s.rightType === 'performing')?.holders.length).toBe(2);
  });

  it('answers 404 for an unknown work and 400 for a malformed id or date; publishes nothing beyond the credits', async () => {
    await expectError(await t.call('GET', '/api/public/works/MCSC-W9999'), 404, 'NOT_FOUND', 'id');
    await expectError(await t.call('GET', '/api/public/works/%20x'), 400, 'VALIDATION.INVALID_ARGUMENT', 'id');
    await expectError(await t.call('GET', '/api/public/works/MCSC-W0012?asOf=2026-02-30'), 400, 'VALIDATION.INVALID_ARGUMENT', 'asOf');
    const text = await (await t.call('GET', '/api/public/works/MCSC-W0001')).text();
    expect(text).not.toMatch(/personalDataHash|"data"/);
  });
});
