import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchDigest } from '@rtl/distribution/anchor';
import { canonicalJson } from '@rtl/distribution/canonical-json';
import { MerkleTree } from '@rtl/distribution/merkle/tree';
import { toHex, verifyLeafData } from '@rtl/distribution/merkle/verify';
import { MSP, operatorOf } from '../../../ledger/organisations';
import { createTestApp, type TestApp } from '../../../testing/test-app';
import { csvField } from './statements';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const M001 = 'member-MCSC-M001';
const M002 = 'member-MCSC-M002';
const CAV = 'member-CAVCA-M001';
const RUN = 'RUN-TEST-2026Q3-KTV';
const key = (s: string) => ({ 'idempotency-key': `test-${s}-0001` });

interface Line {
  party: string;
  work: string;
  gross: string;
  fee: string;
  deductions: string;
  net: string;
  plays: number;
  share: string;
}

describe('member router', () => {
  let t: TestApp;
  let lines: Line[];
  let leaves: string[];
  let root: string;
  const body = async (res: Response) => (await res.json()) as Json;

  // A distribution run as the operator's job would leave it: runs, statement lines (leaf = the
  // canonical JSON of the line) and suspense off-chain, and the run opened, its batch posted and
  // sealed on the ledger with the Merkle root of those lines.
  beforeAll(async () => {
    t = await createTestApp();
    const sql = t.db.sql;
    const works = await sql<{ party_id: string; work_id: string }[]>`
      select party_id, min(work_id) as work_id from rm.share_holders where party_id in ('MCSC-M001', 'MCSC-M002') group by party_id order by party_id`;
    const m1Works = await sql<{ work_id: string }[]>`select distinct work_id from rm.share_holders where party_id = 'MCSC-M001' order by work_id limit 2`;
    lines = [
      { party: 'MCSC-M001', work: m1Works[0]!.work_id, gross: '60.00', fee: '9.00', deductions: '3.00', net: '48.00', plays: 30, share: '50.000000' },
      { party: 'MCSC-M001', work: m1Works[1]!.work_id, gross: '40.00', fee: '6.00', deductions: '2.00', net: '32.00', plays: 20, share: '25.000000' },
      { party: 'MCSC-M002', work: works[1]!.work_id, gross: '50.00', fee: '7.50', deductions: '2.50', net: '40.00', plays: 10, share: '100.000000' },
    ];
    leaves = lines.map((l) =>
      canonicalJson({ partyId: l.party, workId: l.work, source: 'usage-UR-TEST.csv', period: '2026Q3', plays: l.plays, share: l.share, currency: 'CNY', gross: l.gross, fee: l.fee, deductions: l.deductions, net: l.net }),
    );
    root = toHex(MerkleTree.fromLeaves(leaves).root());

    await sql`insert into offchain.usage_reports ${sql({ id: 'UR-TEST', collective_id: 'MCSC', licensee_id: 'MCSC-L001', licence_id: 'MCSC-L001-LIC-2026', format: 'csv', period: '2026Q3', file_path: '/nonexistent', sha256: '0'.repeat(64), lines: 4, accepted: 3, rejected: 0, total_plays: 60, report: sql.json({}), uploaded_by: 'test' })}`;
    const run = (id: string, collective: string, status: string) => ({ id, collective_id: collective, right_type: 'performing', use_type: 'ktv', period: '2026Q3', status, parameters: sql.json({}), usage_report_ids: ['UR-TEST'], created_by: 'test' });
    await sql`insert into offchain.distribution_runs ${sql([run(RUN, 'MCSC', 'done'), run('RUN-TEST-UNFINISHED', 'MCSC', 'running'), run('RUN-TEST-CAVCA', 'CAVCA', 'done')])}`;
    await sql`insert into offchain.statement_lines ${sql(
      lines.map((l, i) => ({
        run_id: RUN, line_index: i, party_id: l.party, work_id: l.work, usage_source: 'usage-UR-TEST.csv', usage_report_id: 'UR-TEST', licensee_id: null, period: '2026Q3',
        plays: l.plays, share: l.share, gross: l.gross, management_fee: l.fee, deductions: l.deductions, net: l.net, currency: 'CNY', leaf: leaves[i]!,
      })),
    )}`;
    await sql`insert into offchain.statement_lines ${sql({ run_id: 'RUN-TEST-UNFINISHED', line_index: 0, party_id: 'MCSC-M001', work_id: lines[0]!.work, usage_source: 'x', usage_report_id: null, licensee_id: null, period: '2026Q3', plays: 1, share: '1', gross: '1.00', management_fee: '0.00', deductions: '0.00', net: '1.00', currency: 'CNY', leaf: '{}' })}`;
    const suspense = (runId: string, idx: number, title: string, amount: string) => ({ run_id: runId, idx, reason: 'UNMATCHED.NOT_FOUND', work_id: null, title, iswc: null, isrc: null, creators: 'Someone Unknown', usage_source: 'usage-UR-TEST.csv', plays: 5, amount, currency: 'CNY' });
    await sql`insert into offchain.suspense_lines ${sql([suspense(RUN, 0, 'Moonlight Over 100% Street', '20.00'), suspense(RUN, 1, 'Rain Song', '10.00'), suspense('RUN-TEST-CAVCA', 0, 'Moonlight In Another Collective', '99.00')])}`;

    const op = operatorOf(MSP.music);
    const batch = [
      { partyId: 'MCSC-M001', payable: '80.00', carried: '0.00' },
      { partyId: 'MCSC-M002', payable: '40.00', carried: '0.00' },
    ];
    const digest = '1'.repeat(64);
    await t.services.ledger.submit(op, 'distribution:openDistribution', {
      commandId: 'test-open-run', runId: RUN, collectiveId: 'MCSC', pool: { rightType: 'performing', useType: 'ktv', period: '2026Q3' }, currency: 'CNY', method: 'pro_rata_points',
      gross: '180.00', managementFee: '22.50', deductions: '7.50', allocated: '120.00', suspense: '30.00', carriedForward: '0.00', rounding: '0.00',
      holderCount: 2, statementLineCount: 3, merkleRoot: root, inputs: { usageDigest: digest, repertoireDigest: digest, parametersDigest: digest },
      batches: [{ batchNo: 0, lineCount: 2, total: '120.00', digest: batchDigest(RUN, 0, batch) }],
    });
    await t.services.ledger.submit(op, 'distribution:postDistributionBatch', { commandId: 'test-post-batch', runId: RUN, batchNo: 0, lines: batch });
    await t.services.ledger.submit(op, 'distribution:sealDistribution', { commandId: 'test-seal-run', runId: RUN });
    await t.services.ledger.submit(op, 'payouts:requestPayout', { commandId: 'test-payout', payoutId: 'PO-TEST-M001', memberId: 'MCSC-M001', amount: '30.00', currency: 'CNY' });
    await t.settle();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('access', () => {
    const ROUTES = [
      ['GET', '/api/member/works'],
      ['GET', '/api/member/balance'],
      ['GET', '/api/member/payouts'],
      ['GET', '/api/member/statements'],
      ['GET', `/api/member/statements/${RUN}`],
      ['GET', `/api/member/statements/${RUN}/lines/0/proof`],
      ['GET', `/api/member/statements/${RUN}.csv`],
      ['GET', '/api/member/suspense'],
      ['GET', '/api/member/claims'],
      ['POST', '/api/member/claims'],
      ['GET', '/api/member/complaints'],
    ] as const;
    it('401 anonymous, 403 for other roles, on every route', async () => {
      for (const [method, path] of ROUTES) {
        expect((await t.call(method, path)).status, `${method} ${path}`).toBe(401);
        for (const who of ['licensee-MCSC-L001', 'music-operator', 'regulator']) {
          const res = await t.call(method, path, { as: who });
          expect(res.status, `${method} ${path} as ${who}`).toBe(403);
          expect((await body(res)).error.code).toBe('AUTH.FORBIDDEN');
        }
      }
    });

    it('appears in the OpenAPI document', async () => {
      const spec = await body(await t.call('GET', '/openapi.json'));
      for (const p of ['/api/member/works', '/api/member/balance', '/api/member/payouts', '/api/member/statements', '/api/member/statements/{runId}', '/api/member/statements/{runId}/lines/{index}/proof', '/api/member/statements/{runId}.csv', '/api/member/suspense', '/api/member/claims', '/api/member/complaints']) {
        expect(Object.keys(spec.paths)).toContain(p);
      }
    });
  });

  describe('works, balance, payouts', () => {
    it('lists own works with current shares, in pages', async () => {
      const n = (await t.db.sql<{ n: number }[]>`select count(distinct work_id)::int as n from rm.share_holders where party_id = 'MCSC-M001'`)[0]!.n;
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await t.call('GET', `/api/member/works?limit=7${cursor ? `&cursor=${cursor}` : ''}`, { as: M001 });
        expect(res.status).toBe(200);
        const page = await body(res);
        for (const w of page.items as Json[]) {
          seen.push(w.id);
          expect(w.shares.length).toBeGreaterThan(0);
          expect(w.shares.some((s: Json) => Number(s.share) > 0)).toBe(true);
        }
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(n);
      expect(new Set(seen).size).toBe(n);
      const [check] = await t.db.sql<{ share: string; right_type: string }[]>`
        select share::text as share, right_type from rm.share_holders where party_id = 'MCSC-M001' and work_id = ${seen[0]!} order by right_type limit 1`;
      const first = (await body(await t.call('GET', '/api/member/works?limit=1', { as: M001 }))).items[0];
      expect(first.shares.find((s: Json) => s.rightType === check!.right_type).share).toBe(check!.share);
    });

    it('shows another member none of them', async () => {
      const mine = new Set(((await body(await t.call('GET', '/api/member/works?limit=200', { as: M001 }))).items as Json[]).map((w) => w.id));
      const theirs = (await body(await t.call('GET', '/api/member/works?limit=200', { as: CAV }))).items as Json[];
      expect(theirs.filter((w) => mine.has(w.id))).toEqual([]);
    });

    it('derives balances from the member’s postings, exactly', async () => {
      const res = await t.call('GET', '/api/member/balance', { as: M001 });
      expect(res.status).toBe(200);
      const b = await body(res);
      expect(b.memberId).toBe('MCSC-M001');
      expect(b.balances).toEqual([{ currency: 'CNY', payable: '50.00', carriedForward: '0.00', payoutPending: '30.00' }]);
      expect((await body(await t.call('GET', '/api/member/balance', { as: M002 }))).balances).toEqual([{ currency: 'CNY', payable: '40.00', carriedForward: '0.00', payoutPending: '0.00' }]);
      expect((await body(await t.call('GET', '/api/member/balance', { as: CAV }))).balances).toEqual([]);
    });

    it('lists own payouts only', async () => {
      const mine = await body(await t.call('GET', '/api/member/payouts', { as: M001 }));
      expect(mine.items).toEqual([expect.objectContaining({ id: 'PO-TEST-M001', amount: '30.00', currency: 'CNY', status: 'pending', completedAt: null })]);
      expect((await body(await t.call('GET', '/api/member/payouts', { as: M002 }))).items).toEqual([]);
    });
  });

  describe('statements', () => {
    it('lists the runs with the member’s lines, totals and on-chain anchor; unfinished runs stay hidden', async () => {
      const res = await t.call('GET', '/api/member/statements', { as: M001 });
      expect(res.status).toBe(200);
      const { items } = await body(res);
      expect(items).toHaveLength(1);
      const [tx] = await t.db.sql<{ tx_id: string; block_number: string }[]>`select d.data->>'txId' as tx_id, x.block_number::text as block_number from rm.distributions d join rm.transactions x on x.tx_id = d.data->>'txId' where d.id = ${RUN}`;
      expect(items[0]).toEqual({
        runId: RUN, collectiveId: 'MCSC', pool: { rightType: 'performing', useType: 'ktv', period: '2026Q3' }, status: 'done', currency: 'CNY', lines: 2,
        gross: '100.00', fee: '15.00', deductions: '5.00', net: '80.00',
        anchor: { merkleRoot: root, treeSize: 3, txId: tx!.tx_id, blockNumber: tx!.block_number, status: 'sealed' },
      });
      expect((await body(await t.call('GET', '/api/member/statements', { as: CAV }))).items).toEqual([]);
      expect((await t.call('GET', '/api/member/statements/RUN-TEST-UNFINISHED', { as: M001 })).status).toBe(404);
    });

    it('serves line items with their source, licensee and tariff, and proofs that verify against the on-chain root', async () => {
      const res = await t.call('GET', `/api/member/statements/${RUN}`, { as: M001 });
      expect(res.status).toBe(200);
      const s = await body(res);
      expect(s.computedRoot).toBe(root);
      expect(s.rootMatches).toBe(true);
      expect(s.lines.items.map((l: Json) => l.index)).toEqual([0, 1]);
      const [l0] = s.lines.items;
      expect(l0).toMatchObject({
        workId: lines[0]!.work, usageSource: 'usage-UR-TEST.csv', usageReportId: 'UR-TEST', licensee: { id: 'MCSC-L001' }, licenceId: 'MCSC-L001-LIC-2026',
        tariff: { id: 'MCSC-T-KTV-2026' }, period: '2026Q3', plays: '30', gross: '60.00', fee: '9.00', deductions: '3.00', net: '48.00', leaf: leaves[0],
      });
      expect(l0.title).toBeTruthy();
      for (const l of s.lines.items as Json[]) {
        expect(await verifyLeafData(l.leaf, { index: l.index, treeSize: s.run.anchor.treeSize, path: l.proof }, s.run.anchor.merkleRoot)).toBe(true);
      }
      // A proof for the wrong leaf fails: the check above can fail.
      expect(await verifyLeafData(leaves[2]!, { index: 0, treeSize: 3, path: l0.proof }, root)).toBe(false);
      const page1 = await body(await t.call('GET', `/api/member/statements/${RUN}?limit=1`, { as: M001 }));
      const page2 = await body(await t.call('GET', `/api/member/statements/${RUN}?limit=1&cursor=${page1.lines.nextCursor}`, { as: M001 }));
      expect([page1.lines.items[0].index, page2.lines.items[0].index, page2.lines.nextCursor]).toEqual([0, 1, null]);
    });

    it('shows another member only its own line of the same run', async () => {
      const s = await body(await t.call('GET', `/api/member/statements/${RUN}`, { as: M002 }));
      expect(s.lines.items.map((l: Json) => l.index)).toEqual([2]);
      expect(await verifyLeafData(s.lines.items[0].leaf, { index: 2, treeSize: 3, path: s.lines.items[0].proof }, root)).toBe(true);
      expect((await t.call('GET', `/api/member/statements/${RUN}/lines/0/proof`, { as: M002 })).status).toBe(404);
      expect((await t.call('GET', `/api/member/statements/${RUN}`, { as: CAV })).status).toBe(404);
      expect((await t.call('GET', `/api/member/statements/${RUN}.csv`, { as: CAV })).status).toBe(404);
    });

    it('serves one line’s proof', async () => {
      const res = await t.call('GET', `/api/member/statements/${RUN}/lines/1/proof`, { as: M001 });
      expect(res.status).toBe(200);
      const p = await body(res);
      expect(p).toMatchObject({ runId: RUN, index: 1, leaf: leaves[1], treeSize: 3, computedRoot: root, anchor: { merkleRoot: root } });
      expect(await verifyLeafData(p.leaf, { index: 1, treeSize: p.treeSize, path: p.proof }, p.anchor.merkleRoot)).toBe(true);
      const bad = await t.call('GET', `/api/member/statements/${RUN}/lines/-1/proof`, { as: M001 });
      expect(bad.status).toBe(400);
      expect((await body(bad)).error.details.field).toBe('index');
    });

    it('exports the member’s lines as CSV', async () => {
      const res = await t.call('GET', `/api/member/statements/${RUN}.csv`, { as: M001 });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      const rows = (await res.text()).trim().split('\r\n');
      expect(rows[0]).toBe('run_id,line_index,work_id,iswc,title,usage_source,usage_report_id,licensee_id,licence_id,tariff_id,period,plays,share,currency,gross,management_fee,deductions,net');
      expect(rows).toHaveLength(3);
      expect(rows[1]!.startsWith(`${RUN},0,${lines[0]!.work},`)).toBe(true);
      expect(rows[1]!.endsWith(',2026Q3,30,50.000000,CNY,60.00,9.00,3.00,48.00')).toBe(true);
      expect(csvField('a,"b"')).toBe('"a,""b"""');
      expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
      expect(csvField('-12.50')).toBe('-12.50');
    });
  });

  describe('suspense and claims', () => {
    it('lists and searches the suspense of the member’s own collective', async () => {
      const all = await body(await t.call('GET', '/api/member/suspense', { as: M001 }));
      expect(all.items.map((s: Json) => [s.runId, s.idx])).toEqual([[RUN, 0], [RUN, 1]]);
      expect(all.items[0]).toMatchObject({ amount: '20.00', accepted: '0.00', currency: 'CNY', pool: { period: '2026Q3' } });
      const found = await body(await t.call('GET', '/api/member/suspense?q=moonlight', { as: M001 }));
      expect(found.items.map((s: Json) => s.title)).toEqual(['Moonlight Over 100% Street']);
      const literal = await body(await t.call('GET', `/api/member/suspense?q=${encodeURIComponent('100%')}`, { as: M001 }));
      expect(literal.items).toHaveLength(1);
      const cav = await body(await t.call('GET', '/api/member/suspense', { as: CAV }));
      expect(cav.items.map((s: Json) => s.runId)).toEqual(['RUN-TEST-CAVCA']);
    });

    it('files a claim as submitted without writing to the ledger; a retry is the same claim', async () => {
      const { height } = await t.services.ledger.info();
      const claim = { runId: RUN, suspenseIdx: 1, amount: '10.00', evidence: 'Registered with the sister society under my IPI.' };
      const res = await t.call('POST', '/api/member/claims', { as: M001, headers: key('claim'), body: claim });
      expect(res.status).toBe(201);
      const c = await body(res);
      expect(c).toMatchObject({ runId: RUN, suspenseIdx: 1, amount: '10.00', currency: 'CNY', status: 'submitted', releaseTxId: null });
      const again = await t.call('POST', '/api/member/claims', { as: M001, headers: key('claim'), body: claim });
      expect(again.status).toBe(200);
      expect((await body(again)).id).toBe(c.id);
      expect((await t.services.ledger.info()).height).toBe(height);
      const mine = await body(await t.call('GET', '/api/member/claims', { as: M001 }));
      expect(mine.items.map((x: Json) => [x.id, x.status])).toEqual([[c.id, 'submitted']]);
      expect((await body(await t.call('GET', '/api/member/claims', { as: M002 }))).items).toEqual([]);
    });

    it('refuses bad claims with the field and stores nothing', async () => {
      const count = async () => (await t.db.sql<{ n: number }[]>`select count(*)::int as n from offchain.claims`)[0]!.n;
      const before = await count();
      const ok = { runId: RUN, suspenseIdx: 0, amount: '5.00', evidence: 'mine' };
      const cases: Array<[Json, Record<string, string>, number, string]> = [
        [{ ...ok, amount: '5.001' }, key('c1'), 400, 'amount'],
        [{ ...ok, amount: '0.00' }, key('c2'), 400, 'amount'],
        [{ ...ok, amount: '20.01' }, key('c3'), 400, 'amount'],
        [{ ...ok, amount: 5 }, key('c4'), 400, 'amount'],
        [{ ...ok, evidence: '' }, key('c5'), 400, 'evidence'],
        [{ ...ok, suspenseIdx: -1 }, key('c6'), 400, 'suspenseIdx'],
        [ok, {}, 400, 'idempotency-key'],
        [{ ...ok, runId: 'RUN-TEST-CAVCA' }, key('c7'), 404, 'suspenseIdx'],
        [{ ...ok, runId: 'NO-SUCH-RUN' }, key('c8'), 404, 'suspenseIdx'],
        [{ ...ok, suspenseIdx: 1 }, key('c9'), 409, 'suspenseIdx'],
        [{ ...ok, amount: '6.00' }, key('claim'), 409, 'Idempotency-Key'],
      ];
      for (const [b, headers, status, field] of cases) {
        const res = await t.call('POST', '/api/member/claims', { as: M001, headers, body: b });
        const e = (await body(res)).error;
        expect(res.status, `${JSON.stringify(b)}: ${e.message}`).toBe(status);
        expect(e.details.field).toBe(field);
      }
      expect(await count()).toBe(before);
    });
  });

  describe('statement page cache (done, sealed runs)', () => {
    const url = `/api/member/statements/${RUN}?limit=2`;
    const setSource = (runId: string, index: number, source: string) => t.db.sql`update offchain.statement_lines set usage_source = ${source} where run_id = ${runId} and line_index = ${index}`;

    it('serves a second request the same bytes with a strong ETag, even if the database changed underneath', async () => {
      const first = await t.call('GET', url, { as: M001 });
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(first.headers.get('cache-control')).toBe('private, no-cache');
      const text = await first.text();
      try {
        // A done run's lines do not change; if they did, the cached page would still show.
        await setSource(RUN, 0, 'changed.csv');
        const second = await t.call('GET', url, { as: M001 });
        expect(second.status).toBe(200);
        expect(second.headers.get('etag')).toBe(etag);
        expect(await second.text()).toBe(text);
        expect(JSON.parse(text).lines.items[0].usageSource).toBe('usage-UR-TEST.csv');
      } finally {
        await setSource(RUN, 0, 'usage-UR-TEST.csv');
      }
    });

    it('never gives another member the cached page: its own page, or 404 as before', async () => {
      const mine = await t.call('GET', url, { as: M001 });
      const etag = mine.headers.get('etag')!;
      const text = await mine.text();
      const other = await t.call('GET', url, { as: M002, headers: { 'if-none-match': etag } });
      expect(other.status).toBe(200);
      const otherText = await other.text();
      expect(otherText).not.toBe(text);
      expect(JSON.parse(otherText).lines.items.map((l: Json) => l.index)).toEqual([2]);
      expect(other.headers.get('etag')).not.toBe(etag);
      expect((await t.call('GET', url, { as: CAV })).status).toBe(404);
      expect((await t.call('GET', url, { as: CAV, headers: { 'if-none-match': etag } })).status).toBe(404);
      expect((await t.call('GET', url)).status).toBe(401);
    });

    it('sends the page gzip-compressed to a client that accepts gzip, the same JSON once decoded', async () => {
      const plain = await t.call('GET', url, { as: M001 });
      const text = await plain.text();
      const res = await t.call('GET', url, { as: M001, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('vary')).toBe('Accept-Encoding');
      expect(text.length).toBeGreaterThan(1024); // big enough to be compressed
      expect(res.headers.get('content-encoding')).toBe('gzip');
      const etag = res.headers.get('etag')!;
      expect(etag).not.toBe(plain.headers.get('etag'));
      expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8')).toBe(text);
      const again = await t.call('GET', url, { as: M001, headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } });
      expect(again.status).toBe(304);
      // A client without gzip gets the JSON itself.
      expect(plain.headers.get('content-encoding')).toBeNull();
    });

    it('answers 304 without a body when If-None-Match holds the ETag', async () => {
      const etag = (await t.call('GET', url, { as: M001 })).headers.get('etag')!;
      for (const inm of [etag, `W/${etag}`, `"other", ${etag}`]) {
        const res = await t.call('GET', url, { as: M001, headers: { 'if-none-match': inm } });
        expect(res.status).toBe(304);
        expect(res.headers.get('etag')).toBe(etag);
        expect(await res.text()).toBe('');
      }
      const stale = await t.call('GET', url, { as: M001, headers: { 'if-none-match': '"not-it"' } });
      expect(stale.status).toBe(200);
      expect(stale.headers.get('etag')).toBe(etag);
    });

    it('re-checks the caller after two seconds and rebuilds the page when its run no longer matches', async () => {
      const etag = (await t.call('GET', url, { as: M001 })).headers.get('etag');
      try {
        // The member's totals change (they never should in a done run): within the re-check window the
        // confirmed page is still served; after it, the check runs again and the page is rebuilt.
        await t.db.sql`update offchain.statement_lines set net = 47.00, usage_source = 'changed.csv' where run_id = ${RUN} and line_index = 0`;
        expect((await t.call('GET', url, { as: M001 })).headers.get('etag')).toBe(etag);
        await new Promise((r) => setTimeout(r, 2100));
        const res = await t.call('GET', url, { as: M001 });
        expect(res.headers.get('etag')).not.toBe(etag);
        const s = await body(res);
        expect([s.run.net, s.lines.items[0].usageSource]).toEqual(['79.00', 'changed.csv']);
        // A run that stops being visible answers 404, although its page is cached, once the window is over.
        await t.db.sql`update offchain.distribution_runs set status = 'failed' where id = ${RUN}`;
        await new Promise((r) => setTimeout(r, 2100));
        expect((await t.call('GET', url, { as: M001 })).status).toBe(404);
      } finally {
        await t.db.sql`update offchain.distribution_runs set status = 'done' where id = ${RUN}`;
        await t.db.sql`update offchain.statement_lines set net = 48.00, usage_source = 'usage-UR-TEST.csv' where run_id = ${RUN} and line_index = 0`;
      }
      const again = await t.call('GET', url, { as: M001 });
      expect(again.headers.get('etag')).toBe(etag);
    });

    it('does not cache a run that is not final: changes show on the next request', async () => {
      const ANCHORING = 'RUN-TEST-ANCHORING';
      const sql = t.db.sql;
      await sql`insert into offchain.distribution_runs ${sql({ id: ANCHORING, collective_id: 'MCSC', right_type: 'performing', use_type: 'ktv', period: '2026Q4', status: 'anchoring', parameters: sql.json({}), usage_report_ids: ['UR-TEST'], created_by: 'test' })}`;
      await sql`insert into offchain.statement_lines ${sql({ run_id: ANCHORING, line_index: 0, party_id: 'MCSC-M001', work_id: lines[0]!.work, usage_source: 'before.csv', usage_report_id: null, licensee_id: null, period: '2026Q3', plays: 1, share: '1', gross: '1.00', management_fee: '0.00', deductions: '0.00', net: '1.00', currency: 'CNY', leaf: '{}' })}`;
      try {
        const first = await t.call('GET', `/api/member/statements/${ANCHORING}`, { as: M001 });
        expect(first.status).toBe(200);
        expect(first.headers.get('etag')).toBeNull();
        expect((await body(first)).lines.items[0].usageSource).toBe('before.csv');
        await setSource(ANCHORING, 0, 'after.csv');
        const second = await body(await t.call('GET', `/api/member/statements/${ANCHORING}`, { as: M001 }));
        expect(second.lines.items[0].usageSource).toBe('after.csv');
        expect((await t.call('GET', `/api/member/statements/RUN-TEST-UNFINISHED`, { as: M001 })).status).toBe(404);
      } finally {
        await sql`delete from offchain.statement_lines where run_id = ${ANCHORING}`;
        await sql`delete from offchain.distribution_runs where id = ${ANCHORING}`;
      }
    });
  });

  describe('complaints', () => {
    it('files a member complaint with the regulator and lists it for its author only', async () => {
      const res = await t.call('POST', '/api/member/complaints', { as: M002, headers: key('mcmp'), body: { category: 'statement', subject: 'Missing KTV usage', text: 'My Q3 statement shows no KTV plays.' } });
      expect(res.status).toBe(201);
      const { complaint } = await body(res);
      const [rec] = await t.db.sql<{ data: Json }[]>`select data from rm.records where type = 'complaint' and id = ${complaint.id}`;
      expect(rec!.data).toMatchObject({ complainantId: 'MCSC-M002', complainantKind: 'member', collectiveId: 'MCSC', status: 'open' });
      expect((await body(await t.call('GET', '/api/member/complaints', { as: M002 }))).items.map((c: Json) => c.id)).toEqual([complaint.id]);
      expect((await body(await t.call('GET', '/api/member/complaints', { as: M001 }))).items).toEqual([]);
    });
  });
});
