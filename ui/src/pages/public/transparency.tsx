/**
 * The transparency dashboard: collections and distributions per period, the management-fee ratio
 * per pool, and undistributed money by age — charts drawn from the API's exact figures, with the
 * same figures in tables.
 */
import { useState } from 'preact/hooks';
import { Chart } from '../../components/chart';
import { ErrorBox, Loading, Money, PageTitle, Percent } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { qs } from '../../lib/api';
import { chartValue, sumDecimals } from '../../lib/format';
import { useApi } from '../../lib/use-api';
import type { PoolFigures, UndistributedByAge } from './types';

/** Sums pool figures per period (one currency), exactly. */
export function byPeriod(items: PoolFigures[], currency: string) {
  const periods = [...new Set(items.filter((p) => p.currency === currency).map((p) => p.period))].sort();
  return periods.map((period) => {
    const rows = items.filter((p) => p.period === period && p.currency === currency);
    return { period, collected: sumDecimals(rows.map((r) => r.collected)), distributed: sumDecimals(rows.map((r) => r.distributed)) };
  });
}

const AGES = ['not_ended', '0-3m', '3-6m', '6-9m', '9-12m', 'over-12m'];

/** The dashboard. */
export function TransparencyPage() {
  const { t } = useI18n();
  const [collective, setCollective] = useState('');
  const pools = useApi<{ items: PoolFigures[] }>(`/api/public/transparency/pools${qs({ collective })}`);
  const ages = useApi<UndistributedByAge>(`/api/public/transparency/undistributed-by-age${qs({ collective })}`);
  const items = pools.data?.items ?? [];
  const currency = items[0]?.currency ?? 'CNY';
  const periods = byPeriod(items, currency);
  const withRatio = items.filter((p) => p.managementFeeRatio !== null);
  return (
    <section>
      <PageTitle title={t('transparency.title')} lead={t('transparency.lead')} />
      <label class="filter">
        {t('common.collective')}
        <select value={collective} onChange={(e) => setCollective(e.currentTarget.value)}>
          <option value="">{t('common.all')}</option>
          <option value="MCSC">MCSC</option>
          <option value="CAVCA">CAVCA</option>
        </select>
      </label>
      <ErrorBox error={pools.error ?? ages.error} />
      <Loading when={pools.loading} />
      <div class="grid2">
        <figure class="card">
          <figcaption>
            <h2>{t('transparency.perPeriod')}</h2>
          </figcaption>
          <Chart
            label={t('transparency.perPeriod')}
            option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0 },
              grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
              xAxis: { type: 'category', data: periods.map((p) => p.period) },
              yAxis: { type: 'value' },
              series: [
                { name: t('transparency.collected'), type: 'bar', data: periods.map((p) => chartValue(p.collected)) },
                { name: t('transparency.distributed'), type: 'bar', data: periods.map((p) => chartValue(p.distributed)) },
              ],
            }}
          />
          <table class="table compact">
            <thead>
              <tr>
                <th scope="col">{t('common.period')}</th>
                <th scope="col" class="r">
                  {t('transparency.collected')}
                </th>
                <th scope="col" class="r">
                  {t('transparency.distributed')}
                </th>
              </tr>
            </thead>
            <tbody>
              {periods.map((p) => (
                <tr key={p.period}>
                  <td>{p.period}</td>
                  <td class="r">
                    <Money value={p.collected} currency={currency} />
                  </td>
                  <td class="r">
                    <Money value={p.distributed} currency={currency} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </figure>
        <figure class="card">
          <figcaption>
            <h2>{t('transparency.feeRatio')}</h2>
          </figcaption>
          {withRatio.length === 0 ? (
            <p class="muted">{t('transparency.noDistributions')}</p>
          ) : (
            <Chart
              label={t('transparency.feeRatio')}
              option={{
                tooltip: { trigger: 'axis' },
                grid: { left: 8, right: 8, bottom: 8, top: 16, containLabel: true },
                xAxis: { type: 'category', data: withRatio.map((p) => `${p.collectiveId} ${enumLabel(t, 'use', p.useType)} ${p.period}`), axisLabel: { rotate: 30 } },
                yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
                series: [{ name: t('transparency.feeRatio'), type: 'bar', data: withRatio.map((p) => chartValue(p.managementFeeRatio) * 100) }],
              }}
            />
          )}
        </figure>
        <figure class="card">
          <figcaption>
            <h2>{t('transparency.byAge')}</h2>
          </figcaption>
          {ages.data && (
            <>
              <Chart
                label={t('transparency.byAge')}
                option={{
                  tooltip: { trigger: 'axis' },
                  legend: { top: 0 },
                  grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
                  xAxis: { type: 'category', data: AGES.map((a) => enumLabel(t, 'age', a)), axisLabel: { interval: 0, rotate: 30 } },
                  yAxis: { type: 'value' },
                  series: ages.data.items.map((c) => ({
                    name: `${c.collectiveId} ${c.currency}`,
                    type: 'bar',
                    stack: 'age',
                    data: AGES.map((a) => chartValue(c.buckets.find((b) => b.age === a)?.total)),
                  })),
                }}
              />
              <table class="table compact">
                <thead>
                  <tr>
                    <th scope="col">{t('common.collective')}</th>
                    {AGES.map((a) => (
                      <th scope="col" class="r" key={a}>
                        {enumLabel(t, 'age', a)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {ages.data.items.map((c) => (
                    <tr key={c.collectiveId + c.currency}>
                      <th scope="row">{c.collectiveId}</th>
                      {AGES.map((a) => (
                        <td class="r" key={a}>
                          <Money value={c.buckets.find((b) => b.age === a)?.total ?? '0'} currency={c.currency} />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </figure>
      </div>
      <h2>{t('transparency.pools')}</h2>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('common.collective')}</th>
              <th scope="col">{t('common.pool')}</th>
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
                {t('transparency.feeRatio')}
              </th>
              <th scope="col" class="r">
                {t('common.deductions')}
              </th>
              <th scope="col" class="r">
                {t('common.suspense')}
              </th>
              <th scope="col" class="r">
                {t('transparency.undistributed')}
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={`${p.collectiveId}:${p.rightType}:${p.useType}:${p.period}:${p.currency}`}>
                <td>{p.collectiveId}</td>
                <td>
                  {enumLabel(t, 'right', p.rightType)} · {enumLabel(t, 'use', p.useType)} · {p.period}
                </td>
                <td class="r">
                  <Money value={p.collected} currency={p.currency} />
                </td>
                <td class="r">
                  <Money value={p.distributed} currency={p.currency} />
                </td>
                <td class="r">
                  <Money value={p.managementFee} currency={p.currency} />
                </td>
                <td class="r">
                  <Percent ratio={p.managementFeeRatio} />
                </td>
                <td class="r">
                  <Money value={p.deductions} currency={p.currency} />
                </td>
                <td class="r">
                  <Money value={p.suspense} currency={p.currency} />
                </td>
                <td class="r">
                  <Money value={p.undistributed} currency={p.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="small">
        {t('transparency.openData')}: <a href="/api/public/open-data/pool-figures.csv">CSV</a> · <a href="/api/public/open-data/pool-figures.json">JSON</a> · <a href="/api/public/open-data/repertoire.csv">{t('nav.repertoire')} CSV</a> ·{' '}
        <a href="/api/public/open-data/tariffs.json">{t('nav.tariffs')} JSON</a>
      </p>
    </section>
  );
}
