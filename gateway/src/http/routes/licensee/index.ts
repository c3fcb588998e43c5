/**
 * The licensee router (`/api/licensee`): a licensee's own licences and certificates, invoices and
 * payments, usage reports, repertoire coverage and complaints. Every route needs the `licensee`
 * role and reads or writes only the caller's own party (`c.var.user.partyId`); another party's
 * record answers 404, exactly like a missing one.
 */
import { requireRole } from '../../../auth/middleware';
import type { Services } from '../../../services';
import { newRouter } from '../../openapi';
import { complaintRoutes } from '../complaints';
import { coverageRoutes } from './coverage';
import { invoiceRoutes } from './invoices';
import { licenceRoutes } from './licences';
import { RepertoireCache } from './repertoire-cache';
import { usageReportRoutes, type UsageReportOptions } from './usage-reports';

/** Options of the licensee router. */
export type LicenseeRouterOptions = UsageReportOptions;

/** Builds the licensee router; mount it with `app.route('/api/licensee', licenseeRouter(services))`. */
export function licenseeRouter(services: Services, options: LicenseeRouterOptions = {}) {
  const repertoire = new RepertoireCache(services.sql);
  const router = newRouter();
  // Before any route: an anonymous caller gets 401 and another role 403, even on unknown paths.
  router.use('*', requireRole('licensee'));
  return router
    .route('/', licenceRoutes(services))
    .route('/', invoiceRoutes(services))
    .route('/', usageReportRoutes(services, repertoire, options))
    .route('/', coverageRoutes(services, repertoire))
    .route('/', complaintRoutes(services, 'licensee'));
}

/** The licensee router's type, for a typed client. */
export type LicenseeRouter = ReturnType<typeof licenseeRouter>;
