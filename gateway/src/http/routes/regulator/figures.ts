/**
 * `GET /figures/{figure}/transactions`: the postings behind a dashboard figure, so every number the
 * regulator sees can be traced to the ledger transactions that make it up — each with its entry,
 * transaction id, block number and the public receipt address — and the page's figure total, which
 * equals the number shown on the dashboard for the same collective and pool.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type postgres from 'postgres';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { decodeCursor, errorResponses, MoneyString, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { CurrencyAmount, CurrencyTotals, minorOf, moneyText } from './amounts';
import { assertCollective } from './pool-ledger';
import { CollectiveId, json, PoolParam, SECURITY, TAG, TxReceipt, txReceipt } from './schemas';

/** Figures that can be drilled into. */
export const FIGURES = ['collected', 'distributed', 'undistributed', 'fees', 'deductions', 'suspense', 'attributed', 'paid'] as const;

/** One drillable figure. */
export type Figure = (typeof FIGURES)[number];

/** How a figure is made of postings: which postings, with which sign, and how a pool narrows them. */
interface FigureRule {
  /** Postings that make up the figure (alias `p`). */
  filter: (sql: postgres.Sql) => postgres.PendingQuery<postgres.Row[]>;
  /** Contribution of a posting to the figure: sign × its signed amount (credit-normal accounts: −1). */
  sign: 1n | -1n;
  /** How `?pool=` narrows the postings; `null` when the figure is not kept per pool. */
  pool: ((sql: postgres.Sql, collectiveId: string, pool: string) => postgres.PendingQuery<postgres.Row[]>) | null;
  description: string;
}

const onAccount = (kind: 'pool' | 'suspense') => (sql: postgres.Sql, c: string, pool: string) => sql`and p.account = ${`${kind}:${c}:${pool}`}`;
// Fees and deductions are collective accounts; the distribution entry that took them also debits the pool.
const entryTouchesPool = (sql: postgres.Sql, c: string, pool: string) =>
  sql`and exists (select 1 from rm.postings q where q.entry_id = p.entry_id and q.account = ${`pool:${c}:${pool}`})`;

/** The postings behind each figure. */
export const FIGURE_RULES: Record<Figure, FigureRule> = {
  collected: {
    filter: (sql) => sql`p.account_kind = 'pool' and p.entry_kind <> 'distribution'`,
    sign: -1n,
    pool: onAccount('pool'),
    description: 'credits into pools by payments and direct income (and their reversals and adjustments)',
  },
  distributed: {
    filter: (sql) => sql`p.account_kind = 'pool' and p.entry_kind = 'distribution'`,
    sign: 1n,
    pool: onAccount('pool'),
    description: 'gross moved out of pools by distribution runs',
  },
  undistributed: { filter: (sql) => sql`p.account_kind = 'pool'`, sign: -1n, pool: onAccount('pool'), description: 'every posting on pool accounts (the balance)' },
  fees: { filter: (sql) => sql`p.account_kind = 'cmo:fees'`, sign: -1n, pool: entryTouchesPool, description: 'management fees credited to the collective' },
  deductions: { filter: (sql) => sql`p.account_kind = 'cmo:deductions'`, sign: -1n, pool: entryTouchesPool, description: 'social and cultural deductions' },
  suspense: { filter: (sql) => sql`p.account_kind = 'suspense'`, sign: -1n, pool: onAccount('suspense'), description: 'money held as non-distributable (unidentified works, unclaimed shares)' },
  attributed: {
    // A carried-forward release (`carried-release`) only moves money between a member's carried and
    // payable accounts: it was attributed when the batch carried it, so it is not counted again.
    filter: (sql) => sql`p.account_kind in ('member:payable', 'member:carried') and p.entry_kind in ('distribution-batch', 'suspense-release')`,
    sign: -1n,
    // Batches clear their run's clearing account; suspense releases debit the pool's suspense.
    pool: (sql, c, pool) => {
      const [rightType, useType, period] = pool.split(':');
      return sql`and exists (select 1 from rm.postings q where q.entry_id = p.entry_id and (q.account = ${`suspense:${c}:${pool}`}
        or q.account in (select 'dist:' || d.id || ':clearing' from rm.distributions d where d.collective_id = ${c} and d.right_type = ${rightType!} and d.use_type = ${useType!} and d.period = ${period!})))`;
    },
    description: 'amounts credited to members by distribution batches and suspense releases',
  },
  paid: {
    filter: (sql) => sql`p.account_kind = 'member:payout-pending' and p.entry_kind = 'payout-paid'`,
    sign: 1n,
    pool: null,
    description: 'payouts paid to members’ bank accounts',
  },
};

