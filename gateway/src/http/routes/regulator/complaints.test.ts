import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regulatorIdentity } from '../../../ledger/organisations';
import { createTestApp, type TestApp } from '../../../testing/test-app';
import { FIXTURE, seedSupervisionData } from './test-fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const R = '/api/regulator';
const { member, licensee } = FIXTURE.complaints;
const day = (iso: string, plusDays: number) => new Date(Date.parse(iso) + plusDays * 86_400_000).toISOString().slice(0, 10);

describe('regulator complaints', () => {
  let t: TestApp;
  let keyNo = 0;
  const key = () => `finding-test-${++keyNo}`;
  const get = async (path: string, as = 'regulator') => {
    const res = await t.call('GET', `${R}${path}`, { as });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const post = async (id: string, body: unknown, opts: { as?: string; key?: string | null } = {}) => {
    const headers: Record<string, string> = {};
    const k = opts.key === undefined ? key() : opts.key;
    if (k !== null) headers['idempotency-key'] = k;
    const res = await t.call('POST', `${R}/complaints/${id}/findings`, { as: opts.as ?? 'regulator', body, headers });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const height = async () => (await t.services.ledger.info()).height;
  const statusOf = async (id: string) => ((await t.services.sql`select data->>'status' as s from rm.records where type = 'complaint' and id = ${id}`)[0] as { s: string }).s;

  beforeAll(async () => {
    t = await createTestApp();
    await seedSupervisionData(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists complaints with the 60-day clock, by status and as of a date', async () => {
    const { status, body } = await get('/complaints');
    expect(status).toBe(200);
    expect(body.items.map((c: Json) => c.id)).toEqual([member.id, licensee.id].sort());
    const m = body.items.find((c: Json) => c.id === member.id);
    expect(m).toMatchObject({ collectiveId: 'MCSC', complainantId: 'MCSC-M001', complainantKind: 'member', category: 'statement', status: 'open', overdue: false, closedLate: null, finding: null });
    expect(Date.parse(m.dueBy) - Date.parse(m.filedAt)).toBe(60 * 86_400_000);
    expect(m.receipt.href).toBe(`/api/public/receipts/${m.receipt.txId}`);
    expect(m.text).toBeUndefined(); // texts only in the detail
    // Evaluated at a fixed date, the clock is exact.
    const filedDay = m.filedAt.slice(0, 10);
    const early = (await get(`/complaints?asOf=${day(filedDay, 10)}`)).body.items.find((c: Json) => c.id === member.id);
    expect(early.daysLeft).toBe(Math.floor((Date.parse(m.dueBy) - Date.parse(`${day(filedDay, 10)}T00:00:00Z`)) / 86_400_000));
    expect(early.overdue).toBe(false);
    const overdue = (await get(`/complaints?asOf=${day(filedDay, 61)}`)).body.items.find((c: Json) => c.id === member.id);
    expect(overdue.overdue).toBe(true);
    expect(overdue.daysLeft).toBeLessThan(0);

    const page1 = await get('/complaints?limit=1');
    expect(page1.body.items).toHaveLength(1);
    const page2 = await get(`/complaints?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
    expect(page2.body.nextCursor).toBeNull();
    expect((await get('/complaints?status=closed')).body.items).toEqual([]);
    const bad = await get('/complaints?status=pending');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.field).toBe('status');
  });

  it('shows a complaint with its off-chain text, checked against the hash on the ledger', async () => {
    const m = await get(`/complaints/${member.id}`);
    expect(m.status).toBe(200);
    expect(m.body).toMatchObject({ id: member.id, text: member.text, textMatchesLedger: true });
    const l = await get(`/complaints/${licensee.id}`);
    expect(l.body.textMatchesLedger).toBe(false); // the stored text was edited after filing
    expect(l.body.complainantKind).toBe('licensee');
    const missing = await get('/complaints/CMP-NOPE');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    expect((await get('/complaints/bad%20id')).status).toBe(400);
  });

  it('refuses findings from anyone but the regulator, and bad findings, writing nothing', async () => {
    const before = await height();
    expect((await t.call('POST', `${R}/complaints/${member.id}/findings`, { body: { status: 'investigating' }, headers: { 'idempotency-key': key() } })).status).toBe(401);
    for (const as of ['music-operator', 'member-MCSC-M001', 'licensee-CAVCA-L017']) {
      const res = await post(member.id, { status: 'investigating' }, { as });
      expect(res.status, as).toBe(403);
      expect(res.body.error.code).toBe('AUTH.FORBIDDEN');
    }
    for (const [body, field] of [
      [{ status: 'closed', summary: 'Statement corrected.' }, 'outcome'],
      [{ status: 'closed', outcome: 'upheld' }, 'summary'],
      [{ status: 'investigating', outcome: 'upheld' }, 'outcome'],
      [{ status: 'resolved' }, 'status'],
      [{ status: 'closed', outcome: 'upheld', summary: ' ' }, 'summary'],
      [{ status: 'investigating', extra: 1 }, ''],
    ] as const) {
      const res = await post(member.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION.INVALID_ARGUMENT');
      if (field) expect(res.body.error.details.field, JSON.stringify(body)).toBe(field);
    }
    const noKey = await post(member.id, { status: 'investigating' }, { key: null });
    expect(noKey.status).toBe(400);
    expect(String(noKey.body.error.details.field).toLowerCase()).toBe('idempotency-key');
    const notJson = await t.call('POST', `${R}/complaints/${member.id}/findings`, { as: 'regulator', body: '{', headers: { 'content-type': 'application/json', 'idempotency-key': key() } });
    expect(notJson.status).toBe(400);
    const unknown = await post('CMP-NOPE', { status: 'investigating' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    expect(await height()).toBe(before);
    expect(await statusOf(member.id)).toBe('open');
  });

  it('moves a complaint to investigation, then closes it with a finding, once', async () => {
    const k = key();
    const started = await post(member.id, { status: 'investigating' }, { key: k });
    expect(started.status).toBe(200);
    expect(started.body.complaint.status).toBe('investigating');
    expect(started.body.txId).toMatch(/^[0-9a-f]{64}$/);
    // The same key and body: the first result, and the complaint's record is not written again.
    const versions = async () => (await t.services.ledger.evaluate<{ versions: unknown[] }>(regulatorIdentity(), 'queries:getHistory', { type: 'complaint', id: [member.id] })).versions.length;
    const before = await versions();
    const replay = await post(member.id, { status: 'investigating' }, { key: k });
    expect(replay.status).toBe(200);
    expect(replay.body.txId).toBe(started.body.txId);
    expect(replay.body.blockNumber).toBe(started.body.blockNumber);
    expect(await versions()).toBe(before);
    const conflict = await post(member.id, { status: 'closed', outcome: 'rejected', summary: 'x' }, { key: k });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('LEDGER.IDEMPOTENCY_CONFLICT');

    const closed = await post(member.id, { status: 'closed', outcome: 'partly_upheld', summary: 'KTV plays of 2026Q3 were missing for one venue; the collective re-ran the distribution.' });
    expect(closed.status).toBe(200);
    expect(closed.body.complaint).toMatchObject({ status: 'closed', overdue: false, closedLate: false, daysLeft: null, finding: { outcome: 'partly_upheld', txId: closed.body.txId } });
    const detail = (await get(`/complaints/${member.id}`)).body;
    expect(detail.status).toBe('closed');
    expect(detail.receipt.txId).toBe(closed.body.txId);
    expect((await get('/complaints?status=closed')).body.items.map((c: Json) => c.id)).toEqual([member.id]);
    expect((await get('/complaints?status=open')).body.items.map((c: Json) => c.id)).toEqual([licensee.id]);

    const again = await post(member.id, { status: 'investigating' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('LEDGER.INVALID_STATE');

    const audit = (await get('/audit?limit=20')).body.entries.find((e: Json) => e.txId === closed.body.txId);
    expect(audit).toMatchObject({ username: 'regulator', action: 'regulator.complaint.finding', target: `complaint:${member.id}`, outcome: 'ok' });
  });
});
