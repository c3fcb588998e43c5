/** A member's payouts and pending amounts. */
import { Badge, DateText, Empty, ErrorBox, Loading, Money, More, PageTitle, TxLink } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { useApi, usePagedApi } from '../../lib/use-api';
import type { MemberBalance, MemberPayout } from './types';

const TONE = { pending: 'info', paid: 'ok', voided: 'bad' } as const;

/** `/member/payouts`. */
export function PayoutsPage() {
  const { t } = useI18n();
  const balance = useApi<MemberBalance>('/api/member/balance');
  const payouts = usePagedApi<MemberPayout>('/api/member/payouts?limit=50');
  return (
    <section>
      <PageTitle title={t('payouts.title')} lead={t('payouts.lead')} />
      <ErrorBox error={balance.error ?? payouts.error} />
      {balance.data?.balances.map((b) => (
        <p key={b.currency}>
          {t('member.payable')}: <Money value={b.payable} currency={b.currency} /> · {t('member.payoutPending')}: <Money value={b.payoutPending} currency={b.currency} /> · {t('member.carried')}:{' '}
          <Money value={b.carriedForward} currency={b.currency} />
        </p>
      ))}
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('common.id')}</th>
              <th scope="col">{t('payouts.requested')}</th>
              <th scope="col" class="r">
                {t('common.amount')}
              </th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col">{t('payouts.bankReference')}</th>
              <th scope="col">{t('common.receipt')}</th>
            </tr>
          </thead>
          <tbody>
            {payouts.data?.map((p) => (
              <tr key={p.id}>
                <td class="mono">{p.id}</td>
                <td>
                  <DateText value={p.requestedAt} />
                </td>
                <td class="r">
                  <Money value={p.amount} currency={p.currency} />
                </td>
                <td>
                  <Badge tone={TONE[p.status]}>{enumLabel(t, 'payoutStatus', p.status)}</Badge>
                </td>
                <td>{p.bankReference ?? p.reasonCode ?? '—'}</td>
                <td>
                  <TxLink txId={p.completionTxId ?? p.requestTxId} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Loading when={payouts.loading} />
      <Empty when={!payouts.loading && payouts.data?.length === 0}>{t('payouts.none')}</Empty>
      <More more={payouts.more} loading={payouts.loading} />
    </section>
  );
}
