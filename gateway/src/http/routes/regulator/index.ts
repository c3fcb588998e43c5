/**
 * The regulator's router, mounted at `/api/regulator`: read access to every collective's records
 * (overview, journal, balances with a ledger cross-check, drill-down from figures to transactions,
 * the supervision dashboard, the annual transparency report, the audit log) and the only writes the
 * regulator makes: findings on complaints. Every route needs the `regulator` role.
 */
import { requireRole } from '../../../auth/middleware';
import type { Services } from '../../../services';
import { newRouter } from '../../openapi';
import { annualReportRouter } from './annual-report';
import { auditRouter } from './audit';
import { collectivesRouter } from './collectives';
import { complaintsRouter } from './complaints';
import { dashboardRouter } from './dashboard';
import { entriesRouter } from './entries';
import { figuresRouter } from './figures';

/** Builds the regulator router (mount with `app.route('/api/regulator', regulatorRouter(services))`). */
export function regulatorRouter(services: Services) {
  const router = newRouter();
  // Before any route, so the role is checked before input validation: an anonymous or wrong-role
  // caller learns nothing about what a valid request looks like.
  router.use('*', requireRole('regulator'));
  return router
    .route('/', collectivesRouter(services))
    .route('/', entriesRouter(services))
    .route('/', figuresRouter(services))
    .route('/', dashboardRouter(services))
    .route('/', complaintsRouter(services))
    .route('/', annualReportRouter(services))
    .route('/', auditRouter(services));
}
