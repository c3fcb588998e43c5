/**
 * A small, generic migration runner for one PostgreSQL schema: an ordered list of SQL migrations,
 * each applied at most once and recorded in `<schema>.schema_migrations` with a checksum of its
 * text. Any part of the gateway that owns a schema (auth, read model, …) can use it.
 *
 * Why this shape:
 * - Everything pending is applied in ONE transaction (PostgreSQL DDL is transactional), so a
 *   failed migration leaves the schema exactly as it was, never half-migrated.
 * - A transaction-scoped advisory lock per schema serialises gateways starting at the same time,
 *   so two processes never both apply version 3 (or both `create schema`).
 * - A released migration is immutable: if its text changed after it was applied, the runner
 *   refuses to start instead of silently diverging from what the database really holds.
 */
import { createHash } from 'node:crypto';
import type postgres from 'postgres';

/** One versioned migration. Versions start at 1 and increase by 1. */
export interface Migration {
  version: number;
  /** Short description, stored alongside the version. */
  name: string;
  /**
   * SQL to run, possibly several statements. `search_path` is set to the schema while it runs,
   * but qualifying names (`auth.users`) keeps the migration readable on its own.
   */
  sql: string;
}

/** What a run did. */
export interface MigrationOutcome {
  /** Versions applied by this run, in order (empty when the schema was already up to date). */
  applied: number[];
  /** The schema's version after the run. */
  version: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** Hex SHA-256 of a migration's text, to detect a released migration being edited. */
export function migrationChecksum(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function checkList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migrations must be numbered 1, 2, 3, … in order; found version ${m.version} at position ${i + 1}`);
    }
  });
}

/**
 * Brings `schema` up to the last of `migrations`. Idempotent: running it again applies nothing.
 * Throws when an applied migration's text changed, or when the database is at a version this code
 * does not know (a newer gateway migrated it).
 */
export async function migrate(sql: postgres.Sql, schema: string, migrations: readonly Migration[]): Promise<MigrationOutcome> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  checkList(migrations);
  return sql.begin(async (tx) => {
    // hashtext gives a stable int4 per schema name; the lock is released at commit or rollback.
    await tx`select pg_advisory_xact_lock(hashtext(${`migrate:${schema}`}))`;
    // The schema name was checked against SCHEMA_NAME above, so interpolating it is safe.
    await tx.unsafe(`create schema if not exists ${schema}`);
    await tx.unsafe(`
      create table if not exists ${schema}.schema_migrations (
        version integer primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      )`);
    const rows = await tx<{ version: number; checksum: string }[]>`
      select version, checksum from ${tx(schema)}.schema_migrations order by version`;
    const known = new Map(migrations.map((m) => [m.version, m]));
    for (const row of rows) {
      const m = known.get(row.version);
      if (!m) {
        throw new Error(`schema ${schema} is at migration ${row.version}, which this gateway does not know; run a newer gateway`);
      }
      if (migrationChecksum(m.sql) !== row.checksum) {
        throw new Error(`migration ${schema} ${m.version} (${m.name}) was changed after it was applied; add a new migration instead`);
      }
    }
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    await tx.unsafe(`set local search_path to ${schema}, public`);
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.unsafe(m.sql).simple();
      await tx`insert into ${tx(schema)}.schema_migrations (version, name, checksum)
        values (${m.version}, ${m.name}, ${migrationChecksum(m.sql)})`;
      applied.push(m.version);
    }
    return { applied, version: migrations.length };
  });
}
