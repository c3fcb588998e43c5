/**
 * The transparency figures of income pools, computed in SQL `numeric` from the read model:
 * postings on `pool:` and `suspense:` accounts (named `<kind>:<collective>:<right>:<use>:<period>`)
 * and the anchored distribution runs. Shared by the transparency routes and the open-data download.
 *
 * Per pool and currency:
 * - collected: what came into the pool — payments of invoices and direct income, net of their
 *   reversals and adjustments (every pool movement except distribution openings);
 * - distributionGross: what distribution runs took out of the pool;
 * - managementFee, deductions: taken by those runs;
 * - distributed: credited to members by those runs (allocated + carried forward below the threshold),
 *   from the runs' anchored totals; a later release of carried-forward money to payable moves it
 *   between a member's own accounts and leaves this figure unchanged;
 * - suspense: what the pool's suspense account still holds (unmatched usage, unclaimed shares), net
 *   of releases to accepted claims;
 * - managementFeeRatio: managementFee / distributionGross, rounded half away from zero to 4
 *   decimals in `numeric`; null before any run;
 * - undistributed: what the pool still holds.
 */
import type postgres from 'postgres';
import { z } from '@hono/zod-openapi';
import { MoneyString } from '../../openapi';
import { moneyText } from './common';

/** Figures of one pool in one currency. */
export const PoolFigures = z
  .object({
    collectiveId: z.string(),
    rightType: z.string(),
    useType: z.string(),
    period: z.string(),
    currency: z.string(),
    collected: MoneyString,
    distributionGross: MoneyString,
    distributed: MoneyString,
    managementFee: MoneyString,
    deductions: MoneyString,
    suspense: MoneyString,
    managementFeeRatio: z.string().nullable().openapi({ example: '0.1500', description: 'managementFee / distributionGross, 4 decimals; null before any distribution' }),
    undistributed: MoneyString,
    distributionRuns: z.number().int(),
  })
  .openapi('PoolFigures');

/** Filters of the pool figures. */
export interface PoolFilter {
  collective?: string;
  period?: string;
}

interface PoolRow {
  collective_id: string;
  right_type: string;
  use_type: string;
  period: string;
  currency: string;
  collected: string | null;
  undistributed: string | null;
  suspense: string | null;
  gross: string | null;
  fee: string | null;
  deductions: string | null;
  distributed: string | null;
  ratio: string | null;
  runs: number;
}

/** Pool figures ordered by collective, period, right type, use type and currency. */
export async function poolFigures(sql: postgres.Sql, f: PoolFilter): Promise<Array<z.infer<typeof PoolFigures>>> {
  const rows = await sql<PoolRow[]>`
    with moves as (
      select p.collective_id, p.currency, p.account_kind as kind, p.entry_kind, p.amount,
             split_part(p.account, ':', 3) as right_type, split_part(p.account, ':', 4) as use_type, split_part(p.account, ':', 5) as period
      from rm.postings p
      where p.account_kind in ('pool', 'suspense')
        ${f.collective ? sql`and p.collective_id = ${f.collective}` : sql``}
    ), balances as (
      select collective_id, right_type, use_type, period, currency,
             -sum(amount) filter (where kind = 'pool' and entry_kind <> 'distribution') as collected,
             -sum(amount) filter (where kind = 'pool') as undistributed,
             -sum(amount) filter (where kind = 'suspense') as suspense
      from moves
      ${f.period ? sql`where period = ${f.period}` : sql``}
      group by collective_id, right_type, use_type, period, currency
    ), runs as (
      select collective_id, right_type, use_type, period, currency, count(*)::int as runs,
             sum(gross) as gross, sum(management_fee) as fee, sum(deductions) as deductions,
             sum(allocated + carried_forward) as distributed
      from rm.distributions
      where true
        ${f.collective ? sql`and collective_id = ${f.collective}` : sql``}
        ${f.period ? sql`and period = ${f.period}` : sql``}
      group by collective_id, right_type, use_type, period, currency
    )
    select collective_id, right_type, use_type, period, currency,
           b.collected::text, b.undistributed::text, b.suspense::text,
           r.gross::text, r.fee::text, r.deductions::text, r.distributed::text,
           case when r.gross > 0 then round(r.fee / r.gross, 4)::text end as ratio,
           coalesce(r.runs, 0) as runs
    from balances b full join runs r using (collective_id, right_type, use_type, period, currency)
    order by collective_id, period, right_type, use_type, currency`;
  return rows.map((r) => ({
    collectiveId: r.collective_id,
    rightType: r.right_type,
    useType: r.use_type,
    period: r.period,
    currency: r.currency,
    collected: moneyText(r.collected, r.currency),
    distributionGross: moneyText(r.gross, r.currency),
    distributed: moneyText(r.distributed, r.currency),
    managementFee: moneyText(r.fee, r.currency),
    deductions: moneyText(r.deductions, r.currency),
    suspense: moneyText(r.suspense, r.currency),
    managementFeeRatio: r.ratio,
    undistributed: moneyText(r.undistributed, r.currency),
    distributionRuns: r.runs,
  }));
}

