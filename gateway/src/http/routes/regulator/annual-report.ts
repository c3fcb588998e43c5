/**
 * `GET /reports/annual/{year}`: the annual transparency report of each collective (Regulations on
 * Copyright Collective Administration; EU Directive 2014/26/EU, Annex), from the ledger's read
 * model rather than the collective's own books: revenue by right and use type, management costs
 * and their ratio to revenue, deductions, distributions, amounts attributed and paid to members,
 * and what is undistributed or non-distributable by year of collection. JSON or RFC 4180 CSV.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type postgres from 'postgres';
import type { Services } from '../../../services';
import { errorResponses, MoneyString, newRouter } from '../../openapi';
import { CurrencyAmount, CurrencyTotals, minorOf, moneyText, ratioText } from './amounts';
import { toCsv } from './csv';
import { distributionDeadline, periodYear } from './periods';
import { assertCollective, firstCollectionYear, listCollectives, loadPools, loadSuspense, undistributedByCollectionYear } from './pool-ledger';
import { CollectiveId, SECURITY, TAG } from './schemas';

const Ratio = z.string().nullable().openapi({ example: '0.120000', description: 'Rounded half-even to 6 places; null when the base is zero' });

const CollectiveReport = z
  .object({
    collectiveId: z.string(),
    name: z.string(),
    revenue: z.object({ byRightAndUse: z.array(z.object({ rightType: z.string(), useType: z.string(), currency: z.string(), amount: MoneyString })), total: z.array(CurrencyAmount) }),
    managementCosts: z.array(z.object({ currency: z.string(), fees: MoneyString, revenue: MoneyString, ratioToRevenue: Ratio })),
    deductions: z.array(CurrencyAmount),
    distributions: z.array(z.object({ rightType: z.string(), useType: z.string(), currency: z.string(), runs: z.number().int(), gross: MoneyString, managementFee: MoneyString, deductions: MoneyString, feeRatio: Ratio })),
    attributed: z.array(CurrencyAmount),
    paid: z.array(CurrencyAmount),
    undistributedByCollectionYear: z.array(z.object({ collectionYear: z.number().int(), currency: z.string(), amount: MoneyString, deadline: z.string() })),
    nonDistributableByCollectionYear: z.array(z.object({ collectionYear: z.number().int(), currency: z.string(), amount: MoneyString })),
  })
  .openapi('AnnualCollectiveReport');

const AnnualReport = z
  .object({
    year: z.number().int(),
    from: z.string(),
    to: z.string().openapi({ description: 'Exclusive end: balances are as of this instant' }),
    generatedAt: z.string(),
    definitions: z.record(z.string(), z.string()),
    collectives: z.array(CollectiveReport),
  })
  .openapi('AnnualReport');

const route = createRoute({
  method: 'get',
  path: '/reports/annual/{year}',
  tags: [TAG],
  summary: 'The annual transparency report of each collective (or one), as JSON or CSV',
  security: SECURITY,
  request: {
    params: z.object({ year: z.coerce.number().int().min(2000).max(2100).openapi({ example: 2026 }) }),
    query: z.object({ collective: CollectiveId.optional(), format: z.enum(['json', 'csv']).default('json') }),
  },
  responses: {
    200: {
      description: 'The report; CSV columns: collective_id, section, right_type, use_type, collection_year, currency, amount, ratio',
      content: { 'application/json': { schema: AnnualReport }, 'text/csv': { schema: z.string() } },
    },
    ...errorResponses,
  },
});

/** What each figure of the report means. */
export const DEFINITIONS: Record<string, string> = {
  revenue: 'credits into pools during the year by licence payments and direct income, net of reversals and adjustments',
  managementCosts: 'management fees credited to the collective during the year; ratioToRevenue = fees / revenue of the year',
  deductions: 'social and cultural deductions credited during the year',
  distributions: 'distribution runs opened during the year, per right and use type; feeRatio = management fee / gross',
  attributed: 'amounts credited to members during the year by distribution batches and suspense releases',
  paid: 'payouts paid to members during the year',
  undistributedByCollectionYear: 'pool balances at the end of the year by the year the money was collected (distributions spend the oldest money first), with the statutory deadline',
  nonDistributableByCollectionYear: 'suspense balances at the end of the year, by the year their pool first received money',
};

interface FlowRow {
  collective_id: string;
  currency: string;
  right_type: string | null;
  use_type: string | null;
  revenue: string;
  fees: string;
  deductions: string;
  attributed: string;
  paid: string;
}

interface RunRow {
  collective_id: string;
  right_type: string;
  use_type: string;
  currency: string;
  runs: number;
  gross: string;
  fee: string;
  deductions: string;
}

