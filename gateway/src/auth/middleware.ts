/**
 * Hono middleware for access: `authenticate()` resolves who is calling, `requireRole()` guards a
 * route, `clientIp()` says where the call came from. Failures are thrown as `HttpError`s for the
 * app's `onError` to render.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { HttpError } from '../http/http-error';
import type { AuthEnv } from './env';
import type { AuthUser, Role } from './identity';
import type { AuthService } from './service';

/**
 * Sets `c.var.user` from `Authorization: Bearer <token>`, `Authorization: ApiKey <key>` or
 * `X-Api-Key`, or to null for an anonymous request. A credential that is present but invalid
 * (expired, revoked, tampered, disabled user) is refused with 401 `AUTH.UNAUTHENTICATED` rather
 * than served as anonymous. Running it twice on a request does the work once, so the app can mount
 * it globally and a router can also mount it for itself.
 */
export function authenticate(auth: AuthService): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    if (c.get('user') !== undefined) return next();
    const who = await auth.authenticateHeaders(c.req.header('authorization'), c.req.header('x-api-key'));
    c.set('user', who?.user ?? null);
    if (who?.method === 'session') {
      c.set('authMethod', 'session');
      c.set('sessionId', who.sessionId);
    } else if (who?.method === 'api_key') {
      c.set('authMethod', 'api_key');
      c.set('apiKeyId', who.apiKeyId);
    }
    return next();
  };
}

/**
 * Throws 401 `AUTH.UNAUTHENTICATED` for an anonymous user and 403 `AUTH.FORBIDDEN` when the role
 * is not one of `roles` (any signed-in user when `roles` is empty); returns the user otherwise.
 */
export function assertRole(user: AuthUser | null | undefined, ...roles: Role[]): AuthUser {
  if (!user) throw new HttpError('AUTH.UNAUTHENTICATED', 'sign in first');
  if (roles.length > 0 && !roles.includes(user.role)) {
    throw new HttpError('AUTH.FORBIDDEN', `this needs the role ${roles.join(' or ')}`, { role: user.role, allowed: roles });
  }
  return user;
}

/**
 * Guards the routes after it: 401 when anonymous, 403 when the role is not one of `roles` (any
 * signed-in user passes when none are given). Mount after `authenticate()`; without it every
 * request counts as anonymous, so a forgotten `authenticate()` fails closed.
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    assertRole(c.get('user'), ...roles);
    return next();
  };
}

/**
 * The client's IP address: the first `X-Forwarded-For` entry when `trustProxy` (only behind a
 * proxy that sets it, since clients can forge it), else the socket's remote address, else
 * `unknown` (e.g. in `app.request()` tests, which have no socket).
 */
export function clientIp(c: Context, trustProxy = false): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