/** Age buckets of undistributed money, by time since the end of its period. */
export const AGE_BUCKETS = ['not_ended', '0-3m', '3-6m', '6-9m', '9-12m', 'over-12m'] as const;

/** Undistributed money of one collective and currency by age. */
export const AgeFigures = z
  .object({
    collectiveId: z.string(),
    currency: z.string(),
    buckets: z.array(z.object({ age: z.enum(AGE_BUCKETS), pools: MoneyString, suspense: MoneyString, total: MoneyString })),
    total: MoneyString,
  })
  .openapi('UndistributedByAge');

interface AgeRow {
  collective_id: string;
  currency: string;
  bucket: (typeof AGE_BUCKETS)[number];
  pools: string;
  suspense: string;
  total: string;
  grand_total: string;
}

/**
 * Money still in pools and suspense by age since the end of its period (periods not yet ended
 * get their own bucket), on `asOf`. A period ends on the last day of its year, half, quarter or
 * month; ages are calendar months after that day.
 */
export async function undistributedByAge(sql: postgres.Sql, asOf: string, collective?: string): Promise<Array<z.infer<typeof AgeFigures>>> {
  const rows = await sql<AgeRow[]>`
    with moves as (
      select collective_id, currency, account_kind as kind, amount, split_part(account, ':', 5) as period
      from rm.postings
      where account_kind in ('pool', 'suspense')
        ${collective ? sql`and collective_id = ${collective}` : sql``}
    ), held as (
      select collective_id, currency, period,
             -sum(amount) filter (where kind = 'pool') as pools,
             -sum(amount) filter (where kind = 'suspense') as suspense
      from moves group by collective_id, currency, period
    ), dated as (
      -- The first day after the period: a year, half (H1/H2), quarter (Q1..Q4) or month (M01..M12).
      select *, (make_date(substr(period, 1, 4)::int, 1, 1) + make_interval(months => case
                   when length(period) = 4 then 12
                   when substr(period, 5, 1) = 'H' then 6 * substr(period, 6, 1)::int
                   when substr(period, 5, 1) = 'Q' then 3 * substr(period, 6, 1)::int
                   else substr(period, 6, 2)::int end))::date as ends_before
      from held
      where period ~ '^[0-9]{4}(H[12]|Q[1-4]|M(0[1-9]|1[0-2]))?$'
    ), bucketed as (
      select collective_id, currency, pools, suspense,
             case
               when ${asOf}::date < ends_before then 'not_ended'
               when ${asOf}::date < ends_before + interval '3 months' then '0-3m'
               when ${asOf}::date < ends_before + interval '6 months' then '3-6m'
               when ${asOf}::date < ends_before + interval '9 months' then '6-9m'
               when ${asOf}::date < ends_before + interval '12 months' then '9-12m'
               else 'over-12m' end as bucket
      from dated
    )
    select collective_id, currency, bucket,
           coalesce(sum(pools), 0)::text as pools, coalesce(sum(suspense), 0)::text as suspense,
           (coalesce(sum(pools), 0) + coalesce(sum(suspense), 0))::text as total,
           sum(coalesce(sum(pools), 0) + coalesce(sum(suspense), 0)) over (partition by collective_id, currency)::text as grand_total
    from bucketed group by collective_id, currency, bucket
    order by collective_id, currency`;
  const out = new Map<string, { collectiveId: string; currency: string; total: string; rows: Map<string, AgeRow> }>();
  for (const r of rows) {
    const key = `${r.collective_id}\u0000${r.currency}`;
    const entry = out.get(key) ?? { collectiveId: r.collective_id, currency: r.currency, total: r.grand_total, rows: new Map<string, AgeRow>() };
    entry.rows.set(r.bucket, r);
    out.set(key, entry);
  }
  return [...out.values()].map(({ collectiveId, currency, total, rows: byBucket }) => ({
    collectiveId,
    currency,
    buckets: AGE_BUCKETS.map((age) => {
      const r = byBucket.get(age);
      return { age, pools: moneyText(r?.pools, currency), suspense: moneyText(r?.suspense, currency), total: moneyText(r?.total, currency) };
    }),
    total: moneyText(total, currency),
  }));
}
