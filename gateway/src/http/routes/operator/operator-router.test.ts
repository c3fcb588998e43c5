import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../testing/test-app';
import { personalDataHash } from './parties';

interface ErrorJson {
  error: { code: string; details: { field?: string } };
}

describe('operator router', () => {
  let t: TestApp;
  let n = 0;
  const key = () => `test-key-${String(++n).padStart(4, '0')}`;
  const post = (path: string, body: unknown, opts: { as?: string; key?: string } = {}) =>
    t.call('POST', `/api/operator${path}`, { as: opts.as ?? 'music-operator', body, headers: { 'idempotency-key': opts.key ?? key() } });
  const get = (path: string, as = 'music-operator') => t.call('GET', `/api/operator${path}`, { as });
  const count = async (table: string, where = 'true') => Number((await t.db.sql.unsafe<{ n: string }[]>(`select count(*)::text as n from ${table} where ${where}`))[0]!.n);
  const expectError = async (res: Response, status: number, code: string, field?: string) => {
    const body = (await res.json()) as ErrorJson;
    expect({ status: res.status, code: body.error.code }).toEqual({ status, code });
    if (field !== undefined) expect(body.error.details.field).toBe(field);
  };

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('access', () => {
    it('refuses anonymous callers (401) and other roles (403) on reads and writes', async () => {
      await expectError(await t.call('GET', '/api/operator/parties'), 401, 'AUTH.UNAUTHENTICATED');
      await expectError(await t.call('POST', '/api/operator/payouts', { body: {} }), 401, 'AUTH.UNAUTHENTICATED');
      for (const as of ['member-MCSC-M001', 'licensee-MCSC-L001', 'regulator']) {
        await expectError(await get('/works', as), 403, 'AUTH.FORBIDDEN');
        await expectError(await post('/income', {}, { as }), 403, 'AUTH.FORBIDDEN');
      }
    });

    it('lists the routes in the OpenAPI document', async () => {
      const spec = (await (await t.call('GET', '/openapi.json')).json()) as { paths: Record<string, unknown> };
      for (const p of ['/api/operator/parties', '/api/operator/works/{id}/shares', '/api/operator/imports/cwr', '/api/operator/distributions/{id}', '/api/operator/claims/{id}/accept']) {
        expect(Object.keys(spec.paths)).toContain(p);
      }
    });

    it('needs an Idempotency-Key on every write', async () => {
      const res = await t.call('POST', '/api/operator/income', { as: 'music-operator', body: { incomeId: 'X-1', pool: { rightType: 'performing', useType: 'ktv', period: '2026Q4' }, amount: '1.00', currency: 'CNY', source: { kind: 'other', reference: 'r' } } });
      await expectError(res, 400, 'VALIDATION.INVALID_ARGUMENT', 'idempotency-key');
      expect(await count('rm.income', "id = 'X-1'")).toBe(0);
    });
  });

  describe('parties', () => {
    it('registers a member with contact details off the ledger and only their salted hash on it', async () => {
      const contact = { email: 'li.na@example.com', phone: '+86 10 5555 0101', bankAccount: 'CN-ICBC-6222020000000001' };
      const res = await post('/parties', { partyId: 'MCSC-M900', kind: 'member', name: '李娜', memberType: 'composer', ipiNameNumber: '00999000001', contact });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { party: { personalDataHash: string; hasPrivateData: boolean; collectiveId: string } };
      expect(body.party).toMatchObject({ collectiveId: 'MCSC', hasPrivateData: true });
      const [priv] = await t.db.sql<{ salt: string; sha256: string }[]>`select salt, sha256 from offchain.party_private where party_id = 'MCSC-M900'`;
      expect(body.party.personalDataHash).toBe(priv!.sha256);
      expect(personalDataHash('MCSC-M900', priv!.salt, contact)).toBe(priv!.sha256);
      // Nothing personal reached the ledger's record.
      const [row] = await t.db.sql<{ data: unknown }[]>`select data from rm.parties where id = 'MCSC-M900'`;
      expect(JSON.stringify(row!.data)).not.toMatch(/example\.com|6222020000000001|5555/);
      const list = (await (await get('/parties?kind=member&q=M900')).json()) as { items: Array<{ id: string }> };
      expect(list.items.map((p) => p.id)).toEqual(['MCSC-M900']);
    });

    it('returns the first result for a repeated key and writes nothing for a bad or foreign request', async () => {
      const body = { partyId: 'MCSC-L900', kind: 'licensee', name: 'Test KTV', licenseeType: 'ktv', contact: { phone: '+86 10 5555 0102' } };
      const k = key();
      const a = (await (await post('/parties', body, { key: k })).json()) as { receipt: { txId: string } };
      const b = (await (await post('/parties', body, { key: k })).json()) as { receipt: { txId: string } };
      expect(b.receipt.txId).toBe(a.receipt.txId);
      await expectError(await post('/parties', { partyId: 'MCSC-M901', kind: 'member', name: 'x' }), 400, 'VALIDATION.INVALID_ARGUMENT', 'memberType');
      await expectError(await post('/parties', { partyId: 'MCSC-M902', kind: 'member', name: 'x', memberType: 'author', contact: { email: 'not-an-email' } }), 400, 'VALIDATION.INVALID_ARGUMENT', 'contact.email');
      await expectError(await post('/parties', { collectiveId: 'CAVCA', partyId: 'MCSC-M903', kind: 'member', name: 'x', memberType: 'author' }), 403, 'AUTH.FORBIDDEN', 'collectiveId');
      // A duplicate party id is refused by the ledger and its private row is rolled back.
      await expectError(await post('/parties', { partyId: 'MCSC-M001', kind: 'member', name: 'dup', memberType: 'author', contact: { email: 'dup@example.com' } }), 409, 'ALREADY_EXISTS');
      expect(await count('offchain.party_private', "party_id in ('MCSC-M901', 'MCSC-M902', 'MCSC-M903', 'MCSC-M001')")).toBe(0);
      expect(await count('rm.parties', "id in ('MCSC-M901', 'MCSC-M902', 'MCSC-M903')")).toBe(0);
    });

    it("lists only the operator's own collective, with keyset pages", async () => {
      const first = (await (await get('/parties?kind=member&limit=10')).json()) as { items: Array<{ id: string; collectiveId: string }>; nextCursor: string };
      expect(first.items).toHaveLength(10);
      const second = (await (await get(`/parties?kind=member&limit=10&cursor=${first.nextCursor}`)).json()) as { items: Array<{ id: string }> };
      expect(second.items[0]!.id > first.items[9]!.id).toBe(true);
      const av = (await (await get('/parties?limit=200', 'av-operator')).json()) as { items: Array<{ collectiveId: string }> };
      expect(new Set(av.items.map((p) => p.collectiveId))).toEqual(new Set(['CAVCA']));
      await expectError(await get('/parties?cursor=garbage'), 400, 'VALIDATION.INVALID_ARGUMENT', 'cursor');
    });
  });

  describe('works, shares and recordings', () => {
    const work = (i: number, extra: Record<string, unknown> = {}) => ({
      workId: `MCSC-TW${String(i).padStart(4, '0')}`,
      title: `Test work ${i}`,
      creators: [{ name: '王伟', role: 'composer', partyId: 'MCSC-M001' }],
      shares: { performing: [{ partyId: 'MCSC-M001', share: '60' }, { partyId: 'MCSC-M002', share: '40' }] },
      effectiveFrom: '2026-01-01',
      ...extra,
    });

    it('registers more than 200 works in derived batches, and a retry returns the same batches', async () => {
      const works = Array.from({ length: 205 }, (_, i) => work(i));
      const k = key();
      const res = await post('/works', { works }, { key: k });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { batches: Array<{ batch: number; works: number; txId: string }> };
      expect(body.batches.map((b) => b.works)).toEqual([200, 5]);
      const again = (await (await post('/works', { works }, { key: k })).json()) as typeof body;
      expect(again.batches.map((b) => b.txId)).toEqual(body.batches.map((b) => b.txId));
      expect(await count('rm.works', "id like 'MCSC-TW%'")).toBe(205);
      const found = (await (await get('/works?q=Test%20work%20204')).json()) as { items: Array<{ id: string; shares: Array<{ rightType: string; holders: unknown[] }> }> };
      expect(found.items[0]).toMatchObject({ id: 'MCSC-TW0204', shares: [{ rightType: 'performing', holders: [{ partyId: 'MCSC-M001', share: '60.0000' }, { partyId: 'MCSC-M002', share: '40.0000' }] }] });
    });

    it('checks every work before the first batch: one bad work in the last batch writes nothing', async () => {
      const works = Array.from({ length: 201 }, (_, i) => work(1000 + i));
      works[200] = work(1200, { shares: { performing: [{ partyId: 'MCSC-M001', share: '70' }, { partyId: 'MCSC-M002', share: '40' }] } });
      await expectError(await post('/works', { works }), 422, 'SHARES.OVER_100', 'works.200.shares.performing');
      works[200] = work(1200, { shares: { performing: [{ partyId: 'CAVCA-M001', share: '50' }] } });
      await expectError(await post('/works', { works }), 404, 'NOT_FOUND', 'works.200.shares.performing.0.partyId');
      await expectError(await post('/works', { works: [work(1300, { title: '' })] }), 400, 'VALIDATION.INVALID_ARGUMENT', 'works.0.title');
      await expectError(await post('/works', { works: [work(1)] }), 409, 'ALREADY_EXISTS', 'works.0.workId');
      expect(await count('rm.works', "id like 'MCSC-TW1%'")).toBe(0);
    });

    it('records a new share version of an own work only', async () => {
      const res = await post('/works/MCSC-TW0001/shares', { rightType: 'mechanical', effectiveFrom: '2026-07-01', shares: [{ partyId: 'MCSC-M003', share: '100' }] });
      expect(res.status).toBe(201);
      await expectError(await post('/works/CAVCA-W0001/shares', { rightType: 'mechanical', effectiveFrom: '2026-07-01', shares: [{ partyId: 'MCSC-M003', share: '100' }] }), 404, 'NOT_FOUND');
      await expectError(await post('/works/MCSC-TW0002/shares', { rightType: 'mechanical', effectiveFrom: '2026-07-01', shares: [{ partyId: 'MCSC-M003', share: '100.5' }] }), 400, 'VALIDATION.INVALID_ARGUMENT', 'shares.0.share');
      expect(await count('rm.shares', "work_id = 'MCSC-TW0002' and right_type = 'mechanical'")).toBe(0);
    });

    it('registers recordings of own works and refuses a foreign work', async () => {
      expect((await post('/recordings', { recordings: [{ isrc: 'CN-T01-26-00001', workId: 'MCSC-TW0001', title: 'Test work 1' }] })).status).toBe(201);
      await expectError(await post('/recordings', { recordings: [{ isrc: 'CN-T01-26-00002', workId: 'CAVCA-W0001', title: 'x' }] }), 404, 'NOT_FOUND', 'recordings.0.workId');
      expect(await count('rm.recordings', "isrc = 'CNT012600002'")).toBe(0);
    });
  });

  describe('tariffs, licences, invoices, payments, income', () => {
    it('publishes a tariff, issues and revokes a licence, invoices, takes a payment and posts income, exactly', async () => {
      const tariff = await post('/tariffs', {
        tariffId: 'MCSC-T-TEST',
        name: 'Test tariff',
        useType: 'ktv',
        rightTypes: ['performing'],
        reasoning: 'For tests.',
        formula: { kind: 'flat', currency: 'CNY', ratePerUnit: '2.50', unit: 'square_metre', period: 'year' },
        effectiveFrom: '2026-01-01',
      });
      if (tariff.status !== 201) throw new Error(await tariff.text());
      const lic = await post('/licences', { licenceId: 'MCSC-LIC-TEST', licenseeId: 'MCSC-L001', tariffId: 'MCSC-T-TEST', validFrom: '2026-01-01', validTo: '2026-12-31', territory: 'CN', scope: 'test', fee: '1000.00', currency: 'CNY' });
      expect(lic.status).toBe(201);
      expect(((await lic.json()) as { licence: { code: string } }).licence.code).toMatch(/^LIC-/);
      const inv = await post('/invoices', { invoiceId: 'MCSC-INV-TEST', licenseeId: 'MCSC-L001', licenceId: 'MCSC-LIC-TEST', pool: { rightType: 'performing', useType: 'ktv', period: '2026Q4' }, amount: '0.30', currency: 'CNY' });
      expect(inv.status).toBe(201);
      const pay = await post('/payments', { paymentId: 'MCSC-PAY-TEST', invoiceId: 'MCSC-INV-TEST', amount: '0.10', currency: 'CNY' });
      expect(pay.status).toBe(201);
      const paid = (await pay.json()) as { invoice: { paid: string; outstanding: string; status: string } };
      expect(paid.invoice).toMatchObject({ paid: '0.10', outstanding: '0.20', status: 'open' });
      await expectError(await post('/payments', { paymentId: 'MCSC-PAY-TOO-MUCH', invoiceId: 'MCSC-INV-TEST', amount: '0.21', currency: 'CNY' }), 422, 'LEDGER.INSUFFICIENT_FUNDS', 'amount');
      await expectError(await post('/payments', { paymentId: 'MCSC-PAY-BAD', invoiceId: 'MCSC-INV-TEST', amount: '0.105', currency: 'CNY' }), 400, 'VALIDATION.INVALID_ARGUMENT', 'amount');
      const open = (await (await get('/invoices?status=open&licenseeId=MCSC-L001')).json()) as { items: Array<{ id: string }> };
      expect(open.items.map((i) => i.id)).toContain('MCSC-INV-TEST');
      const income = await post('/income', { incomeId: 'MCSC-INC-TEST', pool: { rightType: 'performing', useType: 'ktv', period: '2026Q4' }, amount: '1234.56', currency: 'CNY', source: { kind: 'society', reference: 'test' } });
      expect(income.status).toBe(201);
      const listed = (await (await get('/income')).json()) as { items: Array<{ id: string; amount: string }> };
      expect(listed.items.find((i) => i.id === 'MCSC-INC-TEST')?.amount).toBe('1234.56');
      const revoked = await post('/licences/MCSC-LIC-TEST/revoke', { reasonCode: 'CANCELLED' });
      expect(((await revoked.json()) as { licence: { status: string } }).licence.status).toBe('revoked');
    });

    it("keeps other collectives' records out of reach (404) and their lists empty", async () => {
      await expectError(await post('/licences', { licenceId: 'X-LIC', licenseeId: 'CAVCA-L017', tariffId: 'MCSC-T-KTV-2026', validFrom: '2026-01-01', validTo: '2026-12-31', territory: 'CN', scope: 'x', fee: '1.00', currency: 'CNY' }), 404, 'NOT_FOUND', 'licenseeId');
      await expectError(await post('/licences', { licenceId: 'X-LIC', licenseeId: 'MCSC-L001', tariffId: 'CAVCA-T-KTV-2026', validFrom: '2026-01-01', validTo: '2026-12-31', territory: 'CN', scope: 'x', fee: '1.00', currency: 'CNY' }), 404, 'NOT_FOUND', 'tariffId');
      await expectError(await post('/licences/MCSC-L001-LIC-2026/revoke', { reasonCode: 'CANCELLED' }, { as: 'av-operator' }), 404, 'NOT_FOUND');
      await expectError(await post('/payments', { paymentId: 'X-PAY', invoiceId: 'MCSC-INV-TEST', amount: '0.01', currency: 'CNY' }, { as: 'av-operator' }), 404, 'NOT_FOUND', 'invoiceId');
      await expectError(await post('/income', { collectiveId: 'MCSC', incomeId: 'X-INC', pool: { rightType: 'performing', useType: 'ktv', period: '2026Q4' }, amount: '1.00', currency: 'CNY', source: { kind: 'other', reference: 'x' } }, { as: 'av-operator' }), 403, 'AUTH.FORBIDDEN', 'collectiveId');
      const avInvoices = (await (await get('/invoices?limit=200', 'av-operator')).json()) as { items: Array<{ id: string }> };
      expect(avInvoices.items.some((i) => i.id.startsWith('MCSC'))).toBe(false);
      expect(await count('rm.licences', "id = 'X-LIC'")).toBe(0);
      expect(await count('rm.income', "id = 'X-INC'")).toBe(0);
    });
  });

  describe('payouts, entries and corrections', () => {
    it('requests and completes payouts in two phases, never above the payable balance', async () => {
      // Give M001 something payable through an adjustment of the demo income entry.
      const [entry] = await t.db.sql<{ id: string }[]>`select id from rm.entries where kind = 'income' and collective_id = 'MCSC' limit 1`;
      const adj = await post('/adjustments', {
        entryId: entry!.id,
        reasonCode: 'OTHER',
        note: 'test: move broadcast income to a member',
        currency: 'CNY',
        postings: [
          { account: 'pool:MCSC:performing:broadcast:2026Q3', amount: '10.00' },
          { account: 'member:MCSC-M001:payable', amount: '-10.00' },
        ],
      });
      expect(adj.status).toBe(201);
      await expectError(await post('/payouts', { payoutId: 'PO-TEST-1', memberId: 'MCSC-M001', amount: '10.01', currency: 'CNY' }), 422, 'LEDGER.INSUFFICIENT_FUNDS');
      expect((await post('/payouts', { payoutId: 'PO-TEST-1', memberId: 'MCSC-M001', amount: '6.00', currency: 'CNY' })).status).toBe(201);
      expect((await post('/payouts', { payoutId: 'PO-TEST-2', memberId: 'MCSC-M001', amount: '4.00', currency: 'CNY' })).status).toBe(201);
      const paid = await post('/payouts/PO-TEST-1/complete', { outcome: 'paid', bankReference: 'BANK-1' });
      expect(((await paid.json()) as { payout: { status: string } }).payout.status).toBe('paid');
      await expectError(await post('/payouts/PO-TEST-2/complete', { outcome: 'voided' }), 400, 'VALIDATION.INVALID_ARGUMENT', 'reasonCode');
      expect(((await (await post('/payouts/PO-TEST-2/complete', { outcome: 'voided', reasonCode: 'WRONG_AMOUNT' })).json()) as { payout: { status: string } }).payout.status).toBe('voided');
      await expectError(await post('/payouts/PO-TEST-1/complete', { outcome: 'paid' }), 409, 'LEDGER.INVALID_STATE');
      await expectError(await post('/payouts/PO-TEST-2/complete', { outcome: 'paid' }, { as: 'av-operator' }), 404, 'NOT_FOUND');
      await expectError(await post('/payouts', { payoutId: 'PO-X', memberId: 'MCSC-M001', amount: '1.00', currency: 'CNY' }, { as: 'av-operator' }), 404, 'NOT_FOUND', 'memberId');
      const list = (await (await get('/payouts?memberId=MCSC-M001')).json()) as { items: Array<{ id: string; status: string; amount: string }> };
      expect(list.items).toEqual([expect.objectContaining({ id: 'PO-TEST-1', status: 'paid', amount: '6.00' }), expect.objectContaining({ id: 'PO-TEST-2', status: 'voided', amount: '4.00' })]);
      // Payable: 10.00 credited, 6.00 paid out, 4.00 voided back.
      const [bal] = await t.db.sql<{ b: string }[]>`select (-sum(amount))::text as b from rm.postings where account = 'member:MCSC-M001:payable'`;
      expect(bal!.b).toBe('4.00');
    });

    it('lists entries by account and reverses an entry once', async () => {
      const page = (await (await get('/entries?account=pool:MCSC:performing:ktv:2026Q4&limit=1')).json()) as { items: Array<{ id: string; kind: string }>; nextCursor: string | null };
      expect(page.items).toHaveLength(1);
      expect(page.nextCursor).not.toBeNull();
      const income = ((await (await get('/entries?account=pool:MCSC:performing:ktv:2026Q4&limit=50')).json()) as typeof page).items.find((e) => e.kind === 'income')!;
      await expectError(await post(`/entries/${income.id}/reverse`, { reasonCode: 'NOPE' }), 400, 'VALIDATION.INVALID_ARGUMENT', 'reasonCode');
      await expectError(await post(`/entries/${income.id}/reverse`, { reasonCode: 'DUPLICATE' }, { as: 'av-operator' }), 404, 'NOT_FOUND');
      const rev = await post(`/entries/${income.id}/reverse`, { reasonCode: 'DUPLICATE', note: 'test' });
      expect(rev.status).toBe(201);
      await expectError(await post(`/entries/${income.id}/reverse`, { reasonCode: 'DUPLICATE' }), 409, 'LEDGER.ALREADY_REVERSED');
      const av = (await (await get('/entries?account=pool:MCSC:performing:ktv:2026Q4', 'av-operator')).json()) as typeof page;
      expect(av.items).toEqual([]);
      await expectError(await post('/adjustments', { entryId: income.id, reasonCode: 'OTHER', note: 'x', currency: 'CNY', postings: [{ account: 'bank:CAVCA', amount: '1.00' }, { account: 'bank:MCSC', amount: '-1.00' }] }), 403, 'ACCESS.DENIED', 'postings.0.account');
    });
  });

  describe('claims', () => {
    const claim = async (id: string, collective: string, runId: string) => {
      await t.db.sql`insert into offchain.claims ${t.db.sql({ id, collective_id: collective, claimant_id: `${collective}-M002`, run_id: runId, suspense_idx: 0, amount: '5.00', currency: 'CNY', evidence: 'I wrote it', status: 'submitted' })}`;
    };

    it('accepts a claim by releasing suspense on the ledger, rejects another with a note', async () => {
      // A run whose pool suspense holds money: set up with an adjustment into the suspense account.
      await t.db.sql`insert into offchain.distribution_runs ${t.db.sql({ id: 'RUN-CLAIMS', collective_id: 'MCSC', right_type: 'performing', use_type: 'broadcast', period: '2026Q3', status: 'done', parameters: t.db.sql.json({}), usage_report_ids: [], created_by: 'test' })}`;
      const [entry] = await t.db.sql<{ id: string }[]>`select id from rm.entries where kind = 'income' and collective_id = 'MCSC' limit 1`;
      expect((await post('/adjustments', { entryId: entry!.id, reasonCode: 'OTHER', note: 'test suspense', currency: 'CNY', postings: [{ account: 'pool:MCSC:performing:broadcast:2026Q3', amount: '8.00' }, { account: 'suspense:MCSC:performing:broadcast:2026Q3', amount: '-8.00' }] })).status).toBe(201);
      await claim('CLM-1', 'MCSC', 'RUN-CLAIMS');
      await claim('CLM-2', 'MCSC', 'RUN-CLAIMS');
      const submitted = (await (await get('/claims?status=submitted')).json()) as { items: Array<{ id: string }> };
      expect(submitted.items.map((c) => c.id).sort()).toEqual(['CLM-1', 'CLM-2']);
      await expectError(await post('/claims/CLM-1/accept', {}, { as: 'av-operator' }), 404, 'NOT_FOUND');
      const k = key();
      const accepted = (await (await post('/claims/CLM-1/accept', { note: 'evidence checked' }, { key: k })).json()) as { claim: { status: string; releaseTxId: string } };
      expect(accepted.claim.status).toBe('accepted');
      const again = (await (await post('/claims/CLM-1/accept', { note: 'evidence checked' }, { key: k })).json()) as typeof accepted;
      expect(again.claim.releaseTxId).toBe(accepted.claim.releaseTxId);
      const [bal] = await t.db.sql<{ b: string }[]>`select (-sum(amount))::text as b from rm.postings where account = 'suspense:MCSC:performing:broadcast:2026Q3'`;
      expect(bal!.b).toBe('3.00');
      await expectError(await post('/claims/CLM-2/reject', {}), 400, 'VALIDATION.INVALID_ARGUMENT', 'note');
      const rejected = (await (await post('/claims/CLM-2/reject', { note: 'not in the repertoire' })).json()) as { claim: { status: string; decisionNote: string } };
      expect(rejected.claim).toMatchObject({ status: 'rejected', decisionNote: 'not in the repertoire' });
      await expectError(await post('/claims/CLM-2/accept', {}), 409, 'LEDGER.INVALID_STATE');
      expect(((await (await get('/claims', 'av-operator')).json()) as { items: unknown[] }).items).toEqual([]);
    });
  });

  it('answers a repeated key with another body as a conflict', async () => {
    const k = key();
    const pool = { rightType: 'performing', useType: 'live', period: '2026Q4' };
    expect((await post('/income', { incomeId: 'MCSC-INC-K', pool, amount: '0.10', currency: 'CNY', source: { kind: 'other', reference: 'r' } }, { key: k })).status).toBe(201);
    await expectError(await post('/income', { incomeId: 'MCSC-INC-K', pool, amount: '0.20', currency: 'CNY', source: { kind: 'other', reference: 'r' } }, { key: k }), 409, 'LEDGER.IDEMPOTENCY_CONFLICT');
  });
});
