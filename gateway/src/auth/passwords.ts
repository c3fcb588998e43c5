/**
 * Password hashing with scrypt (node:crypto): a random salt per password, explicit cost
 * parameters, and a self-describing string `scrypt$N$r$p$salt$hash` (salt and hash base64url), so
 * the cost can be raised later without breaking existing hashes. Passwords are never stored or
 * logged in clear; comparison is constant-time.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

/** scrypt cost parameters. */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelisation. */
  p: number;
}

/**
 * The cost used for new hashes: N = 2^15, r = 8, p = 1 (about 32 MiB and some tens of
 * milliseconds per hash), the OWASP-recommended minimum for scrypt.
 */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

/** Smallest password length accepted, in characters (code points, so CJK counts per character). */
export const PASSWORD_MIN_LENGTH = 10;
/** Longest password accepted; bounds the work a single login can ask of the server. */
export const PASSWORD_MAX_LENGTH = 256;

const SALT_BYTES = 16;
const HASH_BYTES = 32;
// Bounds on parameters read back from stored hashes: a tampered row must not make one login
// allocate gigabytes or spin for minutes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

/** The password policy as a zod schema: at least 10 and at most 256 characters. */
export const passwordSchema = z
  .string()
  .refine((s) => [...s].length >= PASSWORD_MIN_LENGTH, { message: `password must have at least ${PASSWORD_MIN_LENGTH} characters` })
  .refine((s) => [...s].length <= PASSWORD_MAX_LENGTH, { message: `password must have at most ${PASSWORD_MAX_LENGTH} characters` });

/**
 * Checks a new password against the policy; returns the reasons it fails (empty when it passes).
 * Besides the length, a password equal to the username is refused.
 */
export function passwordProblems(password: string, username?: string): string[] {
  const parsed = passwordSchema.safeParse(password);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => i.message);
  if (username !== undefined && password.toLowerCase() === username.toLowerCase()) problems.push('password must differ from the username');
  return problems;
}

function scryptAsync(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // scrypt needs about 128 * N * r bytes; the default maxmem (32 MiB) is just too small for N = 2^15.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, HASH_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Hashes a password; returns `scrypt$N$r$p$salt$hash`. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await scryptAsync(password, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

interface ParsedHash extends ScryptParams {
  salt: Buffer;
  hash: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  const isPowerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!isPowerOfTwo || N > MAX_N || !Number.isInteger(R) || R < 1 || R > MAX_R || !Number.isInteger(P) || P < 1 || P > MAX_P) return undefined;
  if (!B64URL.test(salt) || !B64URL.test(hash)) return undefined;
  const hashBytes = Buffer.from(hash, 'base64url');
  if (hashBytes.length !== HASH_BYTES) return undefined;
  return { N, r: R, p: P, salt: Buffer.from(salt, 'base64url'), hash: hashBytes };
}

/** True when `password` matches the stored hash; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const candidate = await scryptAsync(password, parsed.salt, parsed);
  return timingSafeEqual(candidate, parsed.hash);
}

/** True when a stored hash was made with a lower cost than `params` and should be redone at next login. */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.N < params.N || parsed.r < params.r || parsed.p < params.p;
}
