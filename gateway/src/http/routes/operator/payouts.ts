/**
 * Payouts to members in two phases: a request reserves part of the member's payable balance
 * (`payouts:requestPayout`), and completion either pays it out or voids it back
 * (`payouts:completePayout`). The ledger refuses a request above the payable balance.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { PayoutRecord } from '@rtl/chaincode';
import type { Services } from '../../../services';
import { decodeCursor, errorResponses, MoneyString, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { IdempotencyHeaders, WriteReceipt } from '../../writes';
import { Currency, IdString, json, jsonBody, notFound, ownCollective, ReasonCode, SECURITY, submitOp } from './common';

const PayoutView = z
  .object({
    id: z.string(),
    memberId: z.string(),
    amount: MoneyString,
    currency: z.string(),
    status: z.enum(['pending', 'paid', 'voided']),
    completion: z.record(z.string(), z.unknown()).nullable(),
    txId: z.string(),
    at: z.string(),
  })
  .openapi('OperatorPayout');

const listRoute = createRoute({
  method: 'get',
  path: '/payouts',
  tags: ['operator'],
  summary: 'Payouts of your collective, by id; filter by status or member',
  security: SECURITY,
  request: { query: PageQuery.extend({ status: z.enum(['pending', 'paid', 'voided']).optional(), memberId: IdString.optional() }) },
  responses: { 200: json(pageOf(PayoutView), 'A page of payouts'), ...errorResponses },
});
const requestRoute = createRoute({
  method: 'post',
  path: '/payouts',
  tags: ['operator'],
  summary: "Phase one: reserves an amount of a member's payable balance (`payouts:requestPayout`)",
  security: SECURITY,
  request: { headers: IdempotencyHeaders, body: jsonBody(z.object({ payoutId: IdString, memberId: IdString, amount: MoneyString, currency: Currency }).strict()) },
  responses: { 201: json(z.object({ payout: PayoutView, receipt: WriteReceipt }), 'Requested'), ...errorResponses },
});
const completeRoute = createRoute({
  method: 'post',
  path: '/payouts/{id}/complete',
  tags: ['operator'],
  summary: 'Phase two: marks a pending payout paid (money leaves to the bank) or voided (back to payable) (`payouts:completePayout`)',
  security: SECURITY,
  request: {
    headers: IdempotencyHeaders,
    params: z.object({ id: IdString }),
    body: jsonBody(
      z
        .object({ outcome: z.enum(['paid', 'voided']), bankReference: z.string().trim().min(1).max(200).optional(), reasonCode: ReasonCode.optional() })
        .strict()
        .superRefine((a, ctx) => {
          if (a.outcome === 'voided' && !a.reasonCode) ctx.addIssue({ code: 'custom', path: ['reasonCode'], message: 'a voided payout needs a reason code' });
        }),
    ),
  },
  responses: { 200: json(z.object({ payout: PayoutView, receipt: WriteReceipt }), 'Completed'), ...errorResponses },
});

interface PayoutRow {
  id: string;
  member_id: string;
  amount: string;
  currency: string;
  status: 'pending' | 'paid' | 'voided';
  data: PayoutRecord;
  tx_id: string;
  at: Date;
}

const view = (r: PayoutRow) => ({
  id: r.id,
  memberId: r.member_id,
  amount: r.amount,
  currency: r.currency,
  status: r.status,
  completion: (r.data.completion as Record<string, unknown> | undefined) ?? null,
  txId: r.tx_id,
  at: r.at.toISOString(),
});
const receipt = (r: { txId: string; blockNumber: bigint }) => ({ txId: r.txId, blockNumber: r.blockNumber.toString() });

/** Routes for payouts. */
export function payoutsRoutes(services: Services) {
  const { sql } = services;
  const payoutRow = async (id: string, collective: string) =>
    (await sql<PayoutRow[]>`select id, member_id, amount::text, currency, status, data, tx_id, at from rm.payouts where id = ${id} and collective_id = ${collective}`)[0];
  return newRouter()
    .openapi(listRoute, async (c) => {
      const collective = ownCollective(c);
      const { limit, cursor, status, memberId } = c.req.valid('query');
      const after = decodeCursor(cursor, 1)?.[0];
      const rows = await sql<PayoutRow[]>`select id, member_id, amount::text, currency, status, data, tx_id, at from rm.payouts
        where collective_id = ${collective}
          ${status ? sql`and status = ${status}` : sql``}
          ${memberId ? sql`and member_id = ${memberId}` : sql``}
          ${after !== undefined ? sql`and id > ${String(after)}` : sql``}
        order by id limit ${limit + 1}`;
      return c.json(toPage(rows, limit, view, (r) => [r.id]), 200);
    })
    .openapi(requestRoute, async (c) => {
      const collective = ownCollective(c);
      const body = c.req.valid('json');
      const [member] = await sql`select 1 from rm.parties where id = ${body.memberId} and collective_id = ${collective} and kind = 'member'`;
      if (!member) throw notFound('member', body.memberId, 'memberId');
      const res = await submitOp<{ payout: PayoutRecord }>(c, services, 'payouts:requestPayout', body);
      return c.json({ payout: view((await payoutRow(res.result.payout.id, collective))!), receipt: receipt(res) }, 201);
    })
    .openapi(completeRoute, async (c) => {
      const collective = ownCollective(c);
      const { id } = c.req.valid('param');
      if (!(await payoutRow(id, collective))) throw notFound('payout', id);
      const res = await submitOp<{ payout: PayoutRecord }>(c, services, 'payouts:completePayout', { payoutId: id, ...c.req.valid('json') });
      return c.json({ payout: view((await payoutRow(id, collective))!), receipt: receipt(res) }, 200);
    });
}
