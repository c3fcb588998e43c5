/**
 * A fresh PostgreSQL database for one test file, on the server the vitest global setup started
 * (`inject('databaseUrl')`). Files run in parallel processes, so each gets its own database
 * instead of sharing tables.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import type {} from './global-postgres';

/** A database created for a test, with a client connected to it. */
export interface TestDatabase {
  /** Connection URL of the new database. */
  url: string;
  /** A postgres.js client connected to it. */
  sql: postgres.Sql;
  /** Closes the client and drops the database. */
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates a uniquely named database on the test server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('databaseUrl');
  const name = `test_${process.pid}_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    // The name is generated above from safe characters, so interpolating it is safe.
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const sql = postgres(url, { max: 10, onnotice: () => {} });
  let dropped = false;
  return {
    url,
    sql,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await sql.end({ timeout: 5 });
      const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
