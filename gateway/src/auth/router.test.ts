import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { auditWrites } from './audit';
import { authenticate, requireRole } from './middleware';
import { authRouter } from './router';
import type { AuthService } from './service';
import { openTestAuth, testApp, testClock, type TestClock } from './test-support';

let db: TestDatabase;
let auth: AuthService;
let clock: TestClock;
let ip = '192.0.2.1';

function buildApp() {
  const app = testApp();
  app.use('*', auditWrites(auth.audit, { clientIp: () => ip }));
  app.route('/auth', authRouter({ auth, clientIp: () => ip }));
  // Mounted after the auth router, as the README advises: a stale token cannot block /auth/login,
  // and the router's own authenticate() for /auth/me etc. does the work once.
  app.use('*', authenticate(auth));
  // A tiny protected surface, as the integrator will mount feature routers.
  app.get('/protected/operators', requireRole('operator'), (c) => c.json({ ok: true, user: c.var.user?.username }));
  app.get('/protected/any', requireRole(), (c) => c.json({ ok: true }));
  app.post('/protected/income', requireRole('operator'), (c) => {
    c.set('txId', 'tx-123');
    c.set('auditTarget', 'income:INC-1');
    return c.json({ ok: true }, 201);
  });
  app.post('/protected/boom', requireRole(), () => {
    throw new Error('kaput');
  });
  return app;
}
let app: ReturnType<typeof buildApp>;

beforeAll(async () => {
  db = await createTestDatabase();
  clock = testClock();
  auth = await openTestAuth(db.sql, { now: clock.now });
  app = buildApp();
  await auth.createUser({ username: 'opr', password: 'operator password', role: 'operator', collectiveId: 'MCSC', displayName: 'Op' });
  await auth.createUser({ username: 'lic', password: 'licensee password', role: 'licensee', collectiveId: 'MCSC', partyId: 'MCSC-L001', displayName: 'Lic' });
  await auth.createUser({ username: 'reg', password: 'regulator password', role: 'regulator', displayName: 'Reg' });
});
afterAll(async () => {
  await db?.drop();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

async function login(username: string, password: string): Promise<string> {
  const res = await post('/auth/login', { username, password });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('POST /auth/login', () => {
  it('returns a token, its expiry and the user', async () => {
    const res = await post('/auth/login', { username: 'opr', password: 'operator password' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; expiresAt: string; user: Record<string, unknown> };
    expect(body.user).toMatchObject({ username: 'opr', role: 'operator', collectiveId: 'MCSC', mspId: 'MusicCmoMSP' });
    expect(body.expiresAt).toBe(new Date(clock.ms + 8 * 3600_000).toISOString());
    expect(body.token).toMatch(/^[\w-]+\.[\w-]+$/);
    const withStaleToken = await post('/auth/login', { username: 'opr', password: 'operator password' }, { authorization: 'Bearer stale.token' });
    expect(withStaleToken.status).toBe(200);
  });

  it('answers bad input with 400 VALIDATION.INVALID_ARGUMENT naming the field', async () => {
    const res = await post('/auth/login', { username: 'opr' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { field: string } } };
    expect(body.error.code).toBe('VALIDATION.INVALID_ARGUMENT');
    expect(body.error.details.field).toBe('password');
    const notJson = await app.request('/auth/login', { method: 'POST', body: 'username=op', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
  });

  it('the sixth failure in a row is 429 with Retry-After; a success resets the username count', async () => {
    ip = '198.51.100.7';
    for (let i = 1; i <= 4; i++) expect((await post('/auth/login', { username: 'lic', password: `wrong ${i}` })).status).toBe(401);
    await login('lic', 'licensee password'); // resets the count for "lic"
    for (let i = 1; i <= 5; i++) {
      const res = await post('/auth/login', { username: 'lic', password: `wrong ${i}` });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('AUTH.INVALID_CREDENTIALS');
    }
    const sixth = await post('/auth/login', { username: 'lic', password: 'licensee password' });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await sixth.json()) as { error: { code: string } }).error.code).toBe('AUTH.RATE_LIMITED');
    // Another username from another address is not affected; the blocked one is, from anywhere.
    ip = '198.51.100.8';
    expect((await post('/auth/login', { username: 'opr', password: 'operator password' })).status).toBe(200);
    expect((await post('/auth/login', { username: 'LIC', password: 'licensee password' })).status).toBe(429);
    clock.advanceMinutes(15);
    expect((await post('/auth/login', { username: 'lic', password: 'licensee password' })).status).toBe(200);
  });
});

describe('sessions over HTTP', () => {
  it('GET /auth/me needs a credential; logout revokes the token', async () => {
    expect((await app.request('/auth/me')).status).toBe(401);
    const token = await login('reg', 'regulator password');
    const me = await app.request('/auth/me', { headers: bearer(token) });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { role: string; mspId: string } }).user).toMatchObject({ role: 'regulator', mspId: 'RegulatorMSP' });
    const out = await post('/auth/logout', {}, bearer(token));
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ revoked: true });
    const after = await app.request('/auth/me', { headers: bearer(token) });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string; details: { reason: string } } }).error).toMatchObject({ code: 'AUTH.UNAUTHENTICATED', details: { reason: 'revoked' } });
  });
});

