/** The ledger page: the chain's height, head hash and verification, recent blocks with their transactions, and one transaction's receipt. */
import { Badge, DateText, ErrorBox, Loading, More, Num, PageTitle } from '../../components/common';
import { useI18n } from '../../i18n';
import { Link } from '../../lib/router';
import { useApi, usePagedApi } from '../../lib/use-api';
import type { Block, ChainStatus, Receipt } from './types';
import { ReceiptView } from './verify';

/** `/ledger`. */
export function LedgerPage() {
  const { t } = useI18n();
  const chain = useApi<ChainStatus>('/api/public/chain');
  const blocks = usePagedApi<Block>('/api/public/chain/blocks?limit=10');
  const c = chain.data;
  return (
    <section>
      <PageTitle title={t('ledger.title')} lead={t('ledger.lead')} />
      <ErrorBox error={chain.error ?? blocks.error} />
      {c && (
        <div class="card">
          <dl class="dl">
            <dt>{t('ledger.height')}</dt>
            <dd>
              <Num value={c.height} />
            </dd>
            <dt>{t('ledger.head')}</dt>
            <dd class="mono break">{c.headHash}</dd>
            <dt>{t('ledger.verification')}</dt>
            <dd>
              {c.verification ? (
                c.verification.ok ? (
                  <Badge tone="ok">{t('ledger.chainOk')}</Badge>
                ) : (
                  <Badge tone="bad">
                    {t('ledger.chainBad')} {c.verification.firstBadBlock ? t('ledger.firstBad', { block: c.verification.firstBadBlock }) : ''}
                  </Badge>
                )
              ) : (
                t('ledger.notVerifiable')
              )}{' '}
              {c.verification && (
                <span class="muted small">
                  ({t('ledger.checked', { height: c.verification.checkedHeight })}, <DateText value={c.verification.checkedAt} />)
                </span>
              )}
            </dd>
          </dl>
        </div>
      )}
      <h2>{t('ledger.recentBlocks')}</h2>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('receipt.block')}</th>
              <th scope="col">{t('receipt.blockHash')}</th>
              <th scope="col">{t('ledger.transactions')}</th>
            </tr>
          </thead>
          <tbody>
            {blocks.data?.map((b) => (
              <tr key={b.number}>
                <td>{b.number}</td>
                <td class="mono">{b.hash ? `${b.hash.slice(0, 16)}…` : '—'}</td>
                <td>
                  <ul class="plain">
                    {b.transactions.map((x) => (
                      <li key={x.txId}>
                        <Link href={`/receipts/${x.txId}`} class="mono">
                          {x.txId.slice(0, 12)}…
                        </Link>{' '}
                        {x.fn} {x.mspId ? <span class="muted">({x.mspId})</span> : null} {x.validationCode !== 'VALID' && <Badge tone="bad">{x.validationCode}</Badge>}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Loading when={blocks.loading} />
      <More more={blocks.more} loading={blocks.loading} />
    </section>
  );
}

/** `/receipts/:txId`. */
export function ReceiptPage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const r = useApi<Receipt>(`/api/public/receipts/${encodeURIComponent(params.txId ?? '')}`);
  return (
    <section>
      <PageTitle title={t('receipt.title')} lead={t('receipt.lead')} />
      <ErrorBox error={r.error} />
      <Loading when={r.loading} />
      {r.data && (
        <div class="card">
          <ReceiptView receipt={r.data} />
          {r.data.fn && (
            <p>
              {t('receipt.fn')}: <span class="mono">{r.data.fn}</span> · {t('receipt.changes', { n: r.data.changeCount ?? 0 })}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