const FigurePosting = z
  .object({
    entryId: z.string(),
    kind: z.string(),
    ref: z.string().nullable(),
    account: z.string(),
    currency: z.string(),
    amount: MoneyString.openapi({ description: 'The posting, signed: debit positive' }),
    contribution: MoneyString.openapi({ description: 'What the posting adds to the figure' }),
    at: z.string().openapi({ format: 'date-time' }),
    receipt: TxReceipt,
  })
  .openapi('FigurePosting');

const route = createRoute({
  method: 'get',
  path: '/figures/{figure}/transactions',
  tags: [TAG],
  summary: 'The ledger transactions behind a dashboard figure, newest first, with the figure’s total',
  security: SECURITY,
  request: {
    params: z.object({ figure: z.enum(FIGURES) }),
    query: PageQuery.extend({
      collective: CollectiveId.optional(),
      pool: PoolParam.optional().openapi({ description: 'rightType:useType:period; needs `collective`' }),
    }),
  },
  responses: {
    200: json(pageOf(FigurePosting).extend({ figure: z.enum(FIGURES), description: z.string(), total: z.array(CurrencyAmount) }), 'A page of postings and the figure’s total'),
    ...errorResponses,
  },
});

/** A posting as the read model's posting queries return it, with its entry and transaction. */
export interface PostingRow {
  entry_id: string;
  idx: number;
  account: string;
  currency: string;
  amount: string;
  entry_kind: string;
  ref: string | null;
  at_key: string;
  block_number: string | null;
  tx_index: number | null;
}

type Row = PostingRow;

/** The drill-down route. */
export function figuresRouter(services: Services) {
  const { sql } = services;
  return newRouter().openapi(route, async (c) => {
    const { figure } = c.req.valid('param');
    const q = c.req.valid('query');
    const rule = FIGURE_RULES[figure];
    if (q.pool && !rule.pool) throw new HttpError('VALIDATION.INVALID_ARGUMENT', `pool: ${figure} is not kept per pool`, { field: 'pool' });
    if (q.pool && !q.collective) throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'collective: a pool belongs to a collective; name it', { field: 'collective' });
    const after = decodeCursor(q.cursor, 3);
    if (after && typeof after[2] !== 'number') throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'cursor: not a cursor this list issued', { field: 'cursor' });
    if (q.collective) await assertCollective(sql, q.collective);
    const where = sql`${rule.filter(sql)}
      ${q.collective ? sql`and p.collective_id = ${q.collective}` : sql``}
      ${q.pool && rule.pool && q.collective ? rule.pool(sql, q.collective, q.pool) : sql``}`;
    const rows = await sql<Row[]>`
      select p.entry_id, p.idx, p.account, p.currency, p.amount::text as amount, p.entry_kind, e.ref,
        to_char(p.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_key, t.block_number::text as block_number, t.tx_index
      from rm.postings p
        left join rm.entries e on e.id = p.entry_id
        left join rm.transactions t on t.tx_id = p.entry_id
      where ${where}
        ${after ? sql`and (p.at, p.entry_id, p.idx) < (${String(after[0])}::timestamptz, ${String(after[1])}, ${Number(after[2])})` : sql``}
      order by p.at desc, p.entry_id desc, p.idx desc
      limit ${q.limit + 1}`;
    const sums = await sql<Array<{ currency: string; s: string }>>`
      select p.currency, sum(p.amount)::text as s from rm.postings p where ${where} group by p.currency`;
    const total = new CurrencyTotals();
    for (const s of sums) total.add(s.currency, rule.sign * minorOf(s.s, s.currency));
    const page = toPage(
      rows,
      q.limit,
      (r) => {
        const amount = minorOf(r.amount, r.currency);
        return {
          entryId: r.entry_id,
          kind: r.entry_kind,
          ref: r.ref,
          account: r.account,
          currency: r.currency,
          amount: moneyText(amount, r.currency),
          contribution: moneyText(rule.sign * amount, r.currency),
          at: r.at_key,
          receipt: txReceipt(r.entry_id, r.block_number, r.tx_index),
        };
      },
      (r) => [r.at_key, r.entry_id, r.idx],
    );
    return c.json({ ...page, figure, description: rule.description, total: total.toList() }, 200);
  });
}