describe('API keys over HTTP', () => {
  it('creates (shown once), authenticates with ApiKey and X-Api-Key, lists without the key, revokes', async () => {
    const token = await login('lic', 'licensee password');
    const created = await post('/auth/api-keys', { label: 'POS upload' }, bearer(token));
    expect(created.status).toBe(201);
    const k = (await created.json()) as { id: string; key: string; prefix: string; label: string };
    expect(k.label).toBe('POS upload');

    const keyHeaders: Array<Record<string, string>> = [{ authorization: `ApiKey ${k.key}` }, { 'x-api-key': k.key }];
    for (const headers of keyHeaders) {
      const me = await app.request('/auth/me', { headers });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { user: { partyId: string } }).user.partyId).toBe('MCSC-L001');
    }
    // A key cannot mint keys, and cannot be "logged out".
    expect((await post('/auth/api-keys', { label: 'more' }, { 'x-api-key': k.key })).status).toBe(403);
    expect((await post('/auth/logout', {}, { 'x-api-key': k.key })).status).toBe(400);

    const list = await app.request('/auth/api-keys', { headers: bearer(token) });
    const text = await list.text();
    expect(text).toContain(k.prefix);
    expect(text).not.toContain(k.key);

    expect((await app.request('/auth/api-keys/not-a-uuid', { method: 'DELETE', headers: bearer(token) })).status).toBe(400);
    expect((await app.request('/auth/api-keys/00000000-0000-4000-8000-000000000000', { method: 'DELETE', headers: bearer(token) })).status).toBe(404);
    const del = await app.request(`/auth/api-keys/${k.id}`, { method: 'DELETE', headers: bearer(token) });
    expect(del.status).toBe(200);
    expect(((await del.json()) as { revokedAt: string | null }).revokedAt).not.toBeNull();
    expect((await app.request('/auth/me', { headers: { 'x-api-key': k.key } })).status).toBe(401);
  });

  it('rejects an empty label naming the field', async () => {
    const token = await login('opr', 'operator password');
    const res = await post('/auth/api-keys', { label: '   ' }, bearer(token));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { details: { field: string } } }).error.details.field).toBe('label');
  });
});

