/**
 * The member router (`/api/member`): a rights holder's own works and shares, balances and the
 * movements behind them, payouts, statements with Merkle proofs, suspense claims and complaints.
 * Every route needs the `member` role and reads or writes only the caller's own party
 * (`c.var.user.partyId`); suspense lines are those of the member's own collective. Another party's
 * record answers 404, like a missing one.
 */
import { requireRole } from '../../../auth/middleware';
import type { Services } from '../../../services';
import { newRouter } from '../../openapi';
import { complaintRoutes } from '../complaints';
import { accountRoutes } from './account';
import { claimRoutes } from './claims';
import { StatementPageCache } from './statement-page-cache';
import { StatementTrees } from './statement-trees';
import { statementRoutes } from './statements';
import { transactionRoutes } from './transactions';
import { workRoutes } from './works';

/** Builds the member router; mount it with `app.route('/api/member', memberRouter(services))`. */
export function memberRouter(services: Services) {
  const trees = new StatementTrees(services.sql);
  const router = newRouter();
  // Before any route: an anonymous caller gets 401 and another role 403, even on unknown paths.
  router.use('*', requireRole('member'));
  return router
    .route('/', workRoutes(services))
    .route('/', accountRoutes(services))
    .route('/', transactionRoutes(services))
    .route('/', statementRoutes(services, trees, new StatementPageCache()))
    .route('/', claimRoutes(services))
    .route('/', complaintRoutes(services, 'member'));
}

/** The member router's type, for a typed client. */
export type MemberRouter = ReturnType<typeof memberRouter>;
