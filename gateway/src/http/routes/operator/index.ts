/**
 * The operator router, mounted at `/api/operator`: everything a collective's operators do for
 * their own collective — members and licensees, works and shares (also from CWR files), tariffs
 * and licences, invoices, payments and income, payouts, reversals and adjustments, claim
 * decisions, and distribution runs as background jobs with the carried-forward balances they
 * released. Every route needs the `operator` role; reads are limited to the operator's collective
 * and writes go to the ledger only for it.
 */
import { requireRole } from '../../../auth/middleware';
import type { Services } from '../../../services';
import { newRouter } from '../../openapi';
import { carriedReleaseRoutes } from './carried-releases';
import { claimsRoutes } from './claims';
import { correctionsRoutes } from './corrections';
import { distributionRoutes } from './distributions';
import { importRoutes } from './imports';
import { incomeRoutes } from './income';
import { licensingRoutes } from './licensing';
import { partiesRoutes } from './parties';
import { payoutsRoutes } from './payouts';
import { repertoireRoutes } from './repertoire';

/** Builds the operator router (see the module comment). */
export function operatorRouter(services: Services) {
  const router = newRouter();
  // Before any route: anonymous is 401 and another role 403, before input is even validated.
  router.use('*', requireRole('operator'));
  return router
    .route('/', partiesRoutes(services))
    .route('/', repertoireRoutes(services))
    .route('/', importRoutes(services))
    .route('/', licensingRoutes(services))
    .route('/', incomeRoutes(services))
    .route('/', payoutsRoutes(services))
    .route('/', correctionsRoutes(services))
    .route('/', claimsRoutes(services))
    .route('/', distributionRoutes(services))
    .route('/', carriedReleaseRoutes(services));
}
