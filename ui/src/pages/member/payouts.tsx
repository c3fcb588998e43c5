/** A member's payouts, pending amounts and every movement on its accounts with its ledger transaction. */
import { Badge, DateText, Empty, ErrorBox, Loading, Money, More, PageTitle, TxLink } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { useApi, usePagedApi } from '../../lib/use-api';
import type { MemberBalance, MemberMovement, MemberPayout } from './types';

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
      <Movements />
    </section>
  );
}

/** Movements on the member's accounts, newest first (`GET /api/member/transactions`). */
function Movements() {
  const { t } = useI18n();
  const moves = usePagedApi<MemberMovement>('/api/member/transactions?limit=50');
  return (
    <>
      <h2>{t('movements.title')}</h2>
      <p class="lead">{t('movements.lead')}</p>
      <ErrorBox error={moves.error} />
      <div class="table-wrap">
        <table class="table" data-testid="movements">
          <thead>
            <tr>
              <th scope="col">{t('movements.date')}</th>
              <th scope="col">{t('movements.account')}</th>
              <th scope="col">{t('movements.kind')}</th>
              <th scope="col" class="r">
                {t('common.amount')}
              </th>
              <th scope="col">{t('common.receipt')}</th>
            </tr>
          </thead>
          <tbody>
            {moves.data?.map((m) => (
              <tr key={`${m.entryId}:${m.account}`}>
                <td>
                  <DateText value={m.at} />
                </td>
                <td>{enumLabel(t, 'movementAccount', m.account)}</td>
                <td>
                  {enumLabel(t, 'movementKind', m.kind)}
                  {m.release && <span class="muted"> — {t('movements.released', { runId: m.release.runId, threshold: m.release.threshold })}</span>}
                </td>
                <td class="r">
                  <Money value={m.amount} currency={m.currency} />
                </td>
                <td>
                  <TxLink txId={m.receipt.txId} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Loading when={moves.loading} />
      <Empty when={!moves.loading && moves.data?.length === 0}>{t('movements.none')}</Empty>
      <More more={moves.more} loading={moves.loading} />
    </>
  );
}
