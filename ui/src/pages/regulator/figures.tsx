/** Drill-down from a dashboard figure to the ledger transactions behind it, each with its receipt. */
import { DateText, ErrorBox, Loading, Money, More, PageTitle, TxLink } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { api, qs } from '../../lib/api';
import { useLocation } from '../../lib/router';
import { usePagedApi } from '../../lib/use-api';
import { useEffect, useState } from 'preact/hooks';
import type { FigurePosting } from './types';

/** `/regulator/figures/:figure?collective=&pool=`. */
export function FigurePage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const { query } = useLocation();
  const figure = params.figure ?? '';
  const collective = query.get('collective') ?? '';
  const pool = query.get('pool') ?? '';
  const path = `/api/regulator/figures/${encodeURIComponent(figure)}/transactions${qs({ collective, pool, limit: 50 })}`;
  const list = usePagedApi<FigurePosting>(path);
  const [head, setHead] = useState<{ description: string; total: { currency: string; amount: string }[] }>();
  useEffect(() => {
    api<{ description: string; total: { currency: string; amount: string }[] }>(`${path}&limit=1`).then(setHead, () => setHead(undefined));
  }, [path]);
  return (
    <section>
      <PageTitle title={t('figures.title', { figure: enumLabel(t, 'figure', figure) })} lead={[collective, pool].filter(Boolean).join(' · ')} />
      {head && (
        <p>
          {head.description} —{' '}
          {head.total.map((x) => (
            <strong key={x.currency}>
              <Money value={x.amount} currency={x.currency} />{' '}
            </strong>
          ))}
        </p>
      )}
      <ErrorBox error={list.error} />
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('figures.when')}</th>
              <th scope="col">{t('figures.kind')}</th>
              <th scope="col">{t('figures.account')}</th>
              <th scope="col" class="r">
                {t('figures.contribution')}
              </th>
              <th scope="col">{t('receipt.block')}</th>
              <th scope="col">{t('common.receipt')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.map((p, i) => (
              <tr key={`${p.entryId}-${i}`}>
                <td>
                  <DateText value={p.at} />
                </td>
                <td>
                  {p.kind}
                  {p.ref ? <span class="muted small"> {p.ref}</span> : null}
                </td>
                <td class="mono small">{p.account}</td>
                <td class="r">
                  <Money value={p.contribution} currency={p.currency} />
                </td>
                <td>{p.receipt.blockNumber ?? '—'}</td>
                <td>
                  <TxLink txId={p.receipt.txId} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Loading when={list.loading} />
      <More more={list.more} loading={list.loading} />
    </section>
  );
}
