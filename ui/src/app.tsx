/**
 * The app: header with role-based navigation and the language switch, and the page for the
 * current path. Pages of a signed-in area need the matching role; anyone else is sent to sign in.
 */
import type { ComponentType } from 'preact';
import { useEffect } from 'preact/hooks';
import { useI18n, LANGUAGES, type Lang } from './i18n';
import type { MessageKey } from './i18n/en';
import { useAuth } from './lib/auth';
import { Link, matchPath, navigate, useLocation } from './lib/router';
import type { SessionUser } from './lib/session';
import { routes, type RouteDef } from './routes';

interface NavItem {
  href: string;
  label: MessageKey;
}

const PUBLIC_NAV: NavItem[] = [
  { href: '/tariffs', label: 'nav.tariffs' },
  { href: '/repertoire', label: 'nav.repertoire' },
  { href: '/verify', label: 'nav.verify' },
  { href: '/transparency', label: 'nav.transparency' },
  { href: '/unidentified', label: 'nav.unidentified' },
  { href: '/ledger', label: 'nav.ledger' },
];

const ROLE_NAV: Record<SessionUser['role'], NavItem[]> = {
  member: [
    { href: '/member', label: 'nav.member.overview' },
    { href: '/member/statements', label: 'nav.member.statements' },
    { href: '/member/payouts', label: 'nav.member.payouts' },
    { href: '/member/works', label: 'nav.member.works' },
    { href: '/member/claims', label: 'nav.member.claims' },
    { href: '/member/complaints', label: 'nav.member.complaints' },
  ],
  licensee: [
    { href: '/licensee', label: 'nav.licensee.licences' },
    { href: '/licensee/invoices', label: 'nav.licensee.invoices' },
    { href: '/licensee/usage', label: 'nav.licensee.usage' },
    { href: '/licensee/coverage', label: 'nav.licensee.coverage' },
    { href: '/licensee/complaints', label: 'nav.licensee.complaints' },
  ],
  regulator: [
    { href: '/regulator', label: 'nav.regulator.dashboard' },
    { href: '/regulator/deadlines', label: 'nav.regulator.deadlines' },
    { href: '/regulator/complaints', label: 'nav.regulator.complaints' },
    { href: '/regulator/report', label: 'nav.regulator.report' },
  ],
  operator: [
    { href: '/operator', label: 'nav.operator.overview' },
    { href: '/operator/parties', label: 'nav.operator.parties' },
    { href: '/operator/works', label: 'nav.operator.works' },
    { href: '/operator/licences', label: 'nav.operator.licences' },
    { href: '/operator/income', label: 'nav.operator.income' },
    { href: '/operator/distributions', label: 'nav.operator.distributions' },
    { href: '/operator/claims', label: 'nav.operator.claims' },
    { href: '/operator/payouts', label: 'nav.operator.payouts' },
    { href: '/operator/entries', label: 'nav.operator.entries' },
  ],
};

function isActive(href: string, path: string): boolean {
  if (href === path) return true;
  // An area's home matches only itself; other items also match their sub-pages.
  const areaHome = ['/member', '/licensee', '/regulator', '/operator'].includes(href);
  return !areaHome && path.startsWith(`${href}/`);
}

function Nav({ items, label }: { items: NavItem[]; label: string }) {
  const { t } = useI18n();
  const { path } = useLocation();
  return (
    <nav aria-label={label}>
      <ul class="nav">
        {items.map((i) => (
          <li key={i.href}>
            <Link href={i.href} aria-current={isActive(i.href, path) ? 'page' : undefined}>
              {t(i.label)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Header() {
  const { t, lang, setLang } = useI18n();
  const { session, signOut } = useAuth();
  return (
    <header class="site-header">
      <div class="bar">
        <Link href="/" class="brand">
          {t('app.title')}
        </Link>
        <div class="bar-right">
          <label class="lang">
            <span class="sr-only">{t('common.language')}</span>
            <select value={lang} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)} data-testid="lang-select">
              {LANGUAGES.map((l) => (
                <option key={l.code} value={l.code}>
                  {l.label}
                </option>
              ))}
            </select>
          </label>
          {session ? (
            <>
              <span class="who" title={session.user.username}>
                {session.user.displayName ?? session.user.username} · {t(`role.${session.user.role}`)}
              </span>
              <button
                type="button"
                class="btn btn-small"
                onClick={() => {
                  void signOut().then(() => navigate('/'));
                }}
              >
                {t('auth.signOut')}
              </button>
            </>
          ) : (
            <Link href="/login" class="btn btn-small">
              {t('auth.signIn')}
            </Link>
          )}
        </div>
      </div>
      <Nav items={PUBLIC_NAV} label={t('nav.public')} />
      {session && <Nav items={ROLE_NAV[session.user.role]} label={t(`nav.area.${session.user.role}`)} />}
    </header>
  );
}

function findRoute(path: string): { route: RouteDef; params: Record<string, string> } | null {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <section>
      <h1 id="page-title" tabIndex={-1}>
        {t('error.pageNotFound')}
      </h1>
      <p>
        <Link href="/">{t('nav.home')}</Link>
      </p>
    </section>
  );
}

/** The whole app. */
export function App() {
  const { t } = useI18n();
  const { session } = useAuth();
  const { path } = useLocation();
  const found = findRoute(path);
  const needsRole = found?.route.role;
  const allowed = !needsRole || session?.user.role === needsRole;

  useEffect(() => {
    if (needsRole && !allowed) navigate(`/login?next=${encodeURIComponent(path + window.location.search)}`, true);
  }, [needsRole, allowed, path]);

  // Move focus to the new page's heading so keyboard and screen-reader users land on it.
  useEffect(() => {
    const h = document.getElementById('page-title');
    if (h && document.activeElement === document.body) h.focus({ preventScroll: true });
  }, [path]);

  const Page: ComponentType<{ params: Record<string, string> }> = found && allowed ? found.route.component : NotFound;
  return (
    <>
      <a class="skip" href="#main">
        {t('common.skipToContent')}
      </a>
      <Header />
      <main id="main" class="container">
        {found && !allowed ? null : <Page params={found?.params ?? {}} />}
      </main>
      <footer class="site-footer container">
        <p class="muted">
          {t('footer.text')} · <a href="/docs">{t('footer.api')}</a>
        </p>
      </footer>
    </>
  );
}