// Attributed counts batches and suspense releases only: a carried-forward release moves money the
// member was already attributed (carried → payable), so counting it would double it.
async function loadFlows(sql: postgres.Sql, ids: readonly string[], from: string, to: string): Promise<FlowRow[]> {
  return sql<FlowRow[]>`
    select p.collective_id, p.currency,
      case when p.account_kind = 'pool' then split_part(p.account, ':', 3) end as right_type,
      case when p.account_kind = 'pool' then split_part(p.account, ':', 4) end as use_type,
      coalesce(sum(-p.amount) filter (where p.account_kind = 'pool' and p.entry_kind <> 'distribution'), 0)::text as revenue,
      coalesce(sum(-p.amount) filter (where p.account_kind = 'cmo:fees'), 0)::text as fees,
      coalesce(sum(-p.amount) filter (where p.account_kind = 'cmo:deductions'), 0)::text as deductions,
      coalesce(sum(-p.amount) filter (where p.account_kind in ('member:payable', 'member:carried') and p.entry_kind in ('distribution-batch', 'suspense-release')), 0)::text as attributed,
      coalesce(sum(p.amount) filter (where p.account_kind = 'member:payout-pending' and p.entry_kind = 'payout-paid'), 0)::text as paid
    from rm.postings p
    where p.collective_id = any(${ids as string[]})
      and p.account_kind in ('pool', 'cmo:fees', 'cmo:deductions', 'member:payable', 'member:carried', 'member:payout-pending')
      and p.at >= ${`${from}T00:00:00Z`}::timestamptz and p.at < ${`${to}T00:00:00Z`}::timestamptz
    group by 1, 2, 3, 4
    order by 1, 3 nulls first, 4, 2`;
}

async function loadRuns(sql: postgres.Sql, ids: readonly string[], from: string, to: string): Promise<RunRow[]> {
  return sql<RunRow[]>`
    select collective_id, right_type, use_type, currency, count(*)::int as runs,
      sum(gross)::text as gross, sum(management_fee)::text as fee, sum(deductions)::text as deductions
    from rm.distributions
    where collective_id = any(${ids as string[]})
      and at >= ${`${from}T00:00:00Z`}::timestamptz and at < ${`${to}T00:00:00Z`}::timestamptz
    group by 1, 2, 3, 4
    order by 1, 2, 3, 4`;
}

/** Builds the report for `year`, for one collective or all. */
export async function annualReport(sql: postgres.Sql, year: number, collectiveId?: string): Promise<z.infer<typeof AnnualReport>> {
  if (collectiveId) await assertCollective(sql, collectiveId);
  const collectives = (await listCollectives(sql)).filter((c) => !collectiveId || c.id === collectiveId);
  const ids = collectives.map((c) => c.id);
  const from = `${year}-01-01`;
  const to = `${year + 1}-01-01`;
  const [flows, runs, pools, suspense] = await Promise.all([
    loadFlows(sql, ids, from, to),
    loadRuns(sql, ids, from, to),
    loadPools(sql, { collectiveIds: ids, before: to }),
    loadSuspense(sql, { collectiveIds: ids, before: to }),
  ]);
  const reports = collectives.map((col) => {
    const mine = flows.filter((f) => f.collective_id === col.id);
    const revenue = new CurrencyTotals();
    const fees = new CurrencyTotals();
    const deductions = new CurrencyTotals();
    const attributed = new CurrencyTotals();
    const paid = new CurrencyTotals();
    const byRightAndUse: Array<{ rightType: string; useType: string; currency: string; amount: string }> = [];
    for (const f of mine) {
      const cur = f.currency;
      const rev = minorOf(f.revenue, cur);
      if (f.right_type !== null && f.use_type !== null && rev !== 0n) byRightAndUse.push({ rightType: f.right_type, useType: f.use_type, currency: cur, amount: moneyText(rev, cur) });
      revenue.add(cur, rev);
      fees.add(cur, minorOf(f.fees, cur));
      deductions.add(cur, minorOf(f.deductions, cur));
      attributed.add(cur, minorOf(f.attributed, cur));
      paid.add(cur, minorOf(f.paid, cur));
    }
    const currencies = [...new Set([...revenue.currencies(), ...fees.currencies()])].sort();
    const undistributed = new Map<string, { collectionYear: number; currency: string; minor: bigint }>();
    const myPools = pools.filter((p) => p.collectiveId === col.id);
    for (const pool of myPools) {
      for (const { year: y, minor } of undistributedByCollectionYear(pool)) {
        const key = `${y}\u0000${pool.currency}`;
        const e = undistributed.get(key) ?? { collectionYear: y, currency: pool.currency, minor: 0n };
        e.minor += minor;
        undistributed.set(key, e);
      }
    }
    const nonDistributable = new Map<string, { collectionYear: number; currency: string; minor: bigint }>();
    for (const s of suspense.filter((x) => x.collectiveId === col.id)) {
      if (s.held === 0n) continue;
      const pool = myPools.find((p) => p.account === `pool:${s.collectiveId}:${s.rightType}:${s.useType}:${s.period}` && p.currency === s.currency);
      const y = firstCollectionYear(pool) ?? periodYear(s.period) ?? year;
      const key = `${y}\u0000${s.currency}`;
      const e = nonDistributable.get(key) ?? { collectionYear: y, currency: s.currency, minor: 0n };
      e.minor += s.held;
      nonDistributable.set(key, e);
    }
    const byYear = <T extends { collectionYear: number; currency: string }>(a: T, b: T) => a.collectionYear - b.collectionYear || a.currency.localeCompare(b.currency);
    return {
      collectiveId: col.id,
      name: col.name,
      revenue: { byRightAndUse, total: revenue.toList() },
      managementCosts: currencies.map((cur) => ({ currency: cur, fees: moneyText(fees.get(cur), cur), revenue: moneyText(revenue.get(cur), cur), ratioToRevenue: ratioText(fees.get(cur), revenue.get(cur)) })),
      deductions: deductions.toList(),
      distributions: runs
        .filter((r) => r.collective_id === col.id)
        .map((r) => {
          const gross = minorOf(r.gross, r.currency);
          const fee = minorOf(r.fee, r.currency);
          return { rightType: r.right_type, useType: r.use_type, currency: r.currency, runs: r.runs, gross: moneyText(gross, r.currency), managementFee: moneyText(fee, r.currency), deductions: moneyText(minorOf(r.deductions, r.currency), r.currency), feeRatio: ratioText(fee, gross) };
        }),
      attributed: attributed.toList(),
      paid: paid.toList(),
      undistributedByCollectionYear: [...undistributed.values()].sort(byYear).map((e) => ({ collectionYear: e.collectionYear, currency: e.currency, amount: moneyText(e.minor, e.currency), deadline: distributionDeadline(e.collectionYear) })),
      nonDistributableByCollectionYear: [...nonDistributable.values()].sort(byYear).map((e) => ({ collectionYear: e.collectionYear, currency: e.currency, amount: moneyText(e.minor, e.currency) })),
    };
  });
  return { year, from, to, generatedAt: new Date().toISOString(), definitions: DEFINITIONS, collectives: reports };
}

