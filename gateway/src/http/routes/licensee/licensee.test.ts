import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../../auth/middleware';
import { MSP, operatorOf } from '../../../ledger/organisations';
import { createTestApp, type TestApp } from '../../../testing/test-app';
import { renderError } from '../../app';
import { newRouter } from '../../openapi';
import { licenseeRouter } from './index';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const L001 = 'licensee-MCSC-L001';
const L014 = 'licensee-MCSC-L014';
const key = (s: string) => ({ 'idempotency-key': `test-${s}-0001` });

describe('licensee router', () => {
  let t: TestApp;
  let dataDir: string;
  const body = async (res: Response) => (await res.json()) as Json;

  beforeAll(async () => {
    t = await createTestApp();
    dataDir = await mkdtemp(join(tmpdir(), 'rtl-licensee-'));
    t.services.config.DATA_DIR = dataDir;
  });
  afterAll(async () => {
    await t?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  describe('access', () => {
    it('401 anonymous, 403 for other roles, on every route', async () => {
      for (const [method, path] of [
        ['GET', '/api/licensee/licences'],
        ['GET', '/api/licensee/invoices'],
        ['GET', '/api/licensee/usage-reports'],
        ['POST', '/api/licensee/coverage'],
        ['GET', '/api/licensee/complaints'],
      ] as const) {
        expect((await t.call(method, path)).status, `${method} ${path} anonymous`).toBe(401);
        for (const who of ['member-MCSC-M001', 'music-operator', 'regulator']) {
          const res = await t.call(method, path, { as: who });
          expect(res.status, `${method} ${path} as ${who}`).toBe(403);
          expect((await body(res)).error.code).toBe('AUTH.FORBIDDEN');
        }
      }
    });

    it('appears in the OpenAPI document', async () => {
      const spec = await body(await t.call('GET', '/openapi.json'));
      for (const p of ['/api/licensee/licences', '/api/licensee/licences/{id}/certificate', '/api/licensee/invoices', '/api/licensee/invoices/{id}/payments', '/api/licensee/usage-reports', '/api/licensee/usage-reports/{id}', '/api/licensee/coverage', '/api/licensee/complaints']) {
        expect(Object.keys(spec.paths)).toContain(p);
      }
    });
  });

  describe('licences', () => {
    it('lists only the caller’s licences with status and fee', async () => {
      const res = await t.call('GET', '/api/licensee/licences', { as: L001 });
      expect(res.status).toBe(200);
      const { items, nextCursor } = await body(res);
      expect(nextCursor).toBeNull();
      expect(items.map((l: Json) => l.id)).toEqual(['MCSC-L001-LIC-2026']);
      const [l] = items;
      expect(l.fee).toMatch(/^\d+\.\d{2}$/);
      expect(['active', 'expired', 'not_yet_valid']).toContain(l.status);
      expect(l.tariffName).toContain('KTV');
      expect(l.code).toMatch(/^LIC-[0-9A-F]{12}$/);
    });

    it('pages with a cursor and refuses a forged one', async () => {
      const res = await t.call('GET', '/api/licensee/licences?limit=1&cursor=not-a-cursor', { as: L001 });
      expect(res.status).toBe(400);
      expect((await body(res)).error.details.field).toBe('cursor');
    });

    it('serves a certificate with tariff reasoning, verification URL and issuing receipt', async () => {
      const res = await t.call('GET', '/api/licensee/licences/MCSC-L001-LIC-2026/certificate', { as: L001 });
      expect(res.status).toBe(200);
      const c = await body(res);
      expect(c.licensee.id).toBe('MCSC-L001');
      expect(c.licensee.name).not.toBe('MCSC-L001');
      expect(c.collective.id).toBe('MCSC');
      expect(c.tariff.reasoning.length).toBeGreaterThan(10);
      expect(c.term.validFrom).toBe('2026-01-01');
      expect(c.verification.url).toBe(`http://localhost/verify/${c.licence.code}`);
      const [row] = await t.db.sql<{ tx_id: string; block_number: string }[]>`
        select l.data->>'txId' as tx_id, tx.block_number::text as block_number from rm.licences l join rm.transactions tx on tx.tx_id = l.data->>'txId' where l.id = 'MCSC-L001-LIC-2026'`;
      expect(c.issuedBy.txId).toBe(row!.tx_id);
      expect(c.issuedBy.blockNumber).toBe(row!.block_number);
      expect(c.issuedBy.validationCode).toBe('VALID');
      expect(c.issuedBy.blockHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('answers 404 for another licensee’s licence and for an unknown one alike', async () => {
      for (const id of ['MCSC-L014-LIC-2026', 'CAVCA-L017-LIC-2026', 'NOPE']) {
        const res = await t.call('GET', `/api/licensee/licences/${id}/certificate`, { as: L001 });
        expect(res.status, id).toBe(404);
        expect((await body(res)).error.code).toBe('NOT_FOUND');
      }
    });
  });

  describe('invoices and payments', () => {
    const INVOICE = 'MCSC-INV-TEST-L001';
    beforeAll(async () => {
      // An open invoice to pay (the demo's quarter is fully paid for L001).
      await t.services.ledger.submit(operatorOf(MSP.music), 'income:issueInvoice', {
        commandId: 'test-issue-invoice-l001',
        invoiceId: INVOICE,
        licenseeId: 'MCSC-L001',
        licenceId: 'MCSC-L001-LIC-2026',
        pool: { rightType: 'performing', useType: 'ktv', period: '2026Q4' },
        amount: '1000.10',
        currency: 'CNY',
      });
      await t.settle();
    });
    const invoice = async (who = L001) => ((await body(await t.call('GET', '/api/licensee/invoices?limit=200', { as: who }))).items as Json[]).find((i) => i.id === INVOICE);

    it('lists own invoices with exact amount, paid and outstanding', async () => {
      const res = await t.call('GET', '/api/licensee/invoices', { as: L001 });
      expect(res.status).toBe(200);
      const { items } = await body(res);
      expect(items.length).toBeGreaterThanOrEqual(2);
      for (const i of items as Json[]) {
        expect(i.amount).toMatch(/^\d+\.\d{2}$/);
        const cents = (s: string) => BigInt(s.replace('.', ''));
        expect(cents(i.outstanding)).toBe(cents(i.amount) - cents(i.paid));
      }
      expect(await invoice()).toMatchObject({ amount: '1000.10', paid: '0.00', outstanding: '1000.10', status: 'open', pool: { period: '2026Q4' } });
      expect(await invoice(L014)).toBeUndefined();
    });

    it('records a payment; a retry with the same key is the same payment', async () => {
      const pay = () => t.call('POST', `/api/licensee/invoices/${INVOICE}/payments`, { as: L001, headers: key('pay'), body: { amount: '400.05', currency: 'CNY', reference: 'bank 1' } });
      const first = await pay();
      expect(first.status).toBe(201);
      const p = await body(first);
      expect(p.payment.id).toMatch(/^PAY-[0-9a-f]{24}$/);
      expect(p.invoice).toMatchObject({ paid: '400.05', outstanding: '600.05', status: 'open' });
      expect(p.txId).toBeTruthy();
      const again = await body(await pay());
      expect(again.payment.id).toBe(p.payment.id);
      expect(again.txId).toBe(p.txId);
      expect((await invoice())!.paid).toBe('400.05');
      const [n] = await t.db.sql<{ n: number }[]>`select count(*)::int as n from rm.payments where invoice_id = ${INVOICE}`;
      expect(n!.n).toBe(1);
    });

    it('refuses bad input with the field and writes nothing', async () => {
      const cases: Array<[Json, Record<string, string>, string]> = [
        [{ amount: '1.001', currency: 'CNY' }, key('bad1'), 'amount'],
        [{ amount: 12, currency: 'CNY' }, key('bad2'), 'amount'],
        [{ amount: '1.00', currency: 'XXX' }, key('bad3'), 'currency'],
        [{ amount: '1.00', currency: 'CNY', extra: 1 }, key('bad4'), ''],
        [{ amount: '1.00', currency: 'CNY' }, {}, 'idempotency-key'],
      ];
      for (const [b, headers, field] of cases) {
        const res = await t.call('POST', `/api/licensee/invoices/${INVOICE}/payments`, { as: L001, headers, body: b });
        expect(res.status, JSON.stringify(b)).toBe(400);
        const e = (await body(res)).error;
        expect(e.code).toBe('VALIDATION.INVALID_ARGUMENT');
        expect(e.details.field).toBe(field);
      }
      const over = await t.call('POST', `/api/licensee/invoices/${INVOICE}/payments`, { as: L001, headers: key('over'), body: { amount: '99999.00', currency: 'CNY' } });
      expect(over.status).toBe(422);
      expect((await body(over)).error).toMatchObject({ code: 'LEDGER.INSUFFICIENT_FUNDS', details: { field: 'amount' } });
      expect((await invoice())!.paid).toBe('400.05');
    });

    it('answers 404 for another licensee’s invoice and writes nothing', async () => {
      const res = await t.call('POST', `/api/licensee/invoices/${INVOICE}/payments`, { as: L014, headers: key('foreign'), body: { amount: '1.00', currency: 'CNY' } });
      expect(res.status).toBe(404);
      expect((await invoice())!.paid).toBe('400.05');
    });
  });

  describe('usage reports', () => {
    let works: Array<{ id: string; iswc: string | null; title: string; creator: string }>;
    beforeAll(async () => {
      works = await t.db.sql`
        select w.id, w.iswc, w.title, (select c.name from rm.work_creators c where c.work_id = w.id and c.role <> 'publisher' order by position limit 1) as creator
        from rm.works w where w.collective_id = 'MCSC' and w.iswc is not null order by w.id limit 4`;
    });
    const csv = () =>
      [
        'usage_id,work_id,iswc,isrc,title,creators,plays,amount',
        `u1,${works[0]!.id},,,,,10,`,
        `u2,,${works[1]!.iswc},,,,5,`,
        `u3,,,,"${works[2]!.title}",${works[2]!.creator},7,`,
        'u4,,,,Nobody Knows This Song,Nobody,3,',
        'u5,,,,,,notanumber,',
        'u6,,T-000.000.001-9,,,,1,',
      ].join('\n') + '\n';
    const upload = (text: string, q = 'period=2026Q3', headers: Record<string, string> = { ...key('up'), 'content-type': 'text/csv' }, as = L001) =>
      t.call('POST', `/api/licensee/usage-reports?${q}`, { as, headers, body: text });
    const reportCount = async () => (await t.db.sql<{ n: number }[]>`select count(*)::int as n from offchain.usage_reports`)[0]!.n;

    it('stores, validates and matches a usage.csv upload', async () => {
      const res = await upload(csv());
      expect(res.status).toBe(201);
      const r = await body(res);
      expect(r.id).toMatch(/^UR-/);
      expect(r).toMatchObject({ period: '2026Q3', format: 'csv', licenceId: 'MCSC-L001-LIC-2026', accepted: 4, rejected: 2, totalPlays: '25' });
      expect(r.report.matched).toEqual({ lines: 3, plays: '22', byMethod: { work_id: 1, iswc: 1, title_creator: 1 } });
      expect(r.report.unmatched).toEqual({ lines: 1, plays: '3', byReason: { 'UNMATCHED.NOT_FOUND': 1 } });
      expect(r.report.rejects.map((x: Json) => [x.line, x.field, x.code])).toEqual([
        [6, 'plays', 'PARSE.INVALID_COUNT'],
        [7, 'iswc', 'PARSE.INVALID_ISWC'],
      ]);
      const [row] = await t.db.sql<{ file_path: string; sha256: string }[]>`select file_path, sha256 from offchain.usage_reports where id = ${r.id}`;
      expect(row!.file_path).toBe(join(dataDir, 'uploads', `${r.id}.csv`));
      expect(await readFile(row!.file_path, 'utf8')).toBe(csv());
      expect(row!.sha256).toBe(r.sha256);
    });

    it('returns the first report for a repeat and 409 for other bytes under the same key', async () => {
      const before = await reportCount();
      const again = await upload(csv());
      expect(again.status).toBe(200);
      const conflict = await upload(csv() + 'u9,,,,,,1,\n');
      expect(conflict.status).toBe(409);
      expect((await body(conflict)).error.details.field).toBe('Idempotency-Key');
      expect(await reportCount()).toBe(before);
      expect((await readdir(join(dataDir, 'uploads'))).filter((f) => f.endsWith('.part'))).toEqual([]);
    });

    it('accepts a DSR flat file', async () => {
      const w = works[3]!;
      const dsr = [
        'HEAD\tdsrf/1.1\tBasicAudioProfile\t1.3\tM1\t2026-10-01T00:00:00Z\t1\t1\t2026-07-01\t2026-09-30\tPADPIDA1\tSvc\tSvc\tPADPIDA2\tCMO',
        '#SY01.02\tSummaryRecordId\tDistributionChannel\tDistributionChannelDPID\tCommercialModel\tUseType\tTerritory\tServiceDescription\tTotalUsages\tSubscribers\tCurrencyOfReporting\tNetRevenue',
        'SY01.02\tS1\tSvc\tDP\tSubscriptionModel\tStream\tCN\tSvc\t10\t1\tCNY\t100.50',
        `AS02\t1\tR1\tD1\t\tSome Title\t\tArtist\t\tPT3M\tSoundRecording\t${w.iswc}\tWriter A`,
        'SU02\t1\tS1\tT1\t\tR1\tTRUE\t7\t0.99\t\tOnDemandStream',
        'SU02\t1\tS1\tT2\t\tR1\tTRUE\tseven\t\t\tOnDemandStream',
        'FOOT\t7\t7\t1\t1\t1',
      ].join('\n') + '\n';
      const res = await upload(dsr, 'period=2026Q3&format=dsr', { ...key('dsr'), 'content-type': 'text/plain' });
      expect(res.status).toBe(201);
      const r = await body(res);
      expect(r).toMatchObject({ format: 'dsr', accepted: 1, rejected: 1, totalPlays: '7' });
      expect(r.report.matched.byMethod).toEqual({ iswc: 1 });
    });

    it('refuses bad input with the field and stores nothing', async () => {
      const before = await reportCount();
      const cases: Array<[Promise<Response>, number, string]> = [
        [upload(csv(), 'period=2026Q5', { ...key('b1'), 'content-type': 'text/csv' }), 400, 'period'],
        [upload(csv(), 'period=2026Q3', { ...key('b2'), 'content-type': 'text/plain' }), 400, 'format'],
        [upload(csv(), 'period=2026Q3', { 'content-type': 'text/csv' }), 400, 'idempotency-key'],
        [upload('id,plays\n1,2\n', 'period=2026Q3', { ...key('b3'), 'content-type': 'text/csv' }), 400, 'header'],
        [upload('', 'period=2026Q3', { ...key('b4'), 'content-type': 'text/csv' }), 400, 'body'],
        [upload(csv(), 'period=2026Q3', { ...key('b5'), 'content-type': 'application/json' }), 415, 'content-type'],
      ];
      for (const [p, status, field] of cases) {
        const res = await p;
        const e = (await body(res)).error;
        expect(res.status, `${field}: ${e.message}`).toBe(status);
        expect(e.details.field).toBe(field);
      }
      expect(await reportCount()).toBe(before);
      expect((await readdir(join(dataDir, 'uploads'))).filter((f) => f.endsWith('.part'))).toEqual([]);
    });

    it('answers 413 past the size limit, without keeping the file', async () => {
      const small = newRouter();
      small.use('*', authenticate(t.services.auth));
      small.route('/api/licensee', licenseeRouter(t.services, { maxUploadBytes: 100 }));
      small.onError((err, c) => renderError(err, c));
      const res = await small.request('/api/licensee/usage-reports?period=2026Q3', {
        method: 'POST',
        headers: { authorization: `Bearer ${await t.tokenFor(L001)}`, 'content-type': 'text/csv', ...key('big') },
        body: csv() + 'x'.repeat(200),
      });
      expect(res.status).toBe(413);
      expect((await body(res)).error).toMatchObject({ code: 'VALIDATION.PAYLOAD_TOO_LARGE', details: { field: 'body', limit: 100 } });
      expect((await readdir(join(dataDir, 'uploads'))).filter((f) => f.endsWith('.part'))).toEqual([]);
    });

    it('lists and reads own reports; another licensee sees none of them', async () => {
      const list = await body(await t.call('GET', '/api/licensee/usage-reports', { as: L001 }));
      expect(list.items).toHaveLength(2);
      expect(list.items[0].format).toBe('dsr');
      const page1 = await body(await t.call('GET', '/api/licensee/usage-reports?limit=1', { as: L001 }));
      const page2 = await body(await t.call('GET', `/api/licensee/usage-reports?limit=1&cursor=${page1.nextCursor}`, { as: L001 }));
      expect([page1.items[0].id, page2.items[0].id]).toEqual(list.items.map((i: Json) => i.id));
      expect(page2.nextCursor).toBeNull();
      const id = list.items[1].id;
      const one = await t.call('GET', `/api/licensee/usage-reports/${id}`, { as: L001 });
      expect(one.status).toBe(200);
      expect((await body(one)).report.matched.lines).toBe(3);
      expect((await t.call('GET', `/api/licensee/usage-reports/${id}`, { as: L014 })).status).toBe(404);
      expect((await body(await t.call('GET', '/api/licensee/usage-reports', { as: L014 }))).items).toEqual([]);
    });

    it('matches a work registered after the repertoire was cached', async () => {
      await t.services.ledger.submit(operatorOf(MSP.music), 'repertoire:registerWorks', {
        commandId: 'test-register-late-work',
        collectiveId: 'MCSC',
        works: [{ workId: 'MCSC-W-LATE', title: 'Late Arrival Song', creators: [{ name: 'Zhou Latecomer', role: 'composer' }], shares: {}, effectiveFrom: '2026-01-01' }],
      }).catch((e: unknown) => {
        throw new Error(`registerWorks in test setup: ${String(e)}`);
      });
      await t.settle();
      const res = await t.call('POST', '/api/licensee/coverage', { as: L001, headers: { 'content-type': 'text/plain' }, body: 'Late Arrival Song - Zhou Latecomer\n' });
      expect((await body(res)).managed.map((m: Json) => m.workId)).toEqual(['MCSC-W-LATE']);
    });
  });

  describe('coverage', () => {
    it('says which entries of a "title - artist" list the collective manages, with an exact percentage', async () => {
      const ws = await t.db.sql<{ id: string; iswc: string | null; title: string; creator: string }[]>`
        select w.id, w.iswc, w.title, (select c.name from rm.work_creators c where c.work_id = w.id and c.role <> 'publisher' order by position limit 1) as creator
        from rm.works w where w.collective_id = 'MCSC' order by w.id limit 2`;
      const list = [`${ws[0]!.title} - ${ws[0]!.creator}`, '', `${ws[1]!.title} – ${ws[1]!.creator}`, 'Unknown Tune - Nobody Atall'].join('\n');
      const res = await t.call('POST', '/api/licensee/coverage', { as: L001, headers: { 'content-type': 'text/plain' }, body: list });
      expect(res.status).toBe(200);
      const r = await body(res);
      expect(r).toMatchObject({ format: 'list', total: 3, matched: 2, coveragePercent: '66.67' });
      expect(r.managed.map((m: Json) => [m.line, m.workId, m.iswc, m.method])).toEqual([
        [1, ws[0]!.id, ws[0]!.iswc, 'title_creator'],
        [3, ws[1]!.id, ws[1]!.iswc, 'title_creator'],
      ]);
      expect(r.notManaged).toEqual([{ line: 4, query: { title: 'Unknown Tune', creators: ['Nobody Atall'] }, reason: 'UNMATCHED.NOT_FOUND' }]);
    });

    it('reads a usage.csv catalogue, and another collective’s works are not managed', async () => {
      const [cav] = await t.db.sql<{ id: string; iswc: string }[]>`select id, iswc from rm.works where collective_id = 'CAVCA' and iswc is not null order by id limit 1`;
      const [mus] = await t.db.sql<{ id: string }[]>`select id from rm.works where collective_id = 'MCSC' order by id limit 1`;
      const text = `usage_id,work_id,iswc,isrc,title,creators,plays,amount\na,${mus!.id},,,,,1,\nb,,${cav!.iswc},,,,1,\nc,,,,,,1,\n`;
      const r = await body(await t.call('POST', '/api/licensee/coverage', { as: L001, headers: { 'content-type': 'text/csv' }, body: text }));
      expect(r).toMatchObject({ format: 'csv', total: 3, matched: 1, coveragePercent: '33.33' });
      expect(r.notManaged.map((n: Json) => n.reason)).toEqual(['UNMATCHED.UNKNOWN_ISWC', 'UNMATCHED.NO_IDENTIFIERS']);
    });

    it('refuses an empty list and a wrong media type', async () => {
      const empty = await t.call('POST', '/api/licensee/coverage', { as: L001, headers: { 'content-type': 'text/plain' }, body: '\n\n' });
      expect(empty.status).toBe(400);
      expect((await body(empty)).error.details.field).toBe('body');
      const json = await t.call('POST', '/api/licensee/coverage', { as: L001, body: { list: [] } });
      expect(json.status).toBe(400);
      expect((await body(json)).error.details.field).toBe('content-type');
    });
  });

  describe('complaints', () => {
    it('files a complaint with the regulator: text off-chain, its hash on the ledger', async () => {
      const text = 'The KTV tariff was applied to rooms that were closed for renovation.';
      const res = await t.call('POST', '/api/licensee/complaints', { as: L001, headers: key('cmp'), body: { category: 'tariff', subject: 'Tariff applied to closed rooms', text } });
      expect(res.status).toBe(201);
      const { complaint, txId } = await body(res);
      expect(complaint).toMatchObject({ collectiveId: 'MCSC', category: 'tariff', status: 'open', text, txId });
      const { createHash } = await import('node:crypto');
      const sha = createHash('sha256').update(text).digest('hex');
      expect(complaint.textSha256).toBe(sha);
      const [rec] = await t.db.sql<{ data: Json }[]>`select data from rm.records where type = 'complaint' and id = ${complaint.id}`;
      expect(rec!.data).toMatchObject({ complainantId: 'MCSC-L001', complainantKind: 'licensee', textHash: sha });
      expect(JSON.stringify(rec!.data)).not.toContain('renovation');
      // Repeating the request files nothing new.
      const again = await t.call('POST', '/api/licensee/complaints', { as: L001, headers: key('cmp'), body: { category: 'tariff', subject: 'Tariff applied to closed rooms', text } });
      expect((await body(again)).complaint.id).toBe(complaint.id);
      const list = await body(await t.call('GET', '/api/licensee/complaints', { as: L001 }));
      expect(list.items.map((c: Json) => c.id)).toEqual([complaint.id]);
      expect((await body(await t.call('GET', '/api/licensee/complaints', { as: L014 }))).items).toEqual([]);
    });

    it('refuses bad input with the field and stores nothing', async () => {
      const before = (await t.db.sql<{ n: number }[]>`select count(*)::int as n from offchain.complaint_texts`)[0]!.n;
      for (const [b, field] of [
        [{ category: 'weather', subject: 's', text: 't' }, 'category'],
        [{ category: 'fees', subject: '', text: 't' }, 'subject'],
        [{ category: 'fees', subject: 's' }, 'text'],
      ] as const) {
        const res = await t.call('POST', '/api/licensee/complaints', { as: L001, headers: key(`cmp-${field}`), body: b });
        expect(res.status).toBe(400);
        expect((await body(res)).error.details.field).toBe(field);
      }
      const other = await t.call('POST', '/api/licensee/complaints', { as: L001, headers: key('cmp'), body: { category: 'fees', subject: 'different', text: 'different text' } });
      expect(other.status).toBe(409);
      expect((await t.db.sql<{ n: number }[]>`select count(*)::int as n from offchain.complaint_texts`)[0]!.n).toBe(before);
    });
  });
});
