/**
 * The gateway's Hono application: one router per audience mounted with `app.route`, OpenAPI 3.1
 * generated from the routes' zod schemas at `/openapi.json`, interactive docs at `/docs`, and one
 * `onError` that maps every error code to its HTTP status with a body `{ error: { code, message, details } }`.
 */
import { swaggerUI } from '@hono/swagger-ui';
import type { Context } from 'hono';
import { isLedgerError, type ErrorCode } from '@rtl/chaincode';
import { auditWrites } from '../auth/audit';
import { authenticate, clientIp } from '../auth/middleware';
import { authRouter } from '../auth/router';
import type { Services } from '../services';
import { healthRouter, type StartupState } from './health-router';
import { renderHttpError } from './http-error';
import { newRouter } from './openapi';
import { staticUiRouter } from './static-ui';
import { licenseeRouter } from './routes/licensee';
import { memberRouter } from './routes/member';
import { operatorRouter } from './routes/operator';
import { regulatorRouter } from './routes/regulator';
import { publicRouter } from './routes/public';

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

/** Renders any error as the gateway's error body. */
export function renderError(err: unknown, c: Context): Response {
  const http = renderHttpError(err, c);
  if (http) return http;
  if (isLedgerError(err)) {
    return c.json({ error: { code: err.code, message: err.text, details: err.details } }, STATUS_OF[err.code]);
  }
  console.error(err);
  return c.json({ error: { code: 'INTERNAL', message: 'internal error', details: {} } }, 500);
}

/** Builds the application. */
export function createApp(services: Services, startup: StartupState) {
  const ip = (c: Context) => clientIp(c, services.config.AUTH_TRUST_PROXY);
  const app = newRouter();
  app.use('*', auditWrites(services.auth.audit, { clientIp: ip }));
  // The auth router authenticates its own routes; mounted before the global authenticate() so a
  // stale token sent along with a login cannot block signing in.
  app.route('/auth', authRouter({ auth: services.auth, clientIp: ip }));
  app.use('*', authenticate(services.auth));
  const routed = app.route('/', healthRouter(services.ledger, startup));
  app.route('/api/licensee', licenseeRouter(services));
  app.route('/api/member', memberRouter(services));
  app.route('/api/operator', operatorRouter(services));
  app.route('/api/public', publicRouter(services));
  app.route('/api/regulator', regulatorRouter(services));
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Royalty transparency ledger API',
      version: '0.1.0',
      description: 'Collections and distributions of copyright collectives, from the ledger. Errors are `{ error: { code, message, details } }` with a stable `code`; money is always a decimal string.',
    },
  });
  app.get('/docs', swaggerUI({ url: '/openapi.json' }));
  app.route('/', staticUiRouter());
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `no route for ${c.req.method} ${c.req.path}`, details: {} } }, 404));
  app.onError((err, c) => renderError(err, c));
  return routed;
}

/** The application's type, for a typed client. */
export type AppType = ReturnType<typeof createApp>;
