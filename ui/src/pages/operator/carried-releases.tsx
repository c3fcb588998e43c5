/**
 * The carried-forward balances a finished run released to its members' payable accounts (those
 * that had reached the run's payment threshold), each with its ledger transaction.
 */
import { Empty, ErrorBox, Loading, Money, More, TxLink } from '../../components/common';
import { useI18n } from '../../i18n';
import { usePagedApi } from '../../lib/use-api';

/** One release as the operator API shows it. */
interface CarriedRelease {
  memberId: string;
  memberName: string | null;
  amount: string;
  currency: string;
  threshold: string;
  status: 'planned' | 'released';
  receipt: { txId: string } | null;
}

/** The releases of run `runId`; nothing is fetched until `ready` (the run is done). */
export function CarriedReleases({ runId, ready }: { runId: string; ready: boolean }) {
  const { t } = useI18n();
  const releases = usePagedApi<CarriedRelease>(ready ? `/api/operator/distributions/${encodeURIComponent(runId)}/carried-releases?limit=50` : null);
  if (!ready) return null;
  return (
    <>
      <h2>{t('runs.carriedReleases')}</h2>
      <p class="small">{t('runs.carriedReleasesLead')}</p>
      <ErrorBox error={releases.error} />
      {releases.data && releases.data.length > 0 && (
        <div class="table-wrap">
          <table class="table" data-testid="carried-releases">
            <thead>
              <tr>
                <th scope="col">{t('role.member')}</th>
                <th scope="col" class="num">
                  {t('common.amount')}
                </th>
                <th scope="col" class="num">
                  {t('runs.threshold')}
                </th>
                <th scope="col">{t('common.receipt')}</th>
              </tr>
            </thead>
            <tbody>
              {releases.data.map((r) => (
                <tr key={r.memberId}>
                  <td>
                    {r.memberId}
                    {r.memberName ? ` · ${r.memberName}` : ''}
                  </td>
                  <td class="num">
                    <Money value={r.amount} currency={r.currency} />
                  </td>
                  <td class="num">
                    <Money value={r.threshold} currency={r.currency} />
                  </td>
                  <td>{r.receipt ? <TxLink txId={r.receipt.txId} /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Loading when={releases.loading} />
      <Empty when={!releases.loading && releases.data?.length === 0}>{t('runs.noCarriedReleases')}</Empty>
      <More more={releases.more} loading={releases.loading} />
    </>
  );
}
