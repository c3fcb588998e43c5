/**
 * `GET /dashboard`: the regulator's supervision figures per collective — management-fee ratio per
 * pool and period and its trend, undistributed money and suspense by age, and the deadline tracker
 * (income must be distributed within nine months after the end of the year it was collected in).
 * Everything is computed from the read model's postings and distribution records as of `?asOf=`
 * (default today), in exact minor units.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type postgres from 'postgres';
import type { Services } from '../../../services';
import { errorResponses, MoneyString, newRouter } from '../../openapi';
import { CurrencyTotals, minorOf, moneyText, ratioFromUnits, ratioText, ratioUnits } from './amounts';
import { AGE_BUCKETS, ageBucket, AsOfQuery, daysBetween, deadlineStatus, distributionDeadline, periodEnd, todayUtc, type AgeBucket } from './periods';
import { assertCollective, listCollectives, loadPools, loadSuspense, undistributed, undistributedByCollectionYear } from './pool-ledger';
import { CollectiveId, json, SECURITY, TAG } from './schemas';

const Ratio = z.string().nullable().openapi({ example: '0.150000', description: 'Exact operands beside it; rounded half-even to 6 places; null when the gross is zero' });

const PoolFee = z.object({ rightType: z.string(), useType: z.string(), period: z.string(), currency: z.string(), runs: z.number().int(), gross: MoneyString, managementFee: MoneyString, ratio: Ratio });

const TrendPoint = z.object({
  period: z.string(),
  ratio: Ratio,
  change: z.string().nullable().openapi({ description: 'Ratio minus the previous period’s ratio; null for the first period' }),
  direction: z.enum(['up', 'down', 'flat']).nullable(),
});

const AgeProfile = z.object({
  currency: z.string(),
  total: MoneyString,
  buckets: z.array(z.object({ bucket: z.enum(AGE_BUCKETS), amount: MoneyString })),
});

const Deadline = z
  .object({
    rightType: z.string(),
    useType: z.string(),
    period: z.string(),
    account: z.string(),
    currency: z.string(),
    collectionYear: z.number().int(),
    undistributed: MoneyString,
    deadline: z.string().openapi({ example: '2027-09-30' }),
    daysLeft: z.number().int().openapi({ description: 'Negative once the deadline has passed' }),
    status: z.enum(['ok', 'due_soon', 'late']),
  })
  .openapi('DistributionDeadline');

const CollectiveDashboard = z
  .object({
    collectiveId: z.string(),
    name: z.string(),
    feeRatio: z.object({
      overall: z.array(z.object({ currency: z.string(), gross: MoneyString, managementFee: MoneyString, ratio: Ratio })),
      pools: z.array(PoolFee),
      trend: z.array(z.object({ rightType: z.string(), useType: z.string(), currency: z.string(), points: z.array(TrendPoint) })),
    }),
    undistributedByAge: z.array(AgeProfile),
    suspenseByAge: z.array(AgeProfile),
    deadlines: z.array(Deadline),
  })
  .openapi('CollectiveDashboard');

const route = createRoute({
  method: 'get',
  path: '/dashboard',
  tags: [TAG],
  summary: 'Fee ratios and their trend, undistributed money and suspense by age, and distribution deadlines, per collective',
  security: SECURITY,
  request: { query: z.object({ asOf: AsOfQuery, collective: CollectiveId.optional() }) },
  responses: {
    200: json(
      z.object({
        asOf: z.string(),
        deadlineRule: z.string(),
        deadlineSummary: z.object({ ok: z.number().int(), due_soon: z.number().int(), late: z.number().int() }),
        collectives: z.array(CollectiveDashboard),
      }),
      'The dashboard',
    ),
    ...errorResponses,
  },
});

/** The day after `date` (`YYYY-MM-DD`): the exclusive bound of "everything up to and including `date`". */
export function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

interface FeeRow {
  collective_id: string;
  right_type: string;
  use_type: string;
  period: string;
  currency: string;
  runs: number;
  gross: string;
  fee: string;
}

async function loadFees(sql: postgres.Sql, collectiveIds: readonly string[], before: string): Promise<FeeRow[]> {
  return sql<FeeRow[]>`
    select collective_id, right_type, use_type, period, currency, count(*)::int as runs, sum(gross)::text as gross, sum(management_fee)::text as fee
    from rm.distributions
    where collective_id = any(${collectiveIds as string[]}) and at < ${`${before}T00:00:00Z`}::timestamptz
    group by 1, 2, 3, 4, 5`;
}

const periodOrder = (a: string, b: string) => {
  const ea = periodEnd(a) ?? a;
  const eb = periodEnd(b) ?? b;
  return ea < eb ? -1 : ea > eb ? 1 : a < b ? -1 : a > b ? 1 : 0;
};

