import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../http/http-error';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { generateApiKey, hashApiKey } from './api-keys';
import { migrateAuth } from './schema';
import type { AuthService } from './service';
import { openTestAuth, testClock, type TestClock } from './test-support';

let db: TestDatabase;
let auth: AuthService;
let clock: TestClock;

beforeAll(async () => {
  db = await createTestDatabase();
  clock = testClock();
  auth = await openTestAuth(db.sql, { now: clock.now, sessionTtlMinutes: 60 });
});
afterAll(async () => {
  await db?.drop();
});

/** The HttpError a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HttpError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

let n = 0;
async function newUser(role: 'operator' | 'member' | 'licensee' | 'regulator' = 'member', password = 'a fine password') {
  n++;
  const scope =
    role === 'operator' ? { collectiveId: 'MCSC' } : role === 'regulator' ? {} : { collectiveId: 'MCSC', partyId: `MCSC-${role === 'member' ? 'M' : 'L'}${String(n).padStart(3, '0')}` };
  return auth.createUser({ username: `${role}-${n}`, password, role, displayName: `${role} ${n}`, ...scope });
}

describe('schema', () => {
  it('migrations are idempotent: a second open applies nothing and keeps the signing key', async () => {
    expect(await migrateAuth(db.sql)).toEqual({ applied: [], version: 3 });
    const u = await newUser();
    const { token } = await auth.login(u.username, 'a fine password', 'ip');
    const again = await openTestAuth(db.sql, { now: clock.now });
    expect((await again.verifySession(token)).user.id).toBe(u.id);
    const versions = await db.sql`select version from auth.schema_migrations order by version`;
    expect(versions.map((r) => r.version)).toEqual([1, 2, 3]);
    const secrets = await db.sql<{ name: string; len: number }[]>`select name, octet_length(value) as len from auth.secrets`;
    expect(secrets).toEqual([{ name: 'session-signing-key', len: 32 }]);
  });

  it('the audit log is append-only', async () => {
    await auth.audit.record({ action: 'test', outcome: 'ok' });
    await expect(db.sql`update auth.audit_log set action = 'changed'`).rejects.toThrow(/append-only/);
    await expect(db.sql`delete from auth.audit_log`).rejects.toThrow(/append-only/);
  });
});

describe('accounts', () => {
  it('validates new accounts and names the field', async () => {
    const e1 = await failure(auth.createUser({ username: 'op-x', password: 'a fine password', role: 'operator', displayName: 'X' }));
    expect([e1.code, e1.details.field]).toEqual(['VALIDATION.INVALID_ARGUMENT', 'collectiveId']);
    const e2 = await failure(auth.createUser({ username: 'op-y', password: 'a fine password', role: 'operator', collectiveId: 'NOPE', displayName: 'Y' }));
    expect(e2.details.field).toBe('collectiveId');
    const e3 = await failure(auth.createUser({ username: 'm-z', password: 'short', role: 'member', collectiveId: 'MCSC', partyId: 'MCSC-M009', displayName: 'Z' }));
    expect(e3.details.field).toBe('password');
    const e4 = await failure(auth.createUser({ username: 'reg-z', password: 'a fine password', role: 'regulator', partyId: 'P', displayName: 'Z' }));
    expect(e4.details.field).toBe('partyId');
  });

  it('usernames are unique regardless of case', async () => {
    await auth.createUser({ username: 'Casey', password: 'a fine password', role: 'regulator', displayName: 'C' });
    const e = await failure(auth.createUser({ username: 'casey', password: 'a fine password', role: 'regulator', displayName: 'C' }));
    expect(e.code).toBe('ALREADY_EXISTS');
  });

  it('never stores the password in clear', async () => {
    const u = await newUser('member', 'plain text never stored');
    const [row] = await db.sql<{ password_hash: string }[]>`select password_hash from auth.users where id = ${u.id}`;
    expect(row?.password_hash).toMatch(/^scrypt\$/);
    expect(row?.password_hash).not.toContain('plain text never stored');
  });
});

describe('sign-in and sessions', () => {
  it('signs in with the right password and returns the user with its MSP', async () => {
    const u = await newUser('operator');
    const r = await auth.login(u.username.toUpperCase(), 'a fine password', 'ip');
    expect(r.user).toMatchObject({ id: u.id, role: 'operator', collectiveId: 'MCSC', mspId: 'MusicCmoMSP' });
    expect(r.expiresAt.getTime()).toBe(clock.ms + 60 * 60_000);
    expect((await auth.verifySession(r.token)).user.id).toBe(u.id);
  });

  it('refuses a wrong password and an unknown user with the same error', async () => {
    const u = await newUser();
    const wrong = await failure(auth.login(u.username, 'not the password', 'ip-a'));
    const unknown = await failure(auth.login('nobody-here', 'not the password', 'ip-b'));
    expect([wrong.code, wrong.status, wrong.message]).toEqual(['AUTH.INVALID_CREDENTIALS', 401, unknown.message]);
    expect(unknown.code).toBe('AUTH.INVALID_CREDENTIALS');
  });

  it('refuses a tampered token', async () => {
    const u = await newUser();
    const { token } = await auth.login(u.username, 'a fine password', 'ip');
    const [text, sig] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(text, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${Buffer.from(JSON.stringify({ ...payload, role: 'regulator' })).toString('base64url')}.${sig}`;
    const e = await failure(auth.verifySession(forged));
    expect([e.code, e.status, e.details.reason]).toEqual(['AUTH.UNAUTHENTICATED', 401, 'bad_signature']);
  });

  it('refuses an expired token', async () => {
    const u = await newUser();
    const { token } = await auth.login(u.username, 'a fine password', 'ip');
    clock.advanceMinutes(59);
    await expect(auth.verifySession(token)).resolves.toBeDefined();
    clock.advanceMinutes(1);
    expect((await failure(auth.verifySession(token))).details.reason).toBe('expired');
    // Reopening drops expired session rows.
    const expiredRows = () => db.sql`select sid from auth.sessions where expires_at <= ${clock.now()}`;
    expect((await expiredRows()).length).toBeGreaterThan(0);
    await openTestAuth(db.sql, { now: clock.now });
    expect(await expiredRows()).toHaveLength(0);
  });

  it('refuses the token of a disabled user, and accepts it again once re-enabled', async () => {
    const u = await newUser();
    const { token } = await auth.login(u.username, 'a fine password', 'ip');
    await auth.users.disable(u.id);
    expect((await failure(auth.verifySession(token))).details.reason).toBe('disabled');
    expect((await failure(auth.login(u.username, 'a fine password', 'ip'))).code).toBe('AUTH.INVALID_CREDENTIALS');
    await auth.users.enable(u.id);
    await expect(auth.verifySession(token)).resolves.toBeDefined();
    await auth.disableUser(u.id);
    await auth.users.enable(u.id);
    // disableUser also revoked the session: re-enabling does not bring it back.
    expect((await failure(auth.verifySession(token))).details.reason).toBe('revoked');
  });

  it('logout revokes the session, and only it', async () => {
    const u = await newUser();
    const a = await auth.login(u.username, 'a fine password', 'ip');
    const b = await auth.login(u.username, 'a fine password', 'ip');
    const { sessionId } = await auth.verifySession(a.token);
    expect(await auth.logout(sessionId)).toBe(true);
    expect(await auth.logout(sessionId)).toBe(false);
    expect((await failure(auth.verifySession(a.token))).details.reason).toBe('revoked');
    await expect(auth.verifySession(b.token)).resolves.toBeDefined();
  });

  it('refuses a token once the user role changed', async () => {
    const u = await newUser('operator');
    const { token } = await auth.login(u.username, 'a fine password', 'ip');
    await db.sql`update auth.users set role = 'regulator', collective_id = null where id = ${u.id}`;
    expect((await failure(auth.verifySession(token))).details.reason).toBe('role_changed');
  });
});

describe('API keys', () => {
  it('creates a key shown once, verifies it, records its use, and revokes it', async () => {
    const u = await newUser('licensee');
    const created = await auth.createApiKey(u.id, 'usage upload');
    expect(created.key).toMatch(/^rtl_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(`rtl_${created.prefix}_`)).toBe(true);
    const [row] = await db.sql<{ key_hash: string }[]>`select key_hash from auth.api_keys where id = ${created.id}`;
    expect(row?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await db.sql`select * from auth.api_keys`)).not.toContain(created.key.split('_')[2]);

    const ok = await auth.verifyApiKey(created.key);
    expect(ok).toMatchObject({ user: { id: u.id, role: 'licensee', partyId: u.partyId }, apiKeyId: created.id });
    const [used] = await auth.apiKeys.list(u.id);
    expect(used?.lastUsedAt).toBeInstanceOf(Date);

    const wrongSecret = `rtl_${created.prefix}_${'A'.repeat(43)}`;
    expect((await failure(auth.verifyApiKey(wrongSecret))).code).toBe('AUTH.UNAUTHENTICATED');
    expect((await failure(auth.verifyApiKey('rtl_nonsense'))).code).toBe('AUTH.UNAUTHENTICATED');

    const other = await newUser('licensee');
    expect(await auth.apiKeys.revoke(other.id, created.id)).toBeUndefined();
    await expect(auth.verifyApiKey(created.key)).resolves.toBeDefined();
    const revoked = await auth.apiKeys.revoke(u.id, created.id);
    expect(revoked?.revokedAt).toBeInstanceOf(Date);
    expect((await failure(auth.verifyApiKey(created.key))).details.reason).toBe('invalid_api_key');
  });

  it('a prefix collision never admits the wrong key', async () => {
    // Every key this generator makes has the same prefix; only the secrets differ.
    const fixedPrefix = () => {
      const secret = generateApiKey().key.slice('rtl_0123456789ab_'.length);
      const key = `rtl_0123456789ab_${secret}`;
      return { key, prefix: '0123456789ab', hash: hashApiKey(key) };
    };
    const colliding = await openTestAuth(db.sql, { generateApiKey: fixedPrefix });
    const alice = await newUser('licensee');
    const bob = await newUser('licensee');
    const ka = await colliding.createApiKey(alice.id, 'a');
    const kb = await colliding.createApiKey(bob.id, 'b');
    expect(ka.prefix).toBe(kb.prefix);
    expect((await auth.verifyApiKey(ka.key)).user.id).toBe(alice.id);
    expect((await auth.verifyApiKey(kb.key)).user.id).toBe(bob.id);
    await auth.apiKeys.revoke(alice.id, ka.id);
    expect((await failure(auth.verifyApiKey(ka.key))).code).toBe('AUTH.UNAUTHENTICATED');
    expect((await auth.verifyApiKey(kb.key)).user.id).toBe(bob.id);
  });

  it('refuses the key of a disabled user', async () => {
    const u = await newUser('licensee');
    const { key } = await auth.createApiKey(u.id, 'x');
    await auth.users.disable(u.id);
    expect((await failure(auth.verifyApiKey(key))).details.reason).toBe('disabled');
  });
});

describe('credentials from headers', () => {
  it('reads Bearer, ApiKey and X-Api-Key; none is anonymous; anything else is refused', async () => {
    const u = await newUser('licensee');
    const { token } = await auth.login(u.username, 'a fine password', 'ip');
    const { key } = await auth.createApiKey(u.id, 'k');
    expect(await auth.authenticateHeaders(`Bearer ${token}`, undefined)).toMatchObject({ method: 'session', user: { id: u.id } });
    expect(await auth.authenticateHeaders(`ApiKey ${key}`, undefined)).toMatchObject({ method: 'api_key', user: { id: u.id } });
    expect(await auth.authenticateHeaders(undefined, key)).toMatchObject({ method: 'api_key', user: { id: u.id } });
    expect(await auth.authenticateHeaders(undefined, undefined)).toBeNull();
    expect((await failure(auth.authenticateHeaders(`Basic ${Buffer.from('a:b').toString('base64')}`, undefined))).code).toBe('AUTH.UNAUTHENTICATED');
    expect((await failure(auth.authenticateHeaders('Bearer not-a-token', undefined))).code).toBe('AUTH.UNAUTHENTICATED');
  });
});
