/**
 * Session tokens: `<payload>.<signature>`, where the payload is base64url JSON
 * `{ sub, role, iat, exp, sid }` and the signature is base64url HMAC-SHA256 of the payload text
 * under the gateway's signing key. Pure functions, no database: whether the session was revoked or
 * the user disabled is checked by the session store.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ROLES } from './identity';

/** What a session token says. Times are seconds since the epoch, as in JWT. */
export const tokenPayloadSchema = z.object({
  /** User id. */
  sub: z.string().min(1),
  role: z.enum(ROLES),
  /** Issued at. */
  iat: z.number().int().nonnegative(),
  /** Expires at (exclusive). */
  exp: z.number().int().positive(),
  /** Session id, for revocation at logout. */
  sid: z.string().min(1),
});

/** The payload of a session token. */
export type TokenPayload = z.infer<typeof tokenPayloadSchema>;

/** Why a token was refused. */
export type TokenProblem = 'malformed' | 'bad_signature' | 'expired';

/** Outcome of checking a token's signature and expiry. */
export type TokenCheck = { ok: true; payload: TokenPayload } | { ok: false; problem: TokenProblem };

function sign(payloadText: string, key: Buffer): Buffer {
  return createHmac('sha256', key).update(payloadText, 'ascii').digest();
}

/** Signs a payload into a token. */
export function signToken(payload: TokenPayload, key: Buffer): string {
  const text = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${text}.${sign(text, key).toString('base64url')}`;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Checks a token's signature (constant-time) and expiry against `nowSeconds`. The signature is
 * checked before the payload is parsed, so nothing an attacker wrote is interpreted unless signed.
 */
export function checkToken(token: string, key: Buffer, nowSeconds: number): TokenCheck {
  if (token.length > 4096 || !TOKEN_SHAPE.test(token)) return { ok: false, problem: 'malformed' };
  const [text, sig] = token.split('.') as [string, string];
  const expected = sign(text, key);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'bad_signature' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  const parsed = tokenPayloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problem: 'malformed' };
  if (nowSeconds >= parsed.data.exp) return { ok: false, problem: 'expired' };
  return { ok: true, payload: parsed.data };
}
