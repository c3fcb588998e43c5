/**
 * The authorisation matrix: every route under `/api/` that the OpenAPI document lists, called as
 * anonymous, member, licensee, operator and regulator. It walks `/openapi.json` rather than a list
 * of its own, so a router mounted later is covered without touching this file.
 *
 * For each route: no 5xx for anyone; anonymous gets 401 except on public routes; a signed-in caller
 * of another audience gets 403; the owning role gets through (2xx for reads whose parameters name
 * demo records that exist, a 4xx other than 401/403 for writes, which are sent without an
 * Idempotency-Key so nothing is written). Then foreign records: a read that succeeded for its owner
 * (member MCSC-M001, licensee MCSC-L001, the MCSC operator) answers 403/404 to another caller of the
 * same role, and lists read by the audiovisual collective's people show nothing of the music
 * collective's parties.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../auth/identity';
import { createTestApp, type TestApp } from '../testing/test-app';
import { FIXTURE, seedSupervisionData } from './routes/regulator/test-fixtures';

type Caller = 'anonymous' | Role;

/** Who may call each path prefix; the first matching prefix wins. */
const AUDIENCES: ReadonlyArray<{ prefix: string; owner: Role | 'anyone' }> = [
  { prefix: '/api/public/', owner: 'anyone' },
  { prefix: '/api/member/', owner: 'member' },
  { prefix: '/api/licensee/', owner: 'licensee' },
  { prefix: '/api/operator/', owner: 'operator' },
  { prefix: '/api/regulator/', owner: 'regulator' },
];

/** The demo account calling as each role: the owner of the records the parameters name. */
const CALLERS: Record<Caller, string | undefined> = {
  anonymous: undefined,
  member: 'member-MCSC-M001',
  licensee: 'licensee-MCSC-L001',
  operator: 'music-operator',
  regulator: 'regulator',
};

/** Another caller of the same role, to whom the owner's records are foreign. */
const FOREIGN: Record<Role, string> = {
  member: 'member-MCSC-M002',
  licensee: 'licensee-MCSC-L014',
  operator: 'av-operator',
  regulator: 'regulator',
};

/** Callers on the audiovisual collective's side, whose lists must not show the music collective's parties. */
const OTHER_COLLECTIVE: Partial<Record<Role, string>> = {
  member: 'member-CAVCA-M001',
  licensee: 'licensee-CAVCA-L017',
  operator: 'av-operator',
};
const MUSIC_PARTY = /MCSC-[MLP]\d/;

interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: { enum?: unknown[]; type?: string };
}

interface Operation {
  method: string;
  template: string;
  owner: Role | 'anyone';
  params: Param[];
}

/** A parameter value: `certain` when the record exists where every route would look, `owned` when it is private to the owner. */
interface Value {
  value: string;
  certain: boolean;
  owned: boolean;
}

interface Outcome {
  status: number;
  body: string;
}

