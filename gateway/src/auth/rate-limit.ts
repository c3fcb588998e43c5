/**
 * Login rate limiting: failed sign-ins are counted per username and per client IP in a sliding
 * window; once either count reaches its limit, further attempts are refused with
 * `AUTH.RATE_LIMITED` (HTTP 429) and a `Retry-After` until the oldest failure leaves the window.
 * A successful sign-in clears the username's count (not the IP's, so one good account cannot be
 * used to keep guessing others from the same address).
 *
 * The counts live in memory, per gateway process: several gateways behind a load balancer each
 * allow the limit, and a restart forgets the counts. That is acceptable for a brake on password
 * guessing; a shared store (the database or Redis) would be the next step if it is not.
 */

/** One limit: at most `maxFailures` failures in `windowMs`. */
export interface FailureLimit {
  maxFailures: number;
  windowMs: number;
}

/** Options of the login rate limiter. */
export interface LoginRateLimitOptions {
  perUsername: FailureLimit;
  perIp: FailureLimit;
  /** Clock in milliseconds; injectable so tests move time instead of waiting. */
  now?: () => number;
  /** Most keys remembered; beyond it the stalest are forgotten, so a flood cannot exhaust memory. */
  maxKeys?: number;
}

/** Default limits: 5 failures per username and 20 per IP in 15 minutes. */
export const DEFAULT_LOGIN_LIMITS = {
  perUsername: { maxFailures: 5, windowMs: 15 * 60_000 },
  // Higher per IP: a collective's office or a licensee's chain puts many people behind one address.
  perIp: { maxFailures: 20, windowMs: 15 * 60_000 },
} as const satisfies Pick<LoginRateLimitOptions, 'perUsername' | 'perIp'>;

/** Failure times per key in a sliding window. */
class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: FailureLimit,
    private readonly maxKeys: number,
  ) {}

  private live(key: string, now: number): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const kept = times.filter((t) => t > now - this.limit.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else if (kept.length !== times.length) this.failures.set(key, kept);
    return kept;
  }

  /** Milliseconds until the key may try again, or 0 when it may now. */
  blockedFor(key: string, now: number): number {
    const times = this.live(key, now);
    if (times.length < this.limit.maxFailures) return 0;
    // The attempt is allowed again once enough failures have left the window to go below the limit.
    const release = times[times.length - this.limit.maxFailures]!;
    return Math.max(1, release + this.limit.windowMs - now);
  }

  add(key: string, now: number): void {
    const times = this.live(key, now);
    times.push(now);
    // Only the newest maxFailures matter for the decision.
    if (times.length > this.limit.maxFailures) times.splice(0, times.length - this.limit.maxFailures);
    this.failures.delete(key); // re-insert so Map order is least recently failed first
    this.failures.set(key, times);
    if (this.failures.size > this.maxKeys) this.evict(now);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }

  private evict(now: number): void {
    for (const key of [...this.failures.keys()]) this.live(key, now);
    for (const key of this.failures.keys()) {
      if (this.failures.size <= this.maxKeys) break;
      this.failures.delete(key);
    }
  }
}

/** Counts failed sign-ins and decides whether the next attempt may proceed. */
export class LoginRateLimiter {
  private readonly byUser: FailureWindow;
  private readonly byIp: FailureWindow;
  private readonly now: () => number;

  constructor(options: Partial<LoginRateLimitOptions> = {}) {
    const maxKeys = options.maxKeys ?? 100_000;
    this.byUser = new FailureWindow(options.perUsername ?? DEFAULT_LOGIN_LIMITS.perUsername, maxKeys);
    this.byIp = new FailureWindow(options.perIp ?? DEFAULT_LOGIN_LIMITS.perIp, maxKeys);
    this.now = options.now ?? Date.now;
  }

  /** Seconds to wait before an attempt for this username from this IP may proceed; 0 when it may now. */
  retryAfterSeconds(username: string, ip: string): number {
    const now = this.now();
    const ms = Math.max(this.byUser.blockedFor(userKey(username), now), this.byIp.blockedFor(ip, now));
    return Math.ceil(ms / 1000);
  }

  /** Counts a failed attempt (wrong password, unknown or disabled user: all look the same). */
  recordFailure(username: string, ip: string): void {
    const now = this.now();
    this.byUser.add(userKey(username), now);
    this.byIp.add(ip, now);
  }

  /** A successful sign-in clears the username's failures. */
  recordSuccess(username: string): void {
    this.byUser.clear(userKey(username));
  }
}

function userKey(username: string): string {
  return username.toLowerCase();
}
