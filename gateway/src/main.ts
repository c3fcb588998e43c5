/**
 * `npm start`: PostgreSQL (embedded unless DATABASE_URL), the embedded ledger, the HTTP gateway,
 * and the demo data seeded once. Progress goes to the terminal.
 */
import { serve } from '@hono/node-server';
import { contractInstances } from '@rtl/chaincode';
import { join } from 'node:path';
import { loadConfig } from './config';
import { startPostgres } from './db/postgres-server';
import { seedDemo } from './demo/seed';
import { createApp } from './http/app';
import type { StartupState } from './http/health-router';
import { EmbeddedLedger } from './ledger/embedded/embedded-ledger';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  if (config.LEDGER === 'fabric') {
    throw new Error('LEDGER=fabric: the Fabric adapter is not wired into npm start yet; use the embedded ledger (the default)');
  }
  log('starting PostgreSQL…');
  const pg = await startPostgres({ databaseUrl: config.DATABASE_URL, dataDir: join(config.DATA_DIR, 'postgres'), ...(config.PG_PORT && { port: config.PG_PORT }), log });
  log('opening the embedded ledger…');
  const ledger = await EmbeddedLedger.open({
    databaseUrl: pg.url,
    contracts: contractInstances(),
    batch: { maxMessageCount: config.BLOCK_MAX_TX, batchTimeoutMs: config.BLOCK_TIMEOUT_MS },
    log,
  });
  const info = await ledger.info();
  log(`ledger: height ${info.height}, head ${info.lastBlockHash.slice(0, 16)}…`);

  const startup: StartupState = { seed: config.SEED_DEMO ? 'pending' : 'disabled' };
  const app = createApp({ ledger, startup });
  const server = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  log(`gateway listening on http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT} (health: /health)`);

  if (config.SEED_DEMO) {
    startup.seed = 'running';
    try {
      const started = Date.now();
      const outcome = await seedDemo(ledger, (l) => log(l));
      startup.seed = outcome.skipped ? 'skipped' : 'done';
      const after = await ledger.info();
      if (!outcome.skipped) log(`seed: ${outcome.transactions} transactions in ${((Date.now() - started) / 1000).toFixed(1)} s; ledger height ${after.height}`);
    } catch (e) {
      startup.seed = 'failed';
      log(`seed failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  log('ready. Press Ctrl+C to stop.');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping…`);
    server.close();
    await ledger.close();
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
