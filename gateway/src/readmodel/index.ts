/**
 * The read model: a PostgreSQL projection of the ledger's events (schema `rm`), queried by the
 * HTTP routers with indexes and keyset pagination instead of scanning the ledger.
 */
import type postgres from 'postgres';
import { migrate, type MigrationOutcome } from '../db/migrate';
import { READ_MODEL_MIGRATIONS } from './schema';

/** Creates or upgrades the read model's tables. */
export function migrateReadModel(sql: postgres.Sql): Promise<MigrationOutcome> {
  return migrate(sql, 'rm', READ_MODEL_MIGRATIONS);
}

export { applyEvent, Projector, readCheckpoint, rebuildReadModel, resetReadModel, type ProjectorOptions } from './projector';
export { READ_MODEL_TABLES } from './schema';
