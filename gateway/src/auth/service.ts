/**
 * Accounts and access as one object: sign-in with rate limiting, session tokens, API keys, and the
 * stores behind them. `AuthService.open()` migrates the `auth` schema and loads (or creates) the
 * session signing key, so a gateway needs nothing but a database connection.
 */
import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import type { GatewayConfig } from '../config';
import { HttpError } from '../http/http-error';
import { ApiKeyStore, type ApiKeyInfo, type ApiKeyMaterial } from './api-keys';
import { AuditLog } from './audit';
import type { AuthUser } from './identity';
import { DEFAULT_SCRYPT_PARAMS, hashPassword, needsRehash, verifyPassword, type ScryptParams } from './passwords';
import { DEFAULT_LOGIN_LIMITS, LoginRateLimiter, type LoginRateLimitOptions } from './rate-limit';
import { migrateAuth } from './schema';
import { loadOrCreateSecret, SESSION_SIGNING_KEY } from './secrets';
import { SessionStore } from './sessions';
import { checkToken, signToken, type TokenPayload } from './tokens';
import { toAuthUser, UserStore, type NewUser, type UserRecord } from './users';

/** Default session lifetime: a working day. */
export const DEFAULT_SESSION_TTL_MINUTES = 8 * 60;

/** Options of the auth service. */
export interface AuthOptions {
  /** Session token lifetime in minutes (default 480). */
  sessionTtlMinutes?: number;
  /** Login failure limits (default 5 per username, 20 per IP, in 15 minutes). */
  loginLimits?: Pick<LoginRateLimitOptions, 'perUsername' | 'perIp'>;
  /** Clock; injectable so tests move time instead of waiting. */
  now?: () => Date;
  /** scrypt cost for new password hashes (tests may lower it; production keeps the default). */
  scryptParams?: ScryptParams;
  /** API key generator (tests inject one to force prefix collisions). */
  generateApiKey?: () => ApiKeyMaterial;
  /**
   * How long (ms) a session's looked-up state (not revoked, user enabled, same role) is reused for
   * later requests with the same token instead of reading `auth.sessions` again; 0 (the default)
   * reads it on every request. Logout and `disableUser` through this service take effect at once;
   * a revocation, disabling or role change made elsewhere (another gateway process, SQL) is seen
   * after at most this long. Expiry is still checked on every request; with the cache on, a token
   * string's signature is checked once and remembered (up to 10,000 tokens).
   */
  sessionCacheMs?: number;
}

/** Session state reuse the gateway configures (see {@link AuthOptions.sessionCacheMs}). */
export const DEFAULT_SESSION_CACHE_MS = 2000;

/** At most this many sessions' states are kept in memory; the oldest go first. */
const SESSION_CACHE_MAX = 10_000;

/** The auth options the gateway's configuration sets. */
export function authOptionsFromConfig(config: GatewayConfig): AuthOptions {
  return {
    sessionTtlMinutes: config.AUTH_SESSION_TTL_MINUTES,
    loginLimits: {
      perUsername: { maxFailures: config.AUTH_LOGIN_MAX_FAILURES, windowMs: config.AUTH_LOGIN_WINDOW_MINUTES * 60_000 },
      perIp: { maxFailures: config.AUTH_LOGIN_MAX_FAILURES_PER_IP, windowMs: config.AUTH_LOGIN_WINDOW_MINUTES * 60_000 },
    },
    sessionCacheMs: DEFAULT_SESSION_CACHE_MS,
  };
}

/** A successful sign-in. */
export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: AuthUser;
}

/** Who presented a credential, and which one. */
export type Authenticated = { user: AuthUser; method: 'session'; sessionId: string } | { user: AuthUser; method: 'api_key'; apiKeyId: string };

function unauthenticated(reason: string): HttpError {
  // The reason goes into details for the client's benefit; none of them reveals whether a user exists.
  return new HttpError('AUTH.UNAUTHENTICATED', 'authentication required: the credential is missing, invalid, expired or revoked', { reason });
}

