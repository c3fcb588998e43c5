/**
 * Helpers for the auth tests: a service with a movable clock and a cheap scrypt cost, and the
 * error rendering the gateway's `onError` will do, so routers can be exercised on their own.
 */
import { Hono, type Context } from 'hono';
import type postgres from 'postgres';
import { renderHttpError } from '../http/http-error';
import type { AuthEnv } from './env';
import type { ScryptParams } from './passwords';
import { AuthService, type AuthOptions } from './service';

/** A cheap scrypt cost for tests only: the code path is the same, the wait is not. */
export const TEST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

/** A clock tests move by hand. */
export interface TestClock {
  ms: number;
  now: () => Date;
  advanceMinutes(minutes: number): void;
}

/** A clock starting at a fixed instant. */
export function testClock(start = '2026-07-01T08:00:00Z'): TestClock {
  const clock: TestClock = {
    ms: Date.parse(start),
    now: () => new Date(clock.ms),
    advanceMinutes: (m) => {
      clock.ms += m * 60_000;
    },
  };
  return clock;
}

/** Opens the auth service for a test database. */
export function openTestAuth(sql: postgres.Sql, options: AuthOptions = {}): Promise<AuthService> {
  return AuthService.open(sql, { scryptParams: TEST_SCRYPT, ...options });
}

/** Renders errors as the gateway's `onError` should: `HttpError` with its status and headers, anything else 500. */
export function renderError(err: Error, c: Context): Response {
  return renderHttpError(err, c) ?? c.json({ error: { code: 'INTERNAL', message: err.message, details: {} } }, 500);
}

/** An empty app with the gateway's error rendering. */
export function testApp(): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.onError(renderError);
  return app;
}
