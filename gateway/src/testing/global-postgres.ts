/**
 * Vitest global setup: one PostgreSQL server for the whole test run.
 * Uses `DATABASE_URL` when set (CI may point at a server); otherwise starts an embedded
 * PostgreSQL in a temporary directory. Each test file creates its own database on it.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres, type RunningPostgres } from '../db/postgres-server';

let server: RunningPostgres | undefined;

export async function setup(project: TestProject): Promise<void> {
  server = await startPostgres({ databaseUrl: process.env.DATABASE_URL, ephemeral: true, log: () => {} });
  project.provide('databaseUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
