/**
 * A member's money on the ledger: its balances (payable, carried forward below the payment
 * threshold, and requested but not yet paid out), summed in PostgreSQL `numeric` from the postings
 * on `member:<id>:…`, and its payouts.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { PayoutRecord } from '@rtl/chaincode';
import { formatMoney, zeroMoney } from '@rtl/distribution/money';
import type { Services } from '../../../services';
import { decodeCursor, errorResponses, MoneyString, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { memberOf } from './caller';

const BalanceView = z.object({
  currency: z.string(),
  payable: MoneyString.openapi({ description: 'Distributed to you and not yet requested for payout' }),
  carriedForward: MoneyString.openapi({ description: 'Held because it is below the payment threshold; it accumulates across runs and moves to payable once it reaches a run’s threshold' }),
  payoutPending: MoneyString.openapi({ description: 'Requested for payout, not yet paid' }),
});

const BalancesView = z
  .object({
    memberId: z.string(),
    accounts: z.object({ payable: z.string(), carried: z.string(), payoutPending: z.string() }),
    balances: z.array(BalanceView).openapi({ description: 'One entry per currency that ever moved on your accounts' }),
  })
  .openapi('MemberBalance');

const PayoutView = z
  .object({
    id: z.string(),
    amount: MoneyString,
    currency: z.string(),
    status: z.enum(['pending', 'paid', 'voided']),
    requestedAt: z.string(),
    requestTxId: z.string(),
    completedAt: z.string().nullable(),
    completionTxId: z.string().nullable(),
    bankReference: z.string().nullable(),
    reasonCode: z.string().nullable(),
  })
  .openapi('MemberPayout');

const balanceRoute = createRoute({
  method: 'get',
  path: '/balance',
  tags: ['member'],
  summary: 'Your balances: payable, carried forward and payout pending, per currency',
  responses: { 200: { description: 'Your balances', content: { 'application/json': { schema: BalancesView } } }, ...errorResponses },
});

const payoutsRoute = createRoute({
  method: 'get',
  path: '/payouts',
  tags: ['member'],
  summary: 'Your payouts, newest first',
  request: { query: PageQuery },
  responses: { 200: { description: 'A page of payouts', content: { 'application/json': { schema: pageOf(PayoutView) } } }, ...errorResponses },
});

interface PayoutRow {
  id: string;
  amount: string;
  status: PayoutRecord['status'];
  at_key: string;
  data: PayoutRecord;
}

/** `GET /balance` and `GET /payouts`. */
export function accountRoutes(services: Services) {
  const { sql } = services;
  return newRouter()
    .openapi(balanceRoute, async (c) => {
      const me = memberOf(c.var.user);
      const accounts = { payable: `member:${me.partyId}:payable`, carried: `member:${me.partyId}:carried`, payoutPending: `member:${me.partyId}:payout-pending` };
      // Member accounts are credit-normal: the balance is credits minus debits, i.e. −Σ signed amounts.
      const rows = await sql<{ account: string; currency: string; balance: string }[]>`
        select account, currency, (-sum(amount))::text as balance from rm.postings
        where account in ${sql([accounts.payable, accounts.carried, accounts.payoutPending])}
        group by account, currency order by currency, account`;
      const byCurrency = new Map<string, z.infer<typeof BalanceView>>();
      for (const r of rows) {
        let b = byCurrency.get(r.currency);
        if (!b) {
          const zero = formatMoney(zeroMoney(r.currency));
          b = { currency: r.currency, payable: zero, carriedForward: zero, payoutPending: zero };
          byCurrency.set(r.currency, b);
        }
        if (r.account === accounts.payable) b.payable = r.balance;
        else if (r.account === accounts.carried) b.carriedForward = r.balance;
        else b.payoutPending = r.balance;
      }
      return c.json({ memberId: me.partyId, accounts, balances: [...byCurrency.values()] }, 200);
    })
    .openapi(payoutsRoute, async (c) => {
      const me = memberOf(c.var.user);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor, 2);
      const rows = await sql<PayoutRow[]>`
        select id, amount::text as amount, status, at::text as at_key, data from rm.payouts
        where member_id = ${me.partyId} ${after ? sql`and (at, id) < (${String(after[0])}::timestamptz, ${String(after[1])})` : sql``}
        order by at desc, id desc limit ${limit + 1}`;
      return c.json(
        toPage(
          rows,
          limit,
          (r) => ({
            id: r.id,
            amount: r.amount,
            currency: r.data.currency,
            status: r.status,
            requestedAt: r.data.at,
            requestTxId: r.data.txId,
            completedAt: r.data.completion?.at ?? null,
            completionTxId: r.data.completion?.txId ?? null,
            bankReference: r.data.completion?.bankReference ?? null,
            reasonCode: r.data.completion?.reasonCode ?? null,
          }),
          (r) => [r.at_key, r.id],
        ),
        200,
      );
    });
}
