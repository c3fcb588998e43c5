/**
 * The `auth` schema in PostgreSQL: users, sessions, API keys, the audit log and the gateway's own
 * secrets. Released migrations are never edited; a change is a new migration at the end.
 */
import type postgres from 'postgres';
import { migrate, type Migration, type MigrationOutcome } from '../db/migrate';

/** Name of the PostgreSQL schema holding accounts and access. */
export const AUTH_SCHEMA = 'auth';

/** The auth schema's migrations, in order. */
export const AUTH_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'users, sessions and secrets',
    sql: `
      create table auth.users (
        id uuid primary key default gen_random_uuid(),
        username text not null,
        password_hash text not null,
        role text not null check (role in ('operator', 'member', 'licensee', 'regulator')),
        -- operators: the collective they operate; members and licensees: the collective hosting them
        collective_id text,
        -- members and licensees: their party id on the ledger
        party_id text,
        display_name text not null,
        created_at timestamptz not null default now(),
        disabled_at timestamptz,
        constraint users_scope check (
          (role = 'operator' and collective_id is not null and party_id is null)
          or (role in ('member', 'licensee') and collective_id is not null and party_id is not null)
          or (role = 'regulator' and collective_id is null and party_id is null)
        )
      );
      -- usernames are unique regardless of case, so "Alice" cannot impersonate "alice"
      create unique index users_username_key on auth.users (lower(username));
      create index users_party on auth.users (party_id) where party_id is not null;

      -- one row per issued session token, so logout can revoke it before it expires
      create table auth.sessions (
        sid text primary key,
        user_id uuid not null references auth.users (id),
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz
      );
      create index sessions_user on auth.sessions (user_id);
      create index sessions_expiry on auth.sessions (expires_at);

      -- keys the gateway generates for itself (e.g. the session signing key), never in git or config
      create table auth.secrets (
        name text primary key,
        value bytea not null,
        created_at timestamptz not null default now()
      );
    `,
  },
  {
    version: 2,
    name: 'api keys',
    sql: `
      create table auth.api_keys (
        id uuid primary key default gen_random_uuid(),
        user_id uuid not null references auth.users (id),
        label text not null,
        -- public part of the key, for lookup; not unique, so a collision can never match the wrong key
        prefix text not null,
        -- hex SHA-256 of the whole key; the key itself is shown once and never stored
        key_hash text not null,
        created_at timestamptz not null default now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      create index api_keys_prefix on auth.api_keys (prefix);
      create index api_keys_user on auth.api_keys (user_id);
    `,
  },
  {
    version: 3,
    name: 'audit log',
    sql: `
      create table auth.audit_log (
        id bigserial primary key,
        at timestamptz not null default now(),
        -- no foreign key: the entry keeps the person's name and role as they were at the time
        user_id uuid,
        username text,
        role text,
        action text not null,
        target text,
        outcome text not null check (outcome in ('ok', 'denied', 'error')),
        ip text,
        request_id text,
        tx_id text,
        details jsonb not null default '{}'::jsonb
      );
      create index audit_log_user on auth.audit_log (user_id, id);

      -- the audit log is append-only: corrections are new entries, as on the ledger
      create function auth.audit_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'auth.audit_log is append-only';
      end
      $$;
      create trigger audit_log_append_only before update or delete on auth.audit_log
        for each row execute function auth.audit_log_append_only();
    `,
  },
];

/** Creates or upgrades the auth schema; safe to run on every start. */
export function migrateAuth(sql: postgres.Sql): Promise<MigrationOutcome> {
  return migrate(sql, AUTH_SCHEMA, AUTH_MIGRATIONS);
}
