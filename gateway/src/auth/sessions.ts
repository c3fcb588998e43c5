/**
 * Session records (`auth.sessions`): one row per issued token, so a token can be revoked at logout
 * before it expires. The token itself carries its expiry and is checked without the database; the
 * row answers only "was this session revoked, and is its user still enabled?".
 */
import type postgres from 'postgres';
import { userFromRow, type UserRecord, type UserRow } from './users';

/** A session with its user, as looked up when a token is presented. */
export interface SessionLookup {
  sid: string;
  userId: string;
  revokedAt: Date | null;
  user: UserRecord;
}

/** Reads and writes `auth.sessions`. */
export class SessionStore {
  constructor(private readonly sql: postgres.Sql) {}

  /** Records a new session. */
  async create(sid: string, userId: string, createdAt: Date, expiresAt: Date): Promise<void> {
    await this.sql`insert into auth.sessions (sid, user_id, created_at, expires_at) values (${sid}, ${userId}, ${createdAt}, ${expiresAt})`;
  }

  /** The session and its user, in one query, or undefined when the sid is unknown. */
  async lookup(sid: string): Promise<SessionLookup | undefined> {
    const [row] = await this.sql<Array<UserRow & { sid: string; session_revoked_at: Date | null }>>`
      select s.sid, s.revoked_at as session_revoked_at, u.*
      from auth.sessions s join auth.users u on u.id = s.user_id
      where s.sid = ${sid}`;
    if (!row) return undefined;
    return { sid: row.sid, userId: row.id, revokedAt: row.session_revoked_at, user: userFromRow(row) };
  }

  /** Revokes a session; returns false when it was unknown or already revoked. */
  async revoke(sid: string): Promise<boolean> {
    const rows = await this.sql`update auth.sessions set revoked_at = now() where sid = ${sid} and revoked_at is null returning sid`;
    return rows.length > 0;
  }

  /** Revokes every open session of a user (e.g. after a password change). */
  async revokeAllOf(userId: string): Promise<number> {
    const rows = await this.sql`update auth.sessions set revoked_at = now() where user_id = ${userId} and revoked_at is null returning sid`;
    return rows.length;
  }

  /** Deletes sessions expired at `before` (expiry is exclusive, as for tokens): their tokens are refused by expiry anyway. */
  async purgeExpired(before: Date): Promise<number> {
    const rows = await this.sql`delete from auth.sessions where expires_at <= ${before} returning sid`;
    return rows.length;
  }
}