/** Accounts and access for the gateway. */
export class AuthService {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly apiKeys: ApiKeyStore;
  readonly audit: AuditLog;
  readonly limiter: LoginRateLimiter;
  private readonly ttlSeconds: number;
  private readonly now: () => Date;
  private readonly scryptParams: ScryptParams;
  private readonly sessionCacheMs: number;
  /** Recently verified sessions: sid → the token's subject and role, the user, and until when to trust it. */
  private readonly verified = new Map<string, { sub: string; role: string; user: AuthUser; until: number }>();
  // Token strings whose signature and payload were checked (with the session cache only): a token is
  // immutable, so only its expiry needs checking again. Keyed by the whole string, signature included.
  private readonly checkedTokens = new Map<string, TokenPayload>();

  private constructor(
    readonly sql: postgres.Sql,
    private readonly signingKey: Buffer,
    // Checked against when the username is unknown, so that case costs as much time as a wrong password.
    private readonly decoyHash: string,
    options: AuthOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.scryptParams = options.scryptParams ?? DEFAULT_SCRYPT_PARAMS;
    this.ttlSeconds = Math.round((options.sessionTtlMinutes ?? DEFAULT_SESSION_TTL_MINUTES) * 60);
    this.sessionCacheMs = Math.max(0, options.sessionCacheMs ?? 0);
    this.users = new UserStore(sql, this.scryptParams);
    this.sessions = new SessionStore(sql);
    this.apiKeys = new ApiKeyStore(sql, options.generateApiKey);
    this.audit = new AuditLog(sql);
    const limits = options.loginLimits ?? DEFAULT_LOGIN_LIMITS;
    this.limiter = new LoginRateLimiter({ ...limits, now: () => this.now().getTime() });
  }

  /**
   * Migrates the `auth` schema, loads or creates the signing key, deletes expired sessions, and
   * returns the service.
   */
  static async open(sql: postgres.Sql, options: AuthOptions = {}): Promise<AuthService> {
    await migrateAuth(sql);
    const key = await loadOrCreateSecret(sql, SESSION_SIGNING_KEY, 32);
    const decoy = await hashPassword(randomBytes(16).toString('hex'), options.scryptParams ?? DEFAULT_SCRYPT_PARAMS);
    const service = new AuthService(sql, key, decoy, options);
    // Sessions past their expiry are refused by the token itself; dropping them at start keeps the table small.
    await service.sessions.purgeExpired(service.now());
    return service;
  }

  /** Creates an account (see {@link UserStore.create}). */
  async createUser(input: NewUser): Promise<AuthUser> {
    return toAuthUser(await this.users.create(input));
  }

  /**
   * Signs a user in. Throws `AUTH.RATE_LIMITED` (with `Retry-After`) when the username or the IP
   * has too many recent failures, and `AUTH.INVALID_CREDENTIALS` for an unknown user, a wrong
   * password or a disabled account alike, so a caller cannot tell which.
   */
  async login(username: string, password: string, ip: string): Promise<LoginResult> {
    const wait = this.limiter.retryAfterSeconds(username, ip);
    if (wait > 0) {
      throw new HttpError('AUTH.RATE_LIMITED', `too many failed sign-ins; try again in ${wait} s`, { retryAfterSeconds: wait }, { 'Retry-After': String(wait) });
    }
    const record = await this.users.findByUsername(username);
    const ok = await verifyPassword(password, record?.passwordHash ?? this.decoyHash);
    if (!record || !ok || record.disabledAt !== null) {
      this.limiter.recordFailure(username, ip);
      throw new HttpError('AUTH.INVALID_CREDENTIALS', 'wrong username or password');
    }
    this.limiter.recordSuccess(username);
    if (needsRehash(record.passwordHash, this.scryptParams)) await this.users.storeHash(record.id, await hashPassword(password, this.scryptParams));
    return this.issueSession(record);
  }

  private async issueSession(record: UserRecord): Promise<LoginResult> {
    const now = this.now();
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.ttlSeconds;
    const sid = randomBytes(18).toString('base64url');
    const expiresAt = new Date(exp * 1000);
    await this.sessions.create(sid, record.id, now, expiresAt);
    const token = signToken({ sub: record.id, role: record.role, iat, exp, sid }, this.signingKey);
    return { token, expiresAt, user: toAuthUser(record) };
  }