describe('requireRole', () => {
  it('401 when anonymous, 403 for another role, 200 for the role', async () => {
    const anon = await app.request('/protected/operators');
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as { error: { code: string } }).error.code).toBe('AUTH.UNAUTHENTICATED');
    const lic = await app.request('/protected/operators', { headers: bearer(await login('lic', 'licensee password')) });
    expect(lic.status).toBe(403);
    expect(((await lic.json()) as { error: { code: string } }).error.code).toBe('AUTH.FORBIDDEN');
    const op = await app.request('/protected/operators', { headers: bearer(await login('opr', 'operator password')) });
    expect(op.status).toBe(200);
    expect(await op.json()).toEqual({ ok: true, user: 'opr' });
    expect((await app.request('/protected/any')).status).toBe(401);
  });

  it('authenticate() mounted twice resolves the credential once', async () => {
    const token = await login('opr', 'operator password');
    const spy = vi.spyOn(auth, 'authenticateHeaders');
    try {
      const twice = testApp();
      twice.use('*', authenticate(auth), authenticate(auth));
      twice.get('/x', requireRole('operator'), (c) => c.json({ user: c.var.user?.username }));
      const res = await twice.request('/x', { headers: bearer(token) });
      expect(await res.json()).toEqual({ user: 'opr' });
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('audit log', () => {
  it('records writes with user, outcome, target and transaction, but not reads or secrets', async () => {
    const before = (await auth.audit.list({ limit: 1 })).entries[0]?.id ?? '0';
    ip = '203.0.113.5';
    const token = await login('opr', 'operator password');
    await post('/auth/login', { username: 'opr', password: 'a wrong password' });
    await app.request('/auth/me', { headers: bearer(token) });
    await post('/protected/income', { amount: '1.00' }, bearer(token));
    await post('/protected/income', {}, bearer(await login('reg', 'regulator password')));
    await post('/protected/income', {});
    await post('/protected/boom', {}, bearer(token));

    const { entries } = await auth.audit.list({ limit: 100 });
    const mine = entries.filter((e) => BigInt(e.id) > BigInt(before)).reverse();
    expect(mine.map((e) => [e.action, e.username, e.outcome, e.details.status])).toEqual([
      ['auth.login', 'opr', 'ok', 200],
      ['auth.login', null, 'denied', 401],
      ['POST /protected/income', 'opr', 'ok', 201],
      ['auth.login', 'reg', 'ok', 200],
      ['POST /protected/income', 'reg', 'denied', 403],
      ['POST /protected/income', null, 'denied', 401],
      ['POST /protected/boom', 'opr', 'error', 500],
    ]);
    expect(mine[1]).toMatchObject({ target: 'user:opr', ip: '203.0.113.5', details: { errorCode: 'AUTH.INVALID_CREDENTIALS' } });
    expect(mine[2]).toMatchObject({ target: 'income:INC-1', txId: 'tx-123', role: 'operator' });
    expect(mine.every((e) => typeof e.requestId === 'string' && e.requestId.length > 0)).toBe(true);
    expect(JSON.stringify(mine)).not.toContain('operator password');
    expect(JSON.stringify(mine)).not.toContain('a wrong password');
  });

  it('pages newest first by keyset', async () => {
    for (let i = 0; i < 5; i++) await auth.audit.record({ action: `page-${i}`, outcome: 'ok', details: { i, password: 'hunter2hunter2' } });
    const first = await auth.audit.list({ limit: 3 });
    expect(first.entries.map((e) => e.action)).toEqual(['page-4', 'page-3', 'page-2']);
    expect(first.entries[0]?.details).toEqual({ i: 4, password: '[redacted]' });
    const second = await auth.audit.list({ limit: 3, before: first.nextBefore! });
    expect(second.entries.map((e) => e.action).slice(0, 2)).toEqual(['page-1', 'page-0']);
    await expect(auth.audit.list({ before: 'x' })).rejects.toMatchObject({ code: 'VALIDATION.INVALID_ARGUMENT', details: { field: 'before' } });
  });
});

describe('OpenAPI', () => {
  it('documents the auth routes', () => {
    const doc = authRouter({ auth }).getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    expect(Object.keys(doc.paths ?? {}).sort()).toEqual(['/api-keys', '/api-keys/{id}', '/login', '/logout', '/me']);
  });
});
