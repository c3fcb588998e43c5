/**
 * `npm start`: PostgreSQL (embedded unless DATABASE_URL), the embedded ledger, the HTTP gateway,
 * and the demo data seeded once. Progress goes to the terminal. With LEDGER=fabric the ledger is a
 * Fabric network reached through the connection profile FABRIC_PROFILE instead.
 */
import { serve } from '@hono/node-server';
import { contractInstances } from '@rtl/chaincode';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { AuthService, authOptionsFromConfig } from './auth/service';
import { seedDemoUsers } from './auth/demo-accounts';
import { loadConfig } from './config';
import { startPostgres, type RunningPostgres } from './db/postgres-server';
import { seedDemo } from './demo/seed';
import { seedDemoDistribution } from './demo/seed-distribution';
import { distributionJobs } from './jobs/distribution-job';
import { createApp } from './http/app';
import type { StartupState } from './http/health-router';
import { EmbeddedLedger } from './ledger/embedded/embedded-ledger';
import { FabricLedger } from './ledger/fabric/fabric-ledger';
import type { LedgerPort } from './ledger/port';
import { migrateOffchain } from './offchain/schema';
import { migrateReadModel, Projector, readCheckpoint } from './readmodel';
import type { Services } from './services';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  // PostgreSQL holds the read model and the accounts in every mode, and the ledger itself when embedded.
  log('starting PostgreSQL…');
  const pg: RunningPostgres = await startPostgres({ databaseUrl: config.DATABASE_URL, dataDir: join(config.DATA_DIR, 'postgres'), ...(config.PG_PORT && { port: config.PG_PORT }), log });
  const sql = postgres(pg.url, { max: 10, onnotice: () => {} });
  let ledger: LedgerPort;
  if (config.LEDGER === 'fabric') {
    const profilePath = resolve(config.FABRIC_PROFILE);
    if (!existsSync(profilePath)) throw new Error(`LEDGER=fabric: no connection profile at ${profilePath} (run \`npm run fabric:up\`, or set FABRIC_PROFILE)`);
    log(`connecting to the Fabric network (${profilePath})…`);
    const fabric = FabricLedger.open({ profilePath, log });
    log('waiting until every organisation can collect endorsements…');
    await fabric.waitUntilEndorsable();
    ledger = fabric;
  } else {
    log('opening the embedded ledger…');
    ledger = await EmbeddedLedger.open({
      databaseUrl: pg.url,
      contracts: contractInstances(),
      batch: { maxMessageCount: config.BLOCK_MAX_TX, batchTimeoutMs: config.BLOCK_TIMEOUT_MS },
      log,
    });
  }
  const info = await ledger.info();
  log(`ledger: height ${info.height}, head ${info.lastBlockHash.slice(0, 16)}…`);

  log('read model and accounts: migrating…');
  await migrateReadModel(sql);
  await migrateOffchain(sql);
  const auth = await AuthService.open(sql, authOptionsFromConfig(config));
  const projector = new Projector(ledger, sql, { log });
  projector.start();
  // Runs a previous process left unfinished resume (their ledger commands are idempotent).
  const services: Services = { config, ledger, sql, projector, auth, log };
  const resumed = await distributionJobs(services).recover();
  if (resumed.length > 0) log(`distribution runs resumed: ${resumed.join(', ')}`);

  const startup: StartupState = { seed: config.SEED_DEMO ? 'pending' : 'disabled', readModelBlock: async () => (await readCheckpoint(sql))?.blockNumber };
  const app = createApp(services, startup);
  const server = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const base = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`;
  log(`gateway listening on ${base} (health: /health, API docs: /docs)`);

  if (config.SEED_DEMO) {
    startup.seed = 'running';
    try {
      const started = Date.now();
      const outcome = await seedDemo(ledger, (l) => log(l));
      const users = await seedDemoUsers(auth);
      startup.seed = outcome.skipped ? 'skipped' : 'done';
      const after = await ledger.info();
      if (!outcome.skipped) log(`seed: ${outcome.transactions} transactions in ${((Date.now() - started) / 1000).toFixed(1)} s; ledger height ${after.height}`);
      log(`seed: demo accounts ready (${users.created.length} created); see the README for their passwords`);
      if (outcome.lastTxId) await projector.waitFor(outcome.lastTxId, 60_000);
      if ((await seedDemoDistribution(app, sql, log)) === 'done') log('seed: demo distribution of the 2026Q3 KTV pool anchored on the ledger');
    } catch (e) {
      startup.seed = 'failed';
      log(`seed failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  log(`ready at ${base}. Press Ctrl+C to stop.`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping…`);
    server.close();
    await distributionJobs(services).close();
    await projector.stop();
    await ledger.close();
    await sql.end({ timeout: 5 });
    await pg.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