function feeRatios(rows: FeeRow[]) {
  const sorted = [...rows].sort((a, b) => a.right_type.localeCompare(b.right_type) || a.use_type.localeCompare(b.use_type) || a.currency.localeCompare(b.currency) || periodOrder(a.period, b.period));
  const gross = new CurrencyTotals();
  const fees = new CurrencyTotals();
  const pools = sorted.map((r) => {
    const g = minorOf(r.gross, r.currency);
    const f = minorOf(r.fee, r.currency);
    gross.add(r.currency, g);
    fees.add(r.currency, f);
    return { rightType: r.right_type, useType: r.use_type, period: r.period, currency: r.currency, runs: r.runs, gross: moneyText(g, r.currency), managementFee: moneyText(f, r.currency), ratio: ratioText(f, g) };
  });
  const series = new Map<string, { rightType: string; useType: string; currency: string; points: Array<z.infer<typeof TrendPoint>> }>();
  let previous: string | null = null;
  for (const p of pools) {
    const key = `${p.rightType}\u0000${p.useType}\u0000${p.currency}`;
    let s = series.get(key);
    if (!s) {
      s = { rightType: p.rightType, useType: p.useType, currency: p.currency, points: [] };
      series.set(key, s);
      previous = null;
    }
    // The change is a difference of the published (rounded) ratios, so a reader can recompute it.
    const change = previous !== null && p.ratio !== null ? ratioFromUnits(ratioUnits(p.ratio) - ratioUnits(previous)) : null;
    const direction = change === null ? null : change.startsWith('-') ? 'down' : /[1-9]/.test(change) ? 'up' : 'flat';
    s.points.push({ period: p.period, ratio: p.ratio, change, direction });
    if (p.ratio !== null) previous = p.ratio;
  }
  const overall = gross.currencies().map((cur) => ({ currency: cur, gross: moneyText(gross.get(cur), cur), managementFee: moneyText(fees.get(cur), cur), ratio: ratioText(fees.get(cur), gross.get(cur)) }));
  return { overall, pools, trend: [...series.values()] };
}

class AgeTotals {
  private readonly byCurrency = new Map<string, Map<AgeBucket, bigint>>();

  add(currency: string, bucket: AgeBucket, minor: bigint): void {
    const m = this.byCurrency.get(currency) ?? new Map<AgeBucket, bigint>();
    m.set(bucket, (m.get(bucket) ?? 0n) + minor);
    this.byCurrency.set(currency, m);
  }

  toList(): Array<z.infer<typeof AgeProfile>> {
    return [...this.byCurrency.keys()].sort().map((currency) => {
      const m = this.byCurrency.get(currency)!;
      let total = 0n;
      const buckets = AGE_BUCKETS.map((bucket) => {
        const v = m.get(bucket) ?? 0n;
        total += v;
        return { bucket, amount: moneyText(v, currency) };
      });
      return { currency, total: moneyText(total, currency), buckets };
    });
  }
}

/** The dashboard route. */
export function dashboardRouter(services: Services) {
  const { sql } = services;
  return newRouter().openapi(route, async (c) => {
    const q = c.req.valid('query');
    const asOf = q.asOf ?? todayUtc();
    if (q.collective) await assertCollective(sql, q.collective);
    const collectives = (await listCollectives(sql)).filter((col) => !q.collective || col.id === q.collective);
    const ids = collectives.map((col) => col.id);
    const before = dayAfter(asOf);
    const [pools, suspense, fees] = await Promise.all([loadPools(sql, { collectiveIds: ids, before }), loadSuspense(sql, { collectiveIds: ids, before }), loadFees(sql, ids, before)]);
    const summary = { ok: 0, due_soon: 0, late: 0 };
    const out = collectives.map((col) => {
      const undistributedAge = new AgeTotals();
      const deadlines: Array<z.infer<typeof Deadline>> = [];
      for (const pool of pools.filter((p) => p.collectiveId === col.id)) {
        const left = undistributed(pool);
        if (left !== 0n) undistributedAge.add(pool.currency, ageBucket(periodEnd(pool.period) ?? asOf, asOf), left);
        for (const { year, minor } of undistributedByCollectionYear(pool)) {
          const deadline = distributionDeadline(year);
          const daysLeft = daysBetween(asOf, deadline);
          const status = deadlineStatus(daysLeft);
          summary[status]++;
          deadlines.push({ rightType: pool.rightType, useType: pool.useType, period: pool.period, account: pool.account, currency: pool.currency, collectionYear: year, undistributed: moneyText(minor, pool.currency), deadline, daysLeft, status });
        }
      }
      deadlines.sort((a, b) => a.daysLeft - b.daysLeft || a.account.localeCompare(b.account));
      const suspenseAge = new AgeTotals();
      for (const s of suspense.filter((x) => x.collectiveId === col.id)) {
        if (s.held !== 0n) suspenseAge.add(s.currency, ageBucket(periodEnd(s.period) ?? asOf, asOf), s.held);
      }
      return {
        collectiveId: col.id,
        name: col.name,
        feeRatio: feeRatios(fees.filter((f) => f.collective_id === col.id)),
        undistributedByAge: undistributedAge.toList(),
        suspenseByAge: suspenseAge.toList(),
        deadlines,
      };
    });
    return c.json(
      {
        asOf,
        deadlineRule: 'Income is distributed within nine months after the end of the calendar year in which it was collected (by 30 September of the following year); distributions spend the oldest collections first.',
        deadlineSummary: summary,
        collectives: out,
      },
      200,
    );
  });
}
