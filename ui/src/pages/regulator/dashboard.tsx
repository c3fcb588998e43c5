/**
 * The regulator's cross-collective dashboard: each collective's totals (each figure drills down to
 * its ledger transactions), fee-ratio trends, undistributed money and suspense by age.
 */
import { useState } from 'preact/hooks';
import { Chart } from '../../components/chart';
import { Badge, ErrorBox, Loading, Money, PageTitle, Percent } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { qs } from '../../lib/api';
import { chartValue } from '../../lib/format';
import { Link } from '../../lib/router';
import { useApi } from '../../lib/use-api';
import type { CollectiveSummary, Dashboard } from './types';

const BUCKETS = ['0-3', '3-6', '6-9', '9-12', '>12'];

/** A figure linked to the transactions behind it. */
function FigureLink({ figure, collective, value, currency }: { figure: string; collective: string; value: string; currency: string }) {
  return (
    <Link href={`/regulator/figures/${figure}${qs({ collective })}`}>
      <Money value={value} currency={currency} />
    </Link>
  );
}

/** `/regulator`. */
export function RegulatorDashboardPage() {
  const { t } = useI18n();
  const [asOf, setAsOf] = useState('');
  const collectives = useApi<{ items: CollectiveSummary[] }>('/api/regulator/collectives');
  const dash = useApi<Dashboard>(`/api/regulator/dashboard${qs({ asOf })}`);
  const d = dash.data;
  return (
    <section>
      <PageTitle title={t('regulator.title')} lead={t('regulator.lead')} />
      <ErrorBox error={collectives.error ?? dash.error} />
      <Loading when={collectives.loading || dash.loading} />
      {d && (d.deadlineSummary.late > 0 || d.deadlineSummary.due_soon > 0) && (
        <div class={`alert ${d.deadlineSummary.late > 0 ? 'alert-error' : 'alert-warn'}`} role="alert">
          {t('deadlines.alert', { late: d.deadlineSummary.late, soon: d.deadlineSummary.due_soon })} <Link href="/regulator/deadlines">{t('nav.regulator.deadlines')}</Link>
        </div>
      )}
      <div class="table-wrap">
        <table class="table">
          <caption>{t('regulator.collectives')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('common.collective')}</th>
              <th scope="col" class="r">
                {t('regulator.members')}
              </th>
              <th scope="col" class="r">
                {t('regulator.licensees')}
              </th>
              <th scope="col" class="r">
                {t('regulator.works')}
              </th>
              <th scope="col" class="r">
                {t('transparency.collected')}
              </th>
              <th scope="col" class="r">
                {t('transparency.distributed')}
              </th>
              <th scope="col" class="r">
                {t('common.fee')}
              </th>
              <th scope="col" class="r">
                {t('transparency.undistributed')}
              </th>
            </tr>
          </thead>
          <tbody>
            {collectives.data?.items.flatMap((c) =>
              (c.totals.length ? c.totals : [null]).map((tot) => (
                <tr key={`${c.id}-${tot?.currency ?? ''}`}>
                  <th scope="row">
                    {c.name} <span class="muted">({c.id})</span>
                  </th>
                  <td class="r">{c.members}</td>
                  <td class="r">{c.licensees}</td>
                  <td class="r">{c.works}</td>
                  {tot ? (
                    <>
                      <td class="r">
                        <FigureLink figure="collected" collective={c.id} value={tot.collected} currency={tot.currency} />
                      </td>
                      <td class="r">
                        <FigureLink figure="distributed" collective={c.id} value={tot.distributed} currency={tot.currency} />
                      </td>
                      <td class="r">
                        <FigureLink figure="fees" collective={c.id} value={tot.fees} currency={tot.currency} />
                      </td>
                      <td class="r">
                        <FigureLink figure="undistributed" collective={c.id} value={tot.undistributed} currency={tot.currency} />
                      </td>
                    </>
                  ) : (
                    <td colSpan={4}>—</td>
                  )}
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
      <label class="filter">
        {t('regulator.asOf')}
        <input type="date" value={asOf} onInput={(e) => setAsOf(e.currentTarget.value)} />
      </label>
      {d?.collectives.map((c) => (
        <section key={c.collectiveId} class="card">
          <h2>{c.name}</h2>
          <div class="grid2">
            <figure>
              <figcaption>
                <h3>{t('regulator.feeTrend')}</h3>
              </figcaption>
              {c.feeRatio.trend.length === 0 ? (
                <p class="muted">{t('transparency.noDistributions')}</p>
              ) : (
                <>
                  <Chart
                    label={t('regulator.feeTrend')}
                    height={220}
                    option={{
                      tooltip: { trigger: 'axis' },
                      legend: { top: 0 },
                      grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
                      xAxis: { type: 'category', data: [...new Set(c.feeRatio.trend.flatMap((s) => s.points.map((p) => p.period)))].sort() },
                      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
                      series: c.feeRatio.trend.map((s) => ({
                        name: `${enumLabel(t, 'use', s.useType)} (${enumLabel(t, 'right', s.rightType)})`,
                        type: 'line',
                        data: [...new Set(c.feeRatio.trend.flatMap((x) => x.points.map((p) => p.period)))].sort().map((period) => {
                          const p = s.points.find((x) => x.period === period);
                          return p?.ratio ? chartValue(p.ratio) * 100 : null;
                        }),
                      })),
                    }}
                  />
                  <table class="table compact">
                    <tbody>
                      {c.feeRatio.pools.map((p) => (
                        <tr key={`${p.rightType}${p.useType}${p.period}`}>
                          <th scope="row">
                            {enumLabel(t, 'use', p.useType)} · {p.period}
                          </th>
                          <td class="r">
                            <Percent ratio={p.ratio} />
                          </td>
                          <td class="r">
                            <Money value={p.managementFee} currency={p.currency} /> / <Money value={p.gross} currency={p.currency} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
            </figure>
            <figure>
              <figcaption>
                <h3>{t('regulator.aging')}</h3>
              </figcaption>
              <Chart
                label={t('regulator.aging')}
                height={220}
                option={{
                  tooltip: { trigger: 'axis' },
                  legend: { top: 0 },
                  grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
                  xAxis: { type: 'category', data: BUCKETS.map((b) => t('regulator.months', { range: b })) },
                  yAxis: { type: 'value' },
                  series: [
                    ...c.undistributedByAge.map((u) => ({ name: `${t('transparency.undistributed')} ${u.currency}`, type: 'bar', data: BUCKETS.map((b) => chartValue(u.buckets.find((x) => x.bucket === b)?.amount)) })),
                    ...c.suspenseByAge.map((u) => ({ name: `${t('common.suspense')} ${u.currency}`, type: 'bar', data: BUCKETS.map((b) => chartValue(u.buckets.find((x) => x.bucket === b)?.amount)) })),
                  ],
                }}
              />
              <table class="table compact">
                <thead>
                  <tr>
                    <th scope="col" />
                    {BUCKETS.map((b) => (
                      <th scope="col" class="r" key={b}>
                        {t('regulator.months', { range: b })}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {c.undistributedByAge.map((u) => (
                    <tr key={`u${u.currency}`}>
                      <th scope="row">{t('transparency.undistributed')}</th>
                      {BUCKETS.map((b) => (
                        <td class="r" key={b}>
                          <Money value={u.buckets.find((x) => x.bucket === b)?.amount ?? '0'} currency={u.currency} />
                        </td>
                      ))}
                    </tr>
                  ))}
                  {c.suspenseByAge.map((u) => (
                    <tr key={`s${u.currency}`}>
                      <th scope="row">
                        <Link href={`/regulator/figures/suspense${qs({ collective: c.collectiveId })}`}>{t('common.suspense')}</Link>
                      </th>
                      {BUCKETS.map((b) => (
                        <td class="r" key={b}>
                          <Money value={u.buckets.find((x) => x.bucket === b)?.amount ?? '0'} currency={u.currency} />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </figure>
          </div>
          <p>
            {t('deadlines.summaryFor', { n: c.deadlines.length })}{' '}
            {c.deadlines.some((x) => x.status === 'late') && <Badge tone="bad">{enumLabel(t, 'deadlineStatus', 'late')}</Badge>}
          </p>
        </section>
      ))}
    </section>
  );
}
