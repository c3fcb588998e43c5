/** The public home page: what the portal offers, and the chain's status at a glance. */
import { Badge, Num, PageTitle } from '../../components/common';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/en';
import { Link } from '../../lib/router';
import { useApi } from '../../lib/use-api';
import type { ChainStatus } from './types';

const CARDS: { href: string; title: MessageKey; text: MessageKey }[] = [
  { href: '/tariffs', title: 'nav.tariffs', text: 'home.tariffs' },
  { href: '/repertoire', title: 'nav.repertoire', text: 'home.repertoire' },
  { href: '/verify', title: 'nav.verify', text: 'home.verify' },
  { href: '/transparency', title: 'nav.transparency', text: 'home.transparency' },
  { href: '/unidentified', title: 'nav.unidentified', text: 'home.unidentified' },
  { href: '/ledger', title: 'nav.ledger', text: 'home.ledger' },
];

/** The home page. */
export function HomePage() {
  const { t } = useI18n();
  const chain = useApi<ChainStatus>('/api/public/chain');
  return (
    <section>
      <PageTitle title={t('home.title')} lead={t('home.lead')} />
      {chain.data && (
        <p>
          {t('ledger.height')}: <Num value={chain.data.height} />{' '}
          {chain.data.verification?.ok ? <Badge tone="ok">{t('ledger.chainOk')}</Badge> : chain.data.verification ? <Badge tone="bad">{t('ledger.chainBad')}</Badge> : null}
        </p>
      )}
      <ul class="cards">
        {CARDS.map((c) => (
          <li key={c.href} class="card">
            <h2>
              <Link href={c.href}>{t(c.title)}</Link>
            </h2>
            <p>{t(c.text)}</p>
          </li>
        ))}
      </ul>
      <p>
        <Link href="/login">{t('home.signInHint')}</Link>
      </p>
    </section>
  );
}
