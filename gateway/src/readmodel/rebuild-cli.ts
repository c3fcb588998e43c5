/**
 * `npm run projector:rebuild`: empties the read model and replays the ledger from block 0 into it,
 * printing progress. Stop `npm start` first: the embedded ledger has one writer at a time.
 */
import postgres from 'postgres';
import { contractInstances } from '@rtl/chaincode';
import { join } from 'node:path';
import { loadConfig } from '../config';
import { startPostgres } from '../db/postgres-server';
import { EmbeddedLedger } from '../ledger/embedded/embedded-ledger';
import { migrateReadModel, rebuildReadModel } from './index';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.LEDGER !== 'embedded') throw new Error('projector:rebuild runs against the embedded ledger; with LEDGER=fabric the gateway rebuilds on start after `truncate` of the rm schema');
  const log = (line: string) => console.log(line);
  const pg = await startPostgres({ databaseUrl: config.DATABASE_URL, dataDir: join(config.DATA_DIR, 'postgres'), ...(config.PG_PORT && { port: config.PG_PORT }), log });
  const sql = postgres(pg.url, { max: 4, onnotice: () => {} });
  const ledger = await EmbeddedLedger.open({ databaseUrl: pg.url, contracts: contractInstances(), log });
  try {
    await migrateReadModel(sql);
    const started = Date.now();
    const applied = await rebuildReadModel(ledger, sql, log);
    log(`read model rebuilt: ${applied} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await ledger.close();
    await sql.end({ timeout: 5 });
    await pg.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
