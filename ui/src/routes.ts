/** Every page of the app: its path pattern, its component, and the role it needs (none for public pages). */
import type { ComponentType } from 'preact';
import type { SessionUser } from './lib/session';
import { ClaimsPage } from './pages/member/claims';
import { MemberOverviewPage } from './pages/member/overview';
import { PayoutsPage } from './pages/member/payouts';
import { StatementPage, StatementsPage } from './pages/member/statements';
import { MyWorksPage } from './pages/member/works';
import { CoveragePage } from './pages/licensee/coverage';
import { InvoicesPage } from './pages/licensee/invoices';
import { CertificatePage, LicencesPage } from './pages/licensee/licences';
import { UsagePage } from './pages/licensee/usage';
import { OperatorEntriesPage, OperatorHomePage, OperatorIncomePage, OperatorLicencesPage, OperatorPayoutsPage, OperatorWorksPage, PartiesPage } from './pages/operator/console';
import { OperatorClaimsPage } from './pages/operator/claims';
import { DistributionPage, DistributionsPage } from './pages/operator/distributions';
import { HomePage } from './pages/public/home';
import { LicenseeComplaintsPage, MemberComplaintsPage } from './pages/shared/complaints';
import { LedgerPage, ReceiptPage } from './pages/public/ledger';
import { LoginPage } from './pages/public/login';
import { RepertoirePage, WorkPage } from './pages/public/repertoire';
import { TariffPage, TariffsPage } from './pages/public/tariffs';
import { TransparencyPage } from './pages/public/transparency';
import { UnidentifiedPage } from './pages/public/unidentified';
import { VerifyFormPage, VerifyPage } from './pages/public/verify';
import { ComplaintPage, ComplaintsPage } from './pages/regulator/complaints';
import { RegulatorDashboardPage } from './pages/regulator/dashboard';
import { DeadlinesPage } from './pages/regulator/deadlines';
import { FigurePage } from './pages/regulator/figures';
import { AnnualReportPage } from './pages/regulator/report';

/** A page. */
export interface RouteDef {
  path: string;
  component: ComponentType<{ params: Record<string, string> }>;
  role?: SessionUser['role'];
}

/** The pages, first match wins. */
export const routes: RouteDef[] = [
  { path: '/', component: HomePage },
  { path: '/login', component: LoginPage },
  { path: '/tariffs', component: TariffsPage },
  { path: '/tariffs/:id', component: TariffPage },
  { path: '/repertoire', component: RepertoirePage },
  { path: '/works/:id', component: WorkPage },
  { path: '/verify', component: VerifyFormPage },
  { path: '/verify/:code', component: VerifyPage },
  { path: '/transparency', component: TransparencyPage },
  { path: '/unidentified', component: UnidentifiedPage },
  { path: '/ledger', component: LedgerPage },
  { path: '/receipts/:txId', component: ReceiptPage },

  { path: '/member', component: MemberOverviewPage, role: 'member' },
  { path: '/member/statements', component: StatementsPage, role: 'member' },
  { path: '/member/statements/:runId', component: StatementPage, role: 'member' },
  { path: '/member/payouts', component: PayoutsPage, role: 'member' },
  { path: '/member/works', component: MyWorksPage, role: 'member' },
  { path: '/member/claims', component: ClaimsPage, role: 'member' },
  { path: '/member/complaints', component: MemberComplaintsPage, role: 'member' },

  { path: '/licensee', component: LicencesPage, role: 'licensee' },
  { path: '/licensee/licences/:id/certificate', component: CertificatePage, role: 'licensee' },
  { path: '/licensee/invoices', component: InvoicesPage, role: 'licensee' },
  { path: '/licensee/usage', component: UsagePage, role: 'licensee' },
  { path: '/licensee/coverage', component: CoveragePage, role: 'licensee' },
  { path: '/licensee/complaints', component: LicenseeComplaintsPage, role: 'licensee' },

  { path: '/regulator', component: RegulatorDashboardPage, role: 'regulator' },
  { path: '/regulator/deadlines', component: DeadlinesPage, role: 'regulator' },
  { path: '/regulator/complaints', component: ComplaintsPage, role: 'regulator' },
  { path: '/regulator/complaints/:id', component: ComplaintPage, role: 'regulator' },
  { path: '/regulator/report', component: AnnualReportPage, role: 'regulator' },
  { path: '/regulator/figures/:figure', component: FigurePage, role: 'regulator' },

  { path: '/operator', component: OperatorHomePage, role: 'operator' },
  { path: '/operator/parties', component: PartiesPage, role: 'operator' },
  { path: '/operator/works', component: OperatorWorksPage, role: 'operator' },
  { path: '/operator/licences', component: OperatorLicencesPage, role: 'operator' },
  { path: '/operator/income', component: OperatorIncomePage, role: 'operator' },
  { path: '/operator/distributions', component: DistributionsPage, role: 'operator' },
  { path: '/operator/distributions/:id', component: DistributionPage, role: 'operator' },
  { path: '/operator/claims', component: OperatorClaimsPage, role: 'operator' },
  { path: '/operator/payouts', component: OperatorPayoutsPage, role: 'operator' },
  { path: '/operator/entries', component: OperatorEntriesPage, role: 'operator' },
];
