/**
 * The journal as the regulator reads it: `GET /entries` (journal entries across collectives, each
 * with its postings and the receipt of the transaction that posted it) and `GET /accounts/{account}`
 * (an account's balance from the read model and, as a tamper check, from the ledger itself).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { ACCOUNT_PATTERN, isDebitNormal } from '@rtl/chaincode/accounts';
import { ledgerIdentityFor } from '../../../auth/identity';
import { assertRole } from '../../../auth/middleware';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { decodeCursor, errorResponses, MoneyString, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { minorOf, moneyText } from './amounts';
import { assertCollective } from './pool-ledger';
import { CollectiveId, json, SECURITY, TAG, TxReceipt, txReceipt } from './schemas';

/** Kinds of journal entries the chaincode posts. */
export const ENTRY_KINDS = [
  'invoice', 'payment', 'income', 'distribution', 'distribution-batch', 'suspense-release', 'carried-release',
  'payout-request', 'payout-paid', 'payout-voided', 'reversal', 'adjustment',
] as const;

/** A ledger account name, validated with the chaincode's own grammar. */
export const AccountName = z.string().max(250).regex(ACCOUNT_PATTERN, 'not a ledger account name').openapi({ example: 'pool:MCSC:performing:ktv:2026Q3' });

const Posting = z.object({ idx: z.number().int(), account: z.string(), currency: z.string(), amount: MoneyString.openapi({ description: 'Signed: debit positive, credit negative' }) });

const Entry = z
  .object({
    id: z.string().openapi({ description: 'Entry id = id of the transaction that posted it' }),
    kind: z.string(),
    collectiveId: z.string(),
    ref: z.string().nullable(),
    reversalOf: z.string().nullable(),
    adjustmentOf: z.string().nullable(),
    reasonCode: z.string().nullable(),
    note: z.string().nullable(),
    at: z.string().openapi({ format: 'date-time' }),
    postings: z.array(Posting),
    receipt: TxReceipt,
  })
  .openapi('JournalEntry');

const entriesRoute = createRoute({
  method: 'get',
  path: '/entries',
  tags: [TAG],
  summary: 'Journal entries of every collective, newest first, with postings and receipts',
  security: SECURITY,
  request: {
    query: PageQuery.extend({
      collective: CollectiveId.optional(),
      account: AccountName.optional(),
      kind: z.enum(ENTRY_KINDS).optional(),
    }),
  },
  responses: { 200: json(pageOf(Entry), 'A page of entries'), ...errorResponses },
});

const Balance = z.object({ currency: z.string(), debit: MoneyString, credit: MoneyString, balance: MoneyString.openapi({ description: 'Natural balance: debit − credit for assets (bank, receivables), credit − debit otherwise' }) });

const accountRoute = createRoute({
  method: 'get',
  path: '/accounts/{account}',
  tags: [TAG],
  summary: 'An account’s balance from the read model and from the ledger (a tamper check: both must agree)',
  security: SECURITY,
  request: { params: z.object({ account: AccountName }) },
  responses: {
    200: json(
      z.object({
        account: z.string(),
        collectiveId: z.string().nullable(),
        readModel: z.object({ balances: z.array(Balance.extend({ postings: z.number().int() })), lastPostingAt: z.string().nullable(), block: z.string().nullable() }),
        ledger: z.object({ balances: z.array(Balance), height: z.string() }),
        consistent: z.boolean().openapi({ description: 'True when both sources give the same balances in every currency' }),
        entriesHref: z.string(),
      }),
      'Both balances',
    ),
    ...errorResponses,
  },
});

// Timestamps leave PostgreSQL as lossless (microsecond) UTC text: they are keyset cursor keys.
interface EntryRow {
  id: string;
  kind: string;
  collective_id: string;
  ref: string | null;
  reversal_of: string | null;
  adjustment_of: string | null;
  reason_code: string | null;
  note: string | null;
  at_key: string;
  block_number: string | null;
  tx_index: number | null;
}

