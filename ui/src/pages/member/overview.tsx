/**
 * A member's earnings overview: balances (payable, carried forward, payout pending) and earnings
 * by period, right type and use type (from the statements' totals), with charts.
 */
import { Chart } from '../../components/chart';
import { Empty, ErrorBox, Loading, Money, PageTitle } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { chartValue, sumDecimals } from '../../lib/format';
import { Link } from '../../lib/router';
import { useApi, usePagedApi } from '../../lib/use-api';
import type { MemberBalance, StatementRun } from './types';

/** Net earnings grouped by a key, per currency, summed exactly. */
export function groupNet(runs: StatementRun[], key: (r: StatementRun) => string): { key: string; currency: string; net: string; fee: string; deductions: string }[] {
  const groups = new Map<string, StatementRun[]>();
  for (const r of runs) {
    const k = `${key(r)}\u0000${r.currency}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.entries()]
    .map(([k, rs]) => ({
      key: k.split('\u0000')[0]!,
      currency: rs[0]!.currency,
      net: sumDecimals(rs.map((r) => r.net)),
      fee: sumDecimals(rs.map((r) => r.fee)),
      deductions: sumDecimals(rs.map((r) => r.deductions)),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

function Breakdown({ title, rows, label }: { title: string; rows: ReturnType<typeof groupNet>; label: (k: string) => string }) {
  const { t } = useI18n();
  return (
    <figure class="card">
      <figcaption>
        <h2>{title}</h2>
      </figcaption>
      <Chart
        label={title}
        height={220}
        option={{
          tooltip: { trigger: 'axis' },
          grid: { left: 8, right: 8, bottom: 8, top: 16, containLabel: true },
          xAxis: { type: 'category', data: rows.map((r) => label(r.key)) },
          yAxis: { type: 'value' },
          series: [{ name: t('common.net'), type: 'bar', data: rows.map((r) => chartValue(r.net)) }],
        }}
      />
      <table class="table compact">
        <tbody>
          {rows.map((r) => (
            <tr key={r.key + r.currency}>
              <th scope="row">{label(r.key)}</th>
              <td class="r">
                <Money value={r.net} currency={r.currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** `/member`. */
export function MemberOverviewPage() {
  const { t } = useI18n();
  const balance = useApi<MemberBalance>('/api/member/balance');
  const runs = usePagedApi<StatementRun>('/api/member/statements?limit=200');
  const all = runs.data ?? [];
  return (
    <section>
      <PageTitle title={t('member.overview.title')} lead={t('member.overview.lead')} />
      <ErrorBox error={balance.error ?? runs.error} />
      <Loading when={balance.loading || runs.loading} />
      {balance.data && (
        <div class="stats">
          {balance.data.balances.length === 0 && <p class="muted">{t('member.noBalance')}</p>}
          {balance.data.balances.map((b) => (
            <div class="stat-group" key={b.currency}>
              <div class="stat card">
                <div class="stat-label">{t('member.payable')}</div>
                <div class="stat-value" data-testid="payable">
                  <Money value={b.payable} currency={b.currency} />
                </div>
              </div>
              <div class="stat card">
                <div class="stat-label">{t('member.carried')}</div>
                <div class="stat-value">
                  <Money value={b.carriedForward} currency={b.currency} />
                </div>
              </div>
              <div class="stat card">
                <div class="stat-label">{t('member.payoutPending')}</div>
                <div class="stat-value">
                  <Money value={b.payoutPending} currency={b.currency} />
                </div>
              </div>
            </div>
          ))}
        </div>
      )}
      <Empty when={!runs.loading && all.length === 0}>{t('statements.none')}</Empty>
      {all.length > 0 && (
        <div class="grid2">
          <Breakdown title={t('member.byPeriod')} rows={groupNet(all, (r) => r.pool.period)} label={(k) => k} />
          <Breakdown title={t('member.byRight')} rows={groupNet(all, (r) => r.pool.rightType)} label={(k) => enumLabel(t, 'right', k)} />
          <Breakdown title={t('member.byUse')} rows={groupNet(all, (r) => r.pool.useType)} label={(k) => enumLabel(t, 'use', k)} />
          <Breakdown title={t('member.byCollective')} rows={groupNet(all, (r) => r.collectiveId)} label={(k) => k} />
        </div>
      )}
      <p>
        <Link href="/member/statements">{t('member.seeStatements')}</Link>
      </p>
    </section>
  );
}
