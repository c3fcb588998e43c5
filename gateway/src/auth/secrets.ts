/**
 * Secrets the gateway generates for itself on first start and keeps in `auth.secrets`, so they
 * are never in git, in config files or in the environment.
 */
import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';

/** Name of the HMAC key that signs session tokens. */
export const SESSION_SIGNING_KEY = 'session-signing-key';

/**
 * Returns the secret called `name`, creating it from `bytes` random bytes if it does not exist.
 * Safe when several gateways start at once: the first insert wins and everyone reads that value.
 */
export async function loadOrCreateSecret(sql: postgres.Sql, name: string, bytes = 32): Promise<Buffer> {
  await sql`insert into auth.secrets (name, value) values (${name}, ${randomBytes(bytes)}) on conflict (name) do nothing`;
  const [row] = await sql<{ value: Buffer }[]>`select value from auth.secrets where name = ${name}`;
  if (!row) throw new Error(`secret ${name} vanished right after it was stored`);
  return Buffer.from(row.value);
}
