/**
 * The gateway's Hono application: routers mounted per audience, errors mapped to HTTP statuses
 * with a body `{ error: { code, message, details } }`.
 */
import { Hono } from 'hono';
import { isLedgerError, type ErrorCode } from '@rtl/chaincode';
import type { LedgerPort } from '../ledger/port';
import { healthRouter, type StartupState } from './health-router';

/** HTTP status for each ledger error code. */
export const STATUS_OF: Record<ErrorCode, 400 | 403 | 404 | 409 | 422 | 500 | 503> = {
  'VALIDATION.INVALID_ARGUMENT': 400,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  'ACCESS.DENIED': 403,
  'LEDGER.UNBALANCED': 422,
  'LEDGER.IDEMPOTENCY_CONFLICT': 409,
  'LEDGER.INSUFFICIENT_FUNDS': 422,
  'LEDGER.NOT_CONSERVED': 422,
  'LEDGER.ALREADY_REVERSED': 409,
  'LEDGER.INVALID_STATE': 409,
  'LEDGER.MVCC_CONFLICT': 409,
  'LEDGER.ENDORSEMENT_FAILED': 503,
  'LEDGER.UNAVAILABLE': 503,
  'LEDGER.UNKNOWN_FUNCTION': 400,
  'SHARES.OVER_100': 422,
  INTERNAL: 500,
};

/** Builds the application. */
export function createApp(deps: { ledger: LedgerPort; startup: StartupState }) {
  const app = new Hono().route('/', healthRouter(deps.ledger, deps.startup));
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `no route for ${c.req.method} ${c.req.path}`, details: {} } }, 404));
  app.onError((err, c) => {
    if (isLedgerError(err)) {
      return c.json({ error: { code: err.code, message: err.text, details: err.details } }, STATUS_OF[err.code]);
    }
    console.error(err);
    return c.json({ error: { code: 'INTERNAL', message: 'internal error', details: {} } }, 500);
  });
  return app;
}

/** The application's type, for a typed client. */
export type AppType = ReturnType<typeof createApp>;
