/**
 * Small building blocks shared by every page: money and numbers formatted per locale from decimal
 * strings, error and loading states, status badges, and the "load more" button of paginated lists.
 */
import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n';
import { ApiError } from '../lib/api';
import { formatCount, formatDate, formatDecimal, formatMoney, formatRatioAsPercent } from '../lib/format';
import { Link } from '../lib/router';

/** A money amount (decimal string) in its currency, formatted per locale. */
export function Money({ value, currency }: { value: string | null | undefined; currency: string }) {
  const { lang } = useI18n();
  return <span class="num">{formatMoney(value, currency, lang)}</span>;
}

/** A decimal number, grouped per locale, every digit kept. */
export function Num({ value }: { value: string | number | null | undefined }) {
  const { lang } = useI18n();
  return <span class="num">{typeof value === 'number' ? formatCount(value, lang) : formatDecimal(value, lang)}</span>;
}

/** A ratio (decimal string) shown as a percentage. */
export function Percent({ ratio }: { ratio: string | null | undefined }) {
  const { lang } = useI18n();
  return <span class="num">{formatRatioAsPercent(ratio, lang)}</span>;
}

/** A date or timestamp per locale. */
export function DateText({ value }: { value: string | null | undefined }) {
  const { lang } = useI18n();
  return <time dateTime={value ?? undefined}>{formatDate(value, lang)}</time>;
}

/** An error from the API, with its stable code and the offending field. */
export function ErrorBox({ error }: { error: Error | undefined | null }) {
  const { t } = useI18n();
  if (!error) return null;
  const api = error instanceof ApiError ? error : undefined;
  return (
    <div class="alert alert-error" role="alert">
      <strong>{api?.status === 404 ? t('error.notFound') : api?.status === 403 ? t('error.forbidden') : t('error.title')}</strong>{' '}
      <span>{error.message}</span>
      {api && (
        <span class="muted">
          {' '}
          ({api.code}
          {api.field ? ` · ${t('error.field')}: ${api.field}` : ''})
        </span>
      )}
    </div>
  );
}

/** A loading indicator announced to screen readers. */
export function Loading({ when }: { when: boolean }) {
  const { t } = useI18n();
  return when ? (
    <p class="muted" role="status" aria-live="polite">
      {t('common.loading')}
    </p>
  ) : null;
}

/** A coloured badge for a status word; the word itself stays readable without colour. */
export function Badge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'info' | 'neutral'; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

/** "Load more" for keyset-paginated lists. */
export function More({ more, loading }: { more: (() => void) | null; loading: boolean }) {
  const { t } = useI18n();
  if (!more) return null;
  return (
    <p>
      <button type="button" class="btn btn-secondary" onClick={more} disabled={loading}>
        {t('common.loadMore')}
      </button>
    </p>
  );
}

/** An empty-list message. */
export function Empty({ when, children }: { when: boolean; children: ComponentChildren }) {
  return when ? <p class="muted empty">{children}</p> : null;
}

/** A link to a transaction's public receipt page. */
export function TxLink({ txId }: { txId: string | null | undefined }) {
  if (!txId) return <span>—</span>;
  return (
    <Link href={`/receipts/${encodeURIComponent(txId)}`} class="mono">
      {txId.slice(0, 12)}…
    </Link>
  );
}

/** A page heading with an optional lead paragraph. */
export function PageTitle({ title, lead, children }: { title: string; lead?: string; children?: ComponentChildren }) {
  return (
    <header class="page-head">
      <h1 id="page-title" tabIndex={-1}>
        {title}
      </h1>
      {lead && <p class="lead">{lead}</p>}
      {children}
    </header>
  );
}