/** CSV columns of the report. */
export const CSV_HEADER = ['collective_id', 'section', 'right_type', 'use_type', 'collection_year', 'currency', 'amount', 'ratio'] as const;

/** The report as CSV rows (one figure per row). */
export function reportCsv(report: z.infer<typeof AnnualReport>): string {
  const rows: Array<Array<string | number | null>> = [];
  for (const c of report.collectives) {
    const id = c.collectiveId;
    for (const r of c.revenue.byRightAndUse) rows.push([id, 'revenue', r.rightType, r.useType, null, r.currency, r.amount, null]);
    for (const r of c.revenue.total) rows.push([id, 'revenue_total', null, null, null, r.currency, r.amount, null]);
    for (const m of c.managementCosts) rows.push([id, 'management_costs', null, null, null, m.currency, m.fees, m.ratioToRevenue]);
    for (const d of c.deductions) rows.push([id, 'deductions', null, null, null, d.currency, d.amount, null]);
    for (const d of c.distributions) {
      rows.push([id, 'distribution_gross', d.rightType, d.useType, null, d.currency, d.gross, null]);
      rows.push([id, 'distribution_management_fee', d.rightType, d.useType, null, d.currency, d.managementFee, d.feeRatio]);
      rows.push([id, 'distribution_deductions', d.rightType, d.useType, null, d.currency, d.deductions, null]);
    }
    for (const a of c.attributed) rows.push([id, 'attributed', null, null, null, a.currency, a.amount, null]);
    for (const p of c.paid) rows.push([id, 'paid', null, null, null, p.currency, p.amount, null]);
    for (const u of c.undistributedByCollectionYear) rows.push([id, 'undistributed', null, null, u.collectionYear, u.currency, u.amount, null]);
    for (const n of c.nonDistributableByCollectionYear) rows.push([id, 'non_distributable', null, null, n.collectionYear, n.currency, n.amount, null]);
  }
  return toCsv(CSV_HEADER, rows);
}

/** The annual report route. */
export function annualReportRouter(services: Services) {
  return newRouter().openapi(route, async (c) => {
    const { year } = c.req.valid('param');
    const { collective, format } = c.req.valid('query');
    const report = await annualReport(services.sql, year, collective);
    if (format === 'csv') {
      const name = `transparency-report-${year}${collective ? `-${collective}` : ''}.csv`;
      return c.body(reportCsv(report), 200, { 'content-type': 'text/csv; charset=utf-8; header=present', 'content-disposition': `attachment; filename="${name}"` });
    }
    return c.json(report, 200);
  });
}
