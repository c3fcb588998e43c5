/**
 * API keys for machine clients (e.g. a licensee's system uploading usage reports). A key looks
 * like `rtl_<prefix>_<secret>`: the prefix (12 hex digits) is stored for lookup and shown in
 * listings, the secret (32 random bytes, base64url) is never stored; only the SHA-256 of the whole
 * key is. The key is shown once, when it is created.
 *
 * A plain SHA-256 (not scrypt) is enough here because the secret has 256 bits of entropy: there is
 * nothing to guess, unlike a password, and every machine request can be verified cheaply.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type postgres from 'postgres';
import { isUuid, userFromRow, type UserRecord, type UserRow } from './users';

/** A freshly generated key and what is stored of it. */
export interface ApiKeyMaterial {
  /** The whole key, to show once to its owner. */
  key: string;
  prefix: string;
  /** Hex SHA-256 of `key`. */
  hash: string;
}

/** An API key as listed to its owner: never the key itself. */
export interface ApiKeyInfo {
  id: string;
  userId: string;
  label: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const KEY_SHAPE = /^rtl_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** Hex SHA-256 of a key. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Generates a new key from `random` (node's CSPRNG by default). */
export function generateApiKey(random: (bytes: number) => Buffer = randomBytes): ApiKeyMaterial {
  const prefix = random(6).toString('hex');
  const key = `rtl_${prefix}_${random(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** The prefix of a well-formed key, or undefined. */
export function apiKeyPrefix(key: string): string | undefined {
  return KEY_SHAPE.exec(key)?.[1];
}

function sameHash(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

interface KeyRow {
  id: string;
  user_id: string;
  label: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

function infoFromRow(r: KeyRow): ApiKeyInfo {
  return { id: r.id, userId: r.user_id, label: r.label, prefix: r.prefix, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
}

/** How often `last_used_at` is written at most per key: a busy client must not turn every read into a write. */
const LAST_USED_RESOLUTION_SECONDS = 60;

/** Reads and writes `auth.api_keys`. */
export class ApiKeyStore {
  constructor(
    private readonly sql: postgres.Sql,
    private readonly generate: () => ApiKeyMaterial = () => generateApiKey(),
  ) {}

  /** Creates a key for a user; the returned `key` is the only time it is ever available. */
  async create(userId: string, label: string): Promise<ApiKeyInfo & { key: string }> {
    const m = this.generate();
    const [row] = await this.sql<KeyRow[]>`
      insert into auth.api_keys (user_id, label, prefix, key_hash) values (${userId}, ${label}, ${m.prefix}, ${m.hash})
      returning id, user_id, label, prefix, created_at, last_used_at, revoked_at`;
    return { ...infoFromRow(row!), key: m.key };
  }

  /** A user's keys, newest first, revoked ones included. */
  async list(userId: string): Promise<ApiKeyInfo[]> {
    const rows = await this.sql<KeyRow[]>`
      select id, user_id, label, prefix, created_at, last_used_at, revoked_at
      from auth.api_keys where user_id = ${userId} order by created_at desc, id`;
    return rows.map(infoFromRow);
  }

  /**
   * Revokes one of the user's keys (idempotent: revoking twice keeps the first time); undefined
   * when the user has no key with that id, so nobody learns of others' keys.
   */
  async revoke(userId: string, id: string): Promise<ApiKeyInfo | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await this.sql<KeyRow[]>`
      update auth.api_keys set revoked_at = coalesce(revoked_at, now())
      where id = ${id} and user_id = ${userId}
      returning id, user_id, label, prefix, created_at, last_used_at, revoked_at`;
    return row && infoFromRow(row);
  }

  /**
   * The key's id and owner when `key` is a live key, else undefined. Every live key with the same
   * prefix is compared (constant-time, by hash), so a prefix collision can never admit the wrong
   * key. Records the use in `last_used_at`, at most once a minute per key.
   */
  async verify(key: string): Promise<{ keyId: string; user: UserRecord } | undefined> {
    const prefix = apiKeyPrefix(key);
    if (!prefix) return undefined;
    const hash = hashApiKey(key);
    const rows = await this.sql<Array<UserRow & { key_id: string; key_hash: string }>>`
      select k.id as key_id, k.key_hash, u.*
      from auth.api_keys k join auth.users u on u.id = k.user_id
      where k.prefix = ${prefix} and k.revoked_at is null`;
    let match: (typeof rows)[number] | undefined;
    for (const row of rows) if (sameHash(row.key_hash, hash)) match = row;
    if (!match) return undefined;
    await this.sql`
      update auth.api_keys set last_used_at = now()
      where id = ${match.key_id}
        and (last_used_at is null or last_used_at < now() - make_interval(secs => ${LAST_USED_RESOLUTION_SECONDS}))`;
    return { keyId: match.key_id, user: userFromRow(match) };
  }
}
