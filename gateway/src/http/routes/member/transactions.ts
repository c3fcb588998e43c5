/**
 * `GET /transactions`: every movement on the member's own accounts (payable, carried forward,
 * payout pending), newest first, each with the journal entry it belongs to and the receipt of the
 * ledger transaction — distribution credits, carried-forward releases, suspense releases, payouts.
 * A carried-forward release shows as two movements of one transaction (carried −, payable +) and
 * names the run whose threshold the balance reached.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { decodeCursor, errorResponses, MoneyString, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { minorOf, moneyText } from '../regulator/amounts';
import type { PostingRow } from '../regulator/figures';
import { TxReceipt, txReceipt } from '../regulator/schemas';
import { memberOf } from './caller';

const ACCOUNTS = ['payable', 'carried', 'payoutPending'] as const;
const SUFFIX: Record<(typeof ACCOUNTS)[number], string> = { payable: 'payable', carried: 'carried', payoutPending: 'payout-pending' };

const Movement = z
  .object({
    entryId: z.string(),
    kind: z.string().openapi({ example: 'carried-release', description: 'distribution-batch, carried-release, suspense-release, payout-request, payout-paid, payout-voided, reversal, adjustment' }),
    ref: z.string().nullable(),
    account: z.enum(ACCOUNTS),
    currency: z.string(),
    amount: MoneyString.openapi({ description: 'Change of the account’s balance: positive adds to it, negative takes from it' }),
    at: z.string().openapi({ format: 'date-time' }),
    release: z
      .object({ runId: z.string(), threshold: MoneyString, carriedBefore: MoneyString })
      .nullable()
      .openapi({ description: 'For a carried-forward release: the run whose threshold your balance reached' }),
    receipt: TxReceipt,
  })
  .openapi('MemberMovement');

const route = createRoute({
  method: 'get',
  path: '/transactions',
  tags: ['member'],
  summary: 'Movements on your accounts, newest first, with the ledger transaction of each',
  request: { query: PageQuery.extend({ account: z.enum(ACCOUNTS).optional() }) },
  responses: { 200: { description: 'A page of movements', content: { 'application/json': { schema: pageOf(Movement) } } }, ...errorResponses },
});

interface Row extends PostingRow {
  release: { runId: string; threshold: string; carriedBefore: string } | null;
}

/** `GET /transactions`. */
export function transactionRoutes(services: Services) {
  const { sql } = services;
  return newRouter().openapi(route, async (c) => {
    const me = memberOf(c.var.user);
    const { limit, cursor, account } = c.req.valid('query');
    const after = decodeCursor(cursor, 3);
    if (after && typeof after[2] !== 'number') throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'cursor: not a cursor this list issued', { field: 'cursor' });
    const names = (account ? [account] : ACCOUNTS).map((a) => `member:${me.partyId}:${SUFFIX[a]}`);
    const rows = await sql<Row[]>`
      select p.entry_id, p.idx, p.account, p.currency, p.amount::text as amount, p.entry_kind, e.ref,
        to_char(p.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_key, t.block_number::text as block_number, t.tx_index,
        case when p.entry_kind = 'carried-release' then jsonb_build_object('runId', r.data->>'runId', 'threshold', r.data->>'threshold', 'carriedBefore', r.data->>'carriedBefore') end as release
      from rm.postings p
        join rm.entries e on e.id = p.entry_id
        left join rm.transactions t on t.tx_id = p.entry_id
        left join rm.records r on p.entry_kind = 'carried-release' and r.type = 'carried-release' and r.id = substr(e.ref, length('carried-release/') + 1)
      where p.account in ${sql(names)}
        ${after ? sql`and (p.at, p.entry_id, p.idx) < (${String(after[0])}::timestamptz, ${String(after[1])}, ${Number(after[2])})` : sql``}
      order by p.at desc, p.entry_id desc, p.idx desc
      limit ${limit + 1}`;
    const accountOf = (name: string) => ACCOUNTS.find((a) => name.endsWith(`:${SUFFIX[a]}`))!;
    return c.json(
      toPage(
        rows,
        limit,
        (r) => ({
          entryId: r.entry_id,
          kind: r.entry_kind,
          ref: r.ref,
          account: accountOf(r.account),
          currency: r.currency,
          // Member accounts are credit-normal: a credit (negative signed amount) adds to the balance.
          amount: moneyText(-minorOf(r.amount, r.currency), r.currency),
          at: r.at_key,
          release: r.release,
          receipt: txReceipt(r.entry_id, r.block_number, r.tx_index),
        }),
        (r) => [r.at_key, r.entry_id, r.idx],
      ),
      200,
    );
  });
}
