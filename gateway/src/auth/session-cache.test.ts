import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../http/http-error';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import type { AuthService } from './service';
import { openTestAuth, testClock, type TestClock } from './test-support';

let db: TestDatabase;
let auth: AuthService;
let clock: TestClock;

beforeAll(async () => {
  db = await createTestDatabase();
  clock = testClock();
  auth = await openTestAuth(db.sql, { now: clock.now, sessionTtlMinutes: 60, sessionCacheMs: 2000 });
});
afterAll(async () => {
  await db?.drop();
});

async function reason(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HttpError) return e.details.reason;
    throw e;
  }
  return 'accepted';
}

let n = 0;
async function signedIn() {
  n++;
  const u = await auth.createUser({ username: `cached-${n}`, password: 'a fine password', role: 'member', displayName: `m ${n}`, collectiveId: 'MCSC', partyId: `MCSC-C${String(n).padStart(3, '0')}` });
  const { token } = await auth.login(u.username, 'a fine password', 'ip');
  return { u, token };
}

describe('session state reuse (sessionCacheMs)', () => {
  it('reuses a verified session for at most sessionCacheMs after a revocation made elsewhere', async () => {
    const { token } = await signedIn();
    await auth.verifySession(token);
    // Revoked behind the service's back (another process): still trusted until the bound passes.
    await db.sql`update auth.sessions set revoked_at = now()`;
    expect(await reason(auth.verifySession(token))).toBe('accepted');
    clock.ms += 2000;
    expect(await reason(auth.verifySession(token))).toBe('revoked');
  });

  it('logout and disableUser through the service take effect at once', async () => {
    const a = await signedIn();
    const { sessionId } = await auth.verifySession(a.token);
    await auth.logout(sessionId);
    expect(await reason(auth.verifySession(a.token))).toBe('revoked');
    const b = await signedIn();
    await auth.verifySession(b.token);
    await auth.disableUser(b.u.id);
    expect(await reason(auth.verifySession(b.token))).toBe('revoked');
  });

  it('checks the signature of every new token string and the expiry of every token, remembered or not', async () => {
    const { token } = await signedIn();
    await auth.verifySession(token);
    expect(await reason(auth.verifySession(`${token.slice(0, -2)}xx`))).toBe('bad_signature');
    clock.advanceMinutes(61);
    expect(await reason(auth.verifySession(token))).toBe('expired');
  });
});