/** The journal routes. */
export function entriesRouter(services: Services) {
  const { sql } = services;
  return newRouter()
    .openapi(entriesRoute, async (c) => {
      const q = c.req.valid('query');
      const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
      if (q.collective) await assertCollective(sql, q.collective);
      const keyset = (at: string, id: string) => (after ? sql`and (${sql(at)}, ${sql(id)}) < (${after[0]}::timestamptz, ${after[1]})` : sql``);
      let rows: EntryRow[];
      if (q.account) {
        // Driven by the postings index (account, at, entry_id), so a page costs a page.
        rows = await sql<EntryRow[]>`
          with hits as (
            select distinct p.entry_id, p.at from rm.postings p
            where p.account = ${q.account}
              ${q.collective ? sql`and p.collective_id = ${q.collective}` : sql``}
              ${q.kind ? sql`and p.entry_kind = ${q.kind}` : sql``}
              ${keyset('p.at', 'p.entry_id')}
            order by p.at desc, p.entry_id desc
            limit ${q.limit + 1})
          select e.id, e.kind, e.collective_id, e.ref, e.reversal_of, e.adjustment_of, e.reason_code, e.data->>'note' as note,
            to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_key, t.block_number::text as block_number, t.tx_index
          from hits h join rm.entries e on e.id = h.entry_id left join rm.transactions t on t.tx_id = e.id
          order by e.at desc, e.id desc`;
      } else {
        rows = await sql<EntryRow[]>`
          select e.id, e.kind, e.collective_id, e.ref, e.reversal_of, e.adjustment_of, e.reason_code, e.data->>'note' as note,
            to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_key, t.block_number::text as block_number, t.tx_index
          from rm.entries e left join rm.transactions t on t.tx_id = e.id
          where true
            ${q.collective ? sql`and e.collective_id = ${q.collective}` : sql``}
            ${q.kind ? sql`and e.kind = ${q.kind}` : sql``}
            ${keyset('e.at', 'e.id')}
          order by e.at desc, e.id desc
          limit ${q.limit + 1}`;
      }
      const ids = rows.slice(0, q.limit).map((r) => r.id);
      const postings = ids.length === 0
        ? []
        : await sql<Array<{ entry_id: string; idx: number; account: string; currency: string; amount: string }>>`
            select entry_id, idx, account, currency, amount::text as amount from rm.postings where entry_id = any(${ids}) order by entry_id, idx`;
      const byEntry = new Map<string, Array<z.infer<typeof Posting>>>();
      for (const p of postings) {
        const list = byEntry.get(p.entry_id) ?? [];
        list.push({ idx: p.idx, account: p.account, currency: p.currency, amount: moneyText(minorOf(p.amount, p.currency), p.currency) });
        byEntry.set(p.entry_id, list);
      }
      const page = toPage(
        rows,
        q.limit,
        (r) => ({
          id: r.id,
          kind: r.kind,
          collectiveId: r.collective_id,
          ref: r.ref,
          reversalOf: r.reversal_of,
          adjustmentOf: r.adjustment_of,
          reasonCode: r.reason_code,
          note: r.note,
          at: r.at_key,
          postings: byEntry.get(r.id) ?? [],
          receipt: txReceipt(r.id, r.block_number, r.tx_index),
        }),
        (r) => [r.at_key, r.id],
      );
      return c.json(page, 200);
    })
    .openapi(accountRoute, async (c) => {
      const { account } = c.req.valid('param');
      const user = assertRole(c.var.user, 'regulator');
      const rows = await sql<Array<{ currency: string; debit: string; credit: string; n: number; last_at: string | null; collective_id: string }>>`
        select currency, coalesce(sum(amount) filter (where amount > 0), 0)::text as debit, coalesce(sum(-amount) filter (where amount < 0), 0)::text as credit,
          count(*)::int as n, to_char(max(at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as last_at, min(collective_id) as collective_id
        from rm.postings where account = ${account} group by currency order by currency`;
      const [checkpoint] = await sql<Array<{ b: string }>>`select block_number::text as b from rm.checkpoint`;
      // Ask the ledger itself (world state), not the read model: a read model edited behind the
      // projector's back shows up as a disagreement here.
      const onLedger = await services.ledger.evaluate<{ balances: Array<z.infer<typeof Balance>> }>(ledgerIdentityFor(user), 'queries:getBalance', { account });
      const info = await services.ledger.info();
      if (rows.length === 0 && onLedger.balances.length === 0) throw new HttpError('NOT_FOUND', `no postings on account ${account}`, { field: 'account' });
      const debitNormal = isDebitNormal(account);
      const readModel = rows.map((r) => {
        const debit = minorOf(r.debit, r.currency);
        const credit = minorOf(r.credit, r.currency);
        return { currency: r.currency, debit: moneyText(debit, r.currency), credit: moneyText(credit, r.currency), balance: moneyText(debitNormal ? debit - credit : credit - debit, r.currency), postings: r.n };
      });
      const key = (b: z.infer<typeof Balance>) => `${b.currency}:${b.debit}:${b.credit}:${b.balance}`;
      const consistent = readModel.length === onLedger.balances.length && readModel.every((b, i) => key(b) === key(onLedger.balances[i]!));
      const lastAt = rows.map((r) => r.last_at).filter((x): x is string => x !== null).sort().at(-1) ?? null;
      return c.json(
        {
          account,
          collectiveId: rows[0]?.collective_id ?? null,
          readModel: { balances: readModel, lastPostingAt: lastAt, block: checkpoint?.b ?? null },
          ledger: { balances: onLedger.balances, height: info.height.toString() },
          consistent,
          entriesHref: `/api/regulator/entries?account=${encodeURIComponent(account)}`,
        },
        200,
      );
    });
}