  /**
   * Checks a session token: signature, expiry, that its session was not revoked, and that the user
   * still exists, is enabled and still has the role the token names. Throws `AUTH.UNAUTHENTICATED`.
   */
  async verifySession(token: string): Promise<{ user: AuthUser; sessionId: string }> {
    const nowMs = this.now().getTime();
    let payload = this.sessionCacheMs > 0 ? this.checkedTokens.get(token) : undefined;
    if (payload === undefined) {
      const check = checkToken(token, this.signingKey, Math.floor(nowMs / 1000));
      if (!check.ok) throw unauthenticated(check.problem);
      payload = check.payload;
      if (this.sessionCacheMs > 0) {
        this.checkedTokens.set(token, payload);
        while (this.checkedTokens.size > SESSION_CACHE_MAX) this.checkedTokens.delete(this.checkedTokens.keys().next().value as string);
      }
    } else if (Math.floor(nowMs / 1000) >= payload.exp) {
      this.checkedTokens.delete(token);
      throw unauthenticated('expired');
    }
    const { sub, sid, role } = payload;
    const known = this.sessionCacheMs > 0 ? this.verified.get(sid) : undefined;
    // The token's signature binds sid to sub and role, but compare anyway: a hit must match what was checked.
    if (known && known.until > nowMs && known.sub === sub && known.role === role) return { user: known.user, sessionId: sid };
    const session = await this.sessions.lookup(sid);
    if (!session || session.userId !== sub) throw unauthenticated('unknown_session');
    if (session.revokedAt !== null) throw unauthenticated('revoked');
    if (session.user.disabledAt !== null) throw unauthenticated('disabled');
    if (session.user.role !== role) throw unauthenticated('role_changed');
    const user = toAuthUser(session.user);
    if (this.sessionCacheMs > 0) {
      this.verified.delete(sid);
      this.verified.set(sid, { sub, role, user, until: nowMs + this.sessionCacheMs });
      // Map iteration is insertion order: drop the oldest beyond the bound.
      while (this.verified.size > SESSION_CACHE_MAX) this.verified.delete(this.verified.keys().next().value as string);
    }
    return { user, sessionId: sid };
  }

  /** Checks an API key: live, and its owner enabled. Throws `AUTH.UNAUTHENTICATED`. */
  async verifyApiKey(key: string): Promise<{ user: AuthUser; apiKeyId: string }> {
    const found = await this.apiKeys.verify(key);
    if (!found) throw unauthenticated('invalid_api_key');
    if (found.user.disabledAt !== null) throw unauthenticated('disabled');
    return { user: toAuthUser(found.user), apiKeyId: found.keyId };
  }

  /**
   * Resolves the request's credential from its headers: `Authorization: Bearer <token>`,
   * `Authorization: ApiKey <key>` or `X-Api-Key: <key>`. Returns null when there is none; throws
   * `AUTH.UNAUTHENTICATED` when one is present but not valid (a client that sent a credential
   * must learn it failed, not be served as anonymous).
   */
  async authenticateHeaders(authorization: string | undefined, xApiKey: string | undefined): Promise<Authenticated | null> {
    if (authorization !== undefined && authorization.trim() !== '') {
      const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(authorization);
      const scheme = m?.[1]?.toLowerCase();
      const value = m?.[2];
      if (scheme === 'bearer' && value) {
        const r = await this.verifySession(value);
        return { user: r.user, method: 'session', sessionId: r.sessionId };
      }
      if (scheme === 'apikey' && value) {
        const r = await this.verifyApiKey(value);
        return { user: r.user, method: 'api_key', apiKeyId: r.apiKeyId };
      }
      throw unauthenticated('unsupported_authorization_scheme');
    }
    if (xApiKey !== undefined && xApiKey.trim() !== '') {
      const r = await this.verifyApiKey(xApiKey.trim());
      return { user: r.user, method: 'api_key', apiKeyId: r.apiKeyId };
    }
    return null;
  }

  /** Revokes a session (logout); false when it was unknown or already revoked. */
  logout(sessionId: string): Promise<boolean> {
    this.verified.delete(sessionId);
    return this.sessions.revoke(sessionId);
  }

  /** Creates an API key for a user; the key is in the result and nowhere else, ever. */
  createApiKey(userId: string, label: string): Promise<ApiKeyInfo & { key: string }> {
    return this.apiKeys.create(userId, label);
  }

  /** Disables an account and revokes its sessions. */
  async disableUser(userId: string): Promise<void> {
    const forget = () => {
      for (const [sid, v] of this.verified) if (v.sub === userId) this.verified.delete(sid);
    };
    forget();
    await this.users.disable(userId);
    await this.sessions.revokeAllOf(userId);
    // Again: a request verified while the updates ran may have stored the user as enabled.
    forget();
  }
}
