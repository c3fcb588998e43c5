/**
 * A whole gateway for route tests: a fresh database, the embedded ledger with the demo data, the
 * read model caught up, accounts with the demo users, and the app — plus helpers to sign in and
 * call routes. Each test file builds one and closes it.
 */
import { contractInstances } from '@rtl/chaincode';
import { AuthService } from '../auth/service';
import { DEMO_ACCOUNTS, seedDemoUsers } from '../auth/demo-accounts';
import { loadConfig } from '../config';
import { seedDemo } from '../demo/seed';
import { createApp } from '../http/app';
import { EmbeddedLedger } from '../ledger/embedded/embedded-ledger';
import { migrateOffchain } from '../offchain/schema';
import { migrateReadModel, Projector } from '../readmodel';
import type { Services } from '../services';
import { createTestDatabase, type TestDatabase } from './test-database';

/** A running test gateway. */
export interface TestApp {
  app: ReturnType<typeof createApp>;
  services: Services;
  db: TestDatabase;
  /** Signs a demo user in and returns its bearer token. */
  tokenFor(username: string): Promise<string>;
  /** Calls the app; `as` signs in as a demo user; objects are sent as JSON. */
  call(method: string, path: string, opts?: { as?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  /** Waits until the read model holds everything committed so far. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Builds a test gateway on the demo data. Cheap scrypt parameters keep sign-ins fast in tests. */
export async function createTestApp(): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({});
  const log = () => {};
  const ledger = await EmbeddedLedger.open({ sql: db.sql, contracts: contractInstances(), log });
  await migrateReadModel(db.sql);
  await migrateOffchain(db.sql);
  const auth = await AuthService.open(db.sql, { scryptParams: { N: 1024, r: 8, p: 1 } });
  await seedDemo(ledger, log);
  await seedDemoUsers(auth);
  const projector = new Projector(ledger, db.sql, { log });
  projector.start();
  const services: Services = { config, ledger, sql: db.sql, projector, auth, log };
  const app = createApp(services, { seed: 'done' });
  const tokens = new Map<string, string>();

  const tokenFor = async (username: string) => {
    const cached = tokens.get(username);
    if (cached) return cached;
    const account = DEMO_ACCOUNTS.find((a) => a.username === username);
    if (!account) throw new Error(`no demo account ${username}`);
    const res = await app.request('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: account.password }) });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    const token = ((await res.json()) as { token: string }).token;
    tokens.set(username, token);
    return token;
  };

  const settle = async () => {
    const { height } = await ledger.info();
    for (let i = 0; i < 400; i++) {
      const [row] = await db.sql<{ b: string }[]>`select block_number::text as b from rm.checkpoint`;
      // The last blocks may carry no event (e.g. a replayed command), so "caught up" is also
      // "nothing new for a moment".
      if (row && BigInt(row.b) >= height - 1n) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  const call: TestApp['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.as) headers.authorization = `Bearer ${await tokenFor(opts.as)}`;
    let body: BodyInit | undefined;
    if (opts.body !== undefined) {
      if (typeof opts.body === 'string') body = opts.body;
      else {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    return app.request(path, { method, headers, ...(body !== undefined && { body }) });
  };

  await settle();
  return {
    app,
    services,
    db,
    tokenFor,
    call,
    settle,
    close: async () => {
      await projector.stop();
      await ledger.close();
      await db.drop();
    },
  };
}
