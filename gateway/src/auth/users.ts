/**
 * The gateway's user accounts (`auth.users`): who may sign in, with which role, for which
 * collective or party. Accounts are disabled, never deleted, so the audit log keeps its meaning.
 */
import type postgres from 'postgres';
import { z } from 'zod';
import { HttpError } from '../http/http-error';
import { COLLECTIVE_MSP, mspIdFor, ROLES, type AuthUser, type Role } from './identity';
import { DEFAULT_SCRYPT_PARAMS, hashPassword, passwordProblems, type ScryptParams } from './passwords';

/** Usernames: 3–64 letters, digits, `.`, `_`, `-`; unique regardless of case. */
export const usernameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/, 'username must be 3–64 letters, digits, ".", "_" or "-", starting with a letter or digit');

/** Input for a new account. */
export const newUserSchema = z
  .object({
    username: usernameSchema,
    password: z.string(),
    role: z.enum(ROLES),
    collectiveId: z.string().min(1).optional(),
    partyId: z.string().min(1).max(64).optional(),
    displayName: z.string().trim().min(1).max(200),
  })
  .superRefine((u, ctx) => {
    for (const problem of passwordProblems(u.password, u.username)) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
    if (u.role === 'regulator') {
      if (u.collectiveId !== undefined) ctx.addIssue({ code: 'custom', path: ['collectiveId'], message: 'a regulator belongs to no collective' });
      if (u.partyId !== undefined) ctx.addIssue({ code: 'custom', path: ['partyId'], message: 'a regulator has no party id' });
      return;
    }
    if (u.collectiveId === undefined) ctx.addIssue({ code: 'custom', path: ['collectiveId'], message: `a ${u.role} needs a collective` });
    else if (COLLECTIVE_MSP[u.collectiveId] === undefined) ctx.addIssue({ code: 'custom', path: ['collectiveId'], message: `unknown collective ${u.collectiveId}` });
    if (u.role === 'operator' && u.partyId !== undefined) ctx.addIssue({ code: 'custom', path: ['partyId'], message: 'an operator has no party id' });
    if ((u.role === 'member' || u.role === 'licensee') && u.partyId === undefined) ctx.addIssue({ code: 'custom', path: ['partyId'], message: `a ${u.role} needs a party id` });
  });

/** Input for a new account (the password in clear, hashed before it is stored). */
export type NewUser = z.input<typeof newUserSchema>;

/** A stored account, with its password hash: never send this to a client. */
export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  collectiveId: string | null;
  partyId: string | null;
  displayName: string;
  createdAt: Date;
  disabledAt: Date | null;
}

/** A row of `auth.users` as postgres.js returns it. */
export interface UserRow {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  collective_id: string | null;
  party_id: string | null;
  display_name: string;
  created_at: Date;
  disabled_at: Date | null;
}

/** Maps a row of `auth.users` to a record. */
export function userFromRow(r: UserRow): UserRecord {
  return {
    id: r.id,
    username: r.username,
    passwordHash: r.password_hash,
    role: r.role,
    collectiveId: r.collective_id,
    partyId: r.party_id,
    displayName: r.display_name,
    createdAt: r.created_at,
    disabledAt: r.disabled_at,
  };
}

/** What handlers see of an account: no hash, and the MSP it acts through. */
export function toAuthUser(u: UserRecord): AuthUser {
  const mspId = mspIdFor(u.role, u.collectiveId ?? undefined);
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    displayName: u.displayName,
    ...(u.collectiveId !== null && { collectiveId: u.collectiveId }),
    ...(u.partyId !== null && { partyId: u.partyId }),
    ...(mspId !== undefined && { mspId }),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads and writes `auth.users`. */
export class UserStore {
  constructor(
    private readonly sql: postgres.Sql,
    private readonly scryptParams: ScryptParams = DEFAULT_SCRYPT_PARAMS,
  ) {}

  /**
   * Creates an account. Throws `VALIDATION.INVALID_ARGUMENT` naming the field for bad input
   * (including a password that fails the policy) and `ALREADY_EXISTS` for a taken username.
   */
  async create(input: NewUser): Promise<UserRecord> {
    const parsed = newUserSchema.safeParse(input);
    if (!parsed.success) throw HttpError.fromZod(parsed.error);
    const u = parsed.data;
    const passwordHash = await hashPassword(u.password, this.scryptParams);
    const rows = await this.sql<UserRow[]>`
      insert into auth.users (username, password_hash, role, collective_id, party_id, display_name)
      values (${u.username}, ${passwordHash}, ${u.role}, ${u.collectiveId ?? null}, ${u.partyId ?? null}, ${u.displayName})
      on conflict ((lower(username))) do nothing
      returning *`;
    const row = rows[0];
    if (!row) throw new HttpError('ALREADY_EXISTS', `username ${u.username} is taken`, { field: 'username' });
    return userFromRow(row);
  }

  /** The account with this username (any case), or undefined. */
  async findByUsername(username: string): Promise<UserRecord | undefined> {
    const [row] = await this.sql<UserRow[]>`select * from auth.users where lower(username) = lower(${username})`;
    return row && userFromRow(row);
  }

  /** The account with this id, or undefined (also for a string that is not a uuid). */
  async findById(id: string): Promise<UserRecord | undefined> {
    if (!UUID.test(id)) return undefined;
    const [row] = await this.sql<UserRow[]>`select * from auth.users where id = ${id}`;
    return row && userFromRow(row);
  }

  /** Replaces the password (policy enforced). */
  async setPassword(id: string, password: string, username?: string): Promise<void> {
    const problems = passwordProblems(password, username);
    if (problems.length > 0) throw new HttpError('VALIDATION.INVALID_ARGUMENT', problems[0]!, { field: 'password', problems });
    await this.storeHash(id, await hashPassword(password, this.scryptParams));
  }

  /** Stores an already computed hash (used to upgrade the cost of an old hash at login). */
  async storeHash(id: string, passwordHash: string): Promise<void> {
    await this.sql`update auth.users set password_hash = ${passwordHash} where id = ${id}`;
  }

  /** Disables an account: its sessions and API keys stop working at their next request. */
  async disable(id: string): Promise<void> {
    await this.sql`update auth.users set disabled_at = coalesce(disabled_at, now()) where id = ${id}`;
  }

  /** Enables a disabled account again. */
  async enable(id: string): Promise<void> {
    await this.sql`update auth.users set disabled_at = null where id = ${id}`;
  }
}

/** True for a string shaped like a uuid (ids of users and API keys). */
export function isUuid(s: string): boolean {
  return UUID.test(s);
}