describe('authorisation matrix over the OpenAPI document', () => {
  let t: TestApp;
  let ops: Operation[] = [];
  const ids: Record<string, string> = {};
  const results = new Map<string, Outcome>();
  const year = new Date().getUTCFullYear();

  const call = async (op: Operation, path: string, who: string | undefined): Promise<Outcome> => {
    const key = `${op.method} ${path} ${who ?? 'anonymous'}`;
    const cached = results.get(key);
    if (cached) return cached;
    const write = op.method !== 'GET';
    const res = await t.call(op.method, path, { ...(who && { as: who }), ...(write && { body: {} }) });
    const out = { status: res.status, body: await res.text() };
    results.set(key, out);
    return out;
  };

  /** The value of a parameter, from its name, the resource the path names before it, and its schema. */
  const valueOf = (op: Operation, p: Param): Value | undefined => {
    const segments = op.template.split('/');
    const before = segments[segments.findIndex((s) => s.startsWith(`{${p.name}}`)) - 1] ?? '';
    const name = p.name.toLowerCase();
    const v = (value: string | undefined, certain = true, owned = false): Value | undefined => (value === undefined ? undefined : { value, certain, owned });
    if (p.schema?.enum && p.schema.enum.length > 0) return v(String(p.schema.enum[0]));
    switch (name) {
      case 'txid': return v(ids.txId);
      case 'code': return v(ids.licenceCode);
      case 'account': return v(ids.poolAccount, true, true);
      case 'year': return v(String(year));
      case 'index': return v('0', false);
      case 'runid': return v(FIXTURE.q3.runId, false, true);
      case 'collective': return v('MCSC');
      case 'period': return v('2026Q3');
      case 'workid': return v(ids.workId);
      case 'tariffid': return v(ids.tariffId);
      case 'licenceid': return v(ids.licenceId, true, true);
      case 'invoiceid': return v(ids.invoiceId, true, true);
      case 'memberid': case 'partyid': return v(op.owner === 'licensee' ? 'MCSC-L001' : 'MCSC-M001', true, true);
      case 'licenseeid': return v('MCSC-L001', true, true);
    }
    if (name !== 'id') return undefined;
    switch (before) {
      case 'tariffs': return v(ids.tariffId);
      case 'works': return v(ids.workId);
      case 'licences': return v(ids.licenceId, true, true);
      case 'invoices': return v(ids.invoiceId, true, true);
      case 'complaints': return v(FIXTURE.complaints.member.id);
      case 'payouts': return v(FIXTURE.payout.id, false, true);
      case 'distributions': return v(FIXTURE.q3.runId, false, true);
      case 'entries': return v(ids.entryId, false, true);
      default: return undefined;
    }
  };

  /** The request path of an operation, and whether every value in it is certain and which are owned. */
  const resolve = (op: Operation) => {
    let path = op.template;
    let certain = true;
    let owned = false;
    const query: string[] = [];
    for (const p of op.params) {
      if (p.in === 'header') continue;
      if (p.in === 'query' && !p.required) continue;
      const val = valueOf(op, p);
      certain &&= val?.certain ?? false;
      owned ||= val?.owned ?? false;
      const text = encodeURIComponent(val?.value ?? 'UNKNOWN-1');
      if (p.in === 'path') path = path.replace(`{${p.name}}`, text);
      else query.push(`${p.name}=${text}`);
    }
    return { path: query.length > 0 ? `${path}?${query.join('&')}` : path, certain, owned };
  };

  beforeAll(async () => {
    t = await createTestApp();
    await seedSupervisionData(t);
    const one = async (q: string) => String(((await t.services.sql.unsafe(q))[0] as { v: unknown } | undefined)?.v ?? 'NONE');
    ids.txId = await one(`select tx_id as v from rm.invoices where licensee_id = 'MCSC-L001' order by id limit 1`);
    ids.invoiceId = await one(`select id as v from rm.invoices where licensee_id = 'MCSC-L001' order by id limit 1`);
    ids.licenceId = await one(`select id as v from rm.licences where licensee_id = 'MCSC-L001' order by id limit 1`);
    ids.licenceCode = await one(`select code as v from rm.licences where licensee_id = 'MCSC-L001' order by id limit 1`);
    ids.tariffId = await one(`select id as v from rm.tariffs where collective_id = 'MCSC' order by id limit 1`);
    ids.workId = await one(`select work_id as v from rm.share_holders where party_id = 'MCSC-M001' order by work_id limit 1`);
    ids.entryId = await one(`select id as v from rm.entries where collective_id = 'MCSC' and kind = 'income' order by id limit 1`);
    ids.poolAccount = 'pool:MCSC:performing:ktv:2026Q3';
    const spec = (await (await t.call('GET', '/openapi.json')).json()) as { paths: Record<string, Record<string, { parameters?: Param[] }>> };
    for (const [template, methods] of Object.entries(spec.paths)) {
      const audience = AUDIENCES.find((a) => template.startsWith(a.prefix));
      if (!template.startsWith('/api/')) continue;
      for (const [method, operation] of Object.entries(methods)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        // A route under /api/ outside every known audience is a failure below, not silently skipped.
        ops.push({ method: method.toUpperCase(), template, owner: audience?.owner ?? ('unknown' as Role), params: operation.parameters ?? [] });
      }
    }
    ops = ops.sort((a, b) => a.template.localeCompare(b.template) || a.method.localeCompare(b.method));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('finds the routes of every mounted audience in the OpenAPI document', () => {
    expect(ops.filter((o) => o.owner === ('unknown' as Role)).map((o) => o.template)).toEqual([]);
    // At least the regulator's own routes; the others are counted as they are mounted.
    expect(ops.filter((o) => o.owner === 'regulator').length).toBeGreaterThanOrEqual(9);
    for (const o of ops) expect(o.template).not.toMatch(/:\w+/); // OpenAPI `{param}` style throughout
  });

  it('gives each caller the status class its role allows, with no 5xx and nothing written', async () => {
    const heightBefore = (await t.services.ledger.info()).height;
    const failures: string[] = [];
    for (const op of ops) {
      const { path, certain } = resolve(op);
      for (const caller of Object.keys(CALLERS) as Caller[]) {
        const { status, body } = await call(op, path, CALLERS[caller]);
        const where = `${op.method} ${path} as ${caller}: ${status} ${body.slice(0, 160)}`;
        if (status >= 500) {
          failures.push(`5xx: ${where}`);
          continue;
        }
        if (op.owner === 'anyone') {
          if (status === 401 || status === 403) failures.push(`public route refused: ${where}`);
          else if (op.method === 'GET' && certain && (status < 200 || status > 299)) failures.push(`public read failed: ${where}`);
          continue;
        }
        if (caller === 'anonymous') {
          if (status !== 401) failures.push(`expected 401: ${where}`);
        } else if (caller !== op.owner) {
          if (status !== 403) failures.push(`expected 403 for a wrong role: ${where}`);
        } else if (status === 401 || status === 403) {
          failures.push(`owner refused: ${where}`);
        } else if (op.method === 'GET' && certain && (status < 200 || status > 299)) {
          failures.push(`owner read failed: ${where}`);
        } else if (op.method !== 'GET' && (status < 400 || status > 499)) {
          failures.push(`write without Idempotency-Key or body was accepted: ${where}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect((await t.services.ledger.info()).height).toBe(heightBefore);
  }, 300_000);

  it('answers another caller of the same role 403/404 for the owner’s records', async () => {
    const failures: string[] = [];
    let probes = 0;
    for (const op of ops) {
      if (op.method !== 'GET' || op.owner === 'anyone' || op.owner === 'regulator') continue;
      const { path, owned } = resolve(op);
      if (!owned) continue;
      const mine = await call(op, path, CALLERS[op.owner]);
      // Only a record the owner can read makes a meaningful probe.
      if (mine.status < 200 || mine.status > 299) continue;
      probes++;
      const theirs = await call(op, path, FOREIGN[op.owner]);
      if (theirs.status !== 404 && theirs.status !== 403) failures.push(`${op.method} ${path} as ${FOREIGN[op.owner]}: ${theirs.status} ${theirs.body.slice(0, 160)}`);
    }
    expect(failures).toEqual([]);
    // Probes exist once routes with owned parameters are mounted (licences, invoices, accounts…).
    if (ops.some((o) => o.owner === 'licensee')) expect(probes).toBeGreaterThan(0);
  }, 300_000);

  it('shows the audiovisual collective’s people nothing of the music collective’s parties', async () => {
    const failures: string[] = [];
    for (const op of ops) {
      if (op.method !== 'GET' || op.owner === 'anyone' || op.owner === 'regulator' || op.params.some((p) => p.in === 'path')) continue;
      const who = OTHER_COLLECTIVE[op.owner];
      if (!who) continue;
      const { path } = resolve(op);
      // Required query parameters default to the music collective's values; ask for the caller's own.
      const own = path.replace('collective=MCSC', 'collective=CAVCA');
      const res = await call(op, own, who);
      if (res.status >= 200 && res.status <= 299 && MUSIC_PARTY.test(res.body)) failures.push(`${op.method} ${own} as ${who} shows ${MUSIC_PARTY.exec(res.body)![0]}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('lets the regulator read every collective and no operator read another’s entries', async () => {
    const regulator = await t.call('GET', '/api/regulator/entries?collective=MCSC&limit=1', { as: 'regulator' });
    expect(regulator.status).toBe(200);
    expect((await t.call('GET', '/api/regulator/entries?collective=MCSC', { as: 'av-operator' })).status).toBe(403);
    expect((await t.call('GET', '/api/regulator/complaints', { as: 'member-MCSC-M001' })).status).toBe(403);
  });
});
