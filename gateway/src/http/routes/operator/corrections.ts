/**
 * Journal entries of the operator's collective, and their corrections: the ledger is append-only,
 * so a mistake is reversed (`corrections:reverseEntry`) or adjusted (`corrections:postAdjustment`),
 * each pointing at the original entry with a reason code.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { EntryRecord } from '@rtl/chaincode';
import type { Services } from '../../../services';
import { decodeCursor, errorResponses, MoneyString, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { IdempotencyHeaders, WriteReceipt } from '../../writes';
import { Currency, json, jsonBody, notFound, ownCollective, ReasonCode, SECURITY, submitOp } from './common';

const EntryId = z.string().regex(/^[0-9a-f]{64}$/, 'expected an entry id (64 hex digits)');
const Account = z.string().regex(/^(bank|licensee|billed|pool|suspense|cmo|dist|member):[A-Za-z0-9._:-]{1,200}$/, 'not a ledger account name');

const EntryView = z
  .object({
    id: z.string(),
    kind: z.string(),
    ref: z.string().nullable(),
    reversalOf: z.string().nullable(),
    adjustmentOf: z.string().nullable(),
    reasonCode: z.string().nullable(),
    note: z.string().nullable(),
    postings: z.array(z.object({ account: z.string(), currency: z.string(), amount: MoneyString })),
    at: z.string(),
  })
  .openapi('OperatorEntry');

const listRoute = createRoute({
  method: 'get',
  path: '/entries',
  tags: ['operator'],
  summary: 'Journal entries of your collective, newest first; `account` keeps those posting to one account',
  security: SECURITY,
  request: { query: PageQuery.extend({ account: Account.optional() }) },
  responses: { 200: json(pageOf(EntryView), 'A page of entries (posting amounts signed: debit positive)'), ...errorResponses },
});
const reverseRoute = createRoute({
  method: 'post',
  path: '/entries/{id}/reverse',
  tags: ['operator'],
  summary: 'Reverses an invoice, payment, income or adjustment entry exactly (`corrections:reverseEntry`)',
  security: SECURITY,
  request: { headers: IdempotencyHeaders, params: z.object({ id: EntryId }), body: jsonBody(z.object({ reasonCode: ReasonCode, note: z.string().trim().min(1).max(500).optional() }).strict()) },
  responses: { 201: json(z.object({ entryId: z.string(), reversalOf: z.string(), receipt: WriteReceipt }), 'Reversed'), ...errorResponses },
});
const adjustRoute = createRoute({
  method: 'post',
  path: '/adjustments',
  tags: ['operator'],
  summary: "Posts a balanced adjustment on your collective's accounts, pointing at an original entry (`corrections:postAdjustment`)",
  security: SECURITY,
  request: {
    headers: IdempotencyHeaders,
    body: jsonBody(
      z
        .object({
          entryId: EntryId,
          reasonCode: ReasonCode,
          note: z.string().trim().min(1).max(500),
          currency: Currency,
          postings: z.array(z.object({ account: Account, amount: MoneyString }).strict()).min(2).max(50),
        })
        .strict(),
    ),
  },
  responses: { 201: json(z.object({ entryId: z.string(), adjustmentOf: z.string(), receipt: WriteReceipt }), 'Posted'), ...errorResponses },
});

interface EntryRow {
  id: string;
  kind: string;
  ref: string | null;
  reversal_of: string | null;
  adjustment_of: string | null;
  reason_code: string | null;
  data: EntryRecord;
  at: Date;
  at_key: string;
}

const view = (r: EntryRow) => ({
  id: r.id,
  kind: r.kind,
  ref: r.ref,
  reversalOf: r.reversal_of,
  adjustmentOf: r.adjustment_of,
  reasonCode: r.reason_code,
  note: r.data.note ?? null,
  postings: r.data.postings,
  at: r.at.toISOString(),
});
const receipt = (r: { txId: string; blockNumber: bigint }) => ({ txId: r.txId, blockNumber: r.blockNumber.toString() });

/** Routes for entries, reversals and adjustments. */
export function correctionsRoutes(services: Services) {
  const { sql } = services;
  const ownEntry = async (id: string, collective: string) => (await sql`select 1 from rm.entries where id = ${id} and collective_id = ${collective}`).length > 0;
  return newRouter()
    .openapi(listRoute, async (c) => {
      const collective = ownCollective(c);
      const { limit, cursor, account } = c.req.valid('query');
      const after = decodeCursor(cursor, 2);
      // The cursor keeps the timestamp as PostgreSQL prints it (microseconds), so no row is skipped.
      const rows = await sql<EntryRow[]>`
        select e.id, e.kind, e.ref, e.reversal_of, e.adjustment_of, e.reason_code, e.data, e.at, e.at::text as at_key
        from rm.entries e
        where e.collective_id = ${collective}
          ${account ? sql`and e.id in (select p.entry_id from rm.postings p where p.account = ${account} and p.collective_id = ${collective})` : sql``}
          ${after ? sql`and (e.at, e.id) < (${String(after[0])}::timestamptz, ${String(after[1])})` : sql``}
        order by e.at desc, e.id desc limit ${limit + 1}`;
      return c.json(toPage(rows, limit, view, (r) => [r.at_key, r.id]), 200);
    })
    .openapi(reverseRoute, async (c) => {
      const collective = ownCollective(c);
      const { id } = c.req.valid('param');
      if (!(await ownEntry(id, collective))) throw notFound('entry', id);
      const res = await submitOp<{ entryId: string; reversalOf: string }>(c, services, 'corrections:reverseEntry', { entryId: id, ...c.req.valid('json') });
      return c.json({ ...res.result, receipt: receipt(res) }, 201);
    })
    .openapi(adjustRoute, async (c) => {
      const collective = ownCollective(c);
      const body = c.req.valid('json');
      if (!(await ownEntry(body.entryId, collective))) throw notFound('entry', body.entryId, 'entryId');
      const res = await submitOp<{ entryId: string; adjustmentOf: string }>(c, services, 'corrections:postAdjustment', body);
      return c.json({ ...res.result, receipt: receipt(res) }, 201);
    });
}
