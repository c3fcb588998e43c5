/**
 * Income of the operator's collective: invoices to licensees, their payments, and direct income
 * (e.g. remittances from sister societies), each posted by the ledger as a balanced entry; and the
 * lists of each from the read model. Money stays a decimal string (`numeric::text`) end to end.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { InvoiceRecord } from '@rtl/chaincode';
import type { Services } from '../../../services';
import { decodeCursor, errorResponses, MoneyString, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { IdempotencyHeaders, WriteReceipt } from '../../writes';
import { Currency, DateString, IdString, json, jsonBody, notFound, OptionalCollective, ownCollective, Pool, SECURITY, submitOp } from './common';

const InvoiceView = z
  .object({
    id: z.string(),
    licenseeId: z.string(),
    licenceId: z.string().nullable(),
    pool: Pool,
    amount: MoneyString,
    paid: MoneyString,
    outstanding: MoneyString,
    currency: z.string(),
    status: z.string(),
    dueDate: z.string().nullable(),
    entryId: z.string(),
    txId: z.string(),
    at: z.string(),
  })
  .openapi('OperatorInvoice');
const PaymentView = z
  .object({ id: z.string(), invoiceId: z.string(), licenseeId: z.string(), amount: MoneyString, currency: z.string(), reference: z.string().nullable(), txId: z.string(), at: z.string() })
  .openapi('OperatorPayment');
const IncomeView = z
  .object({ id: z.string(), pool: Pool, amount: MoneyString, currency: z.string(), source: z.record(z.string(), z.unknown()), txId: z.string(), at: z.string() })
  .openapi('OperatorIncome');

const receipt = (r: { txId: string; blockNumber: bigint }) => ({ txId: r.txId, blockNumber: r.blockNumber.toString() });

const listInvoices = createRoute({
  method: 'get',
  path: '/invoices',
  tags: ['operator'],
  summary: 'Invoices of your collective, by id; filter by status, licensee or period',
  security: SECURITY,
  request: { query: PageQuery.extend({ status: z.enum(['open', 'paid', 'cancelled']).optional(), licenseeId: IdString.optional(), period: z.string().max(16).optional() }) },
  responses: { 200: json(pageOf(InvoiceView), 'A page of invoices'), ...errorResponses },
});
const issueInvoice = createRoute({
  method: 'post',
  path: '/invoices',
  tags: ['operator'],
  summary: 'Invoices a licensee for a pool (`income:issueInvoice`)',
  security: SECURITY,
  request: {
    headers: IdempotencyHeaders,
    body: jsonBody(
      z
        .object({
          invoiceId: IdString,
          licenseeId: IdString,
          licenceId: IdString.optional(),
          pool: Pool,
          amount: MoneyString,
          currency: Currency,
          dueDate: DateString.optional(),
          description: z.string().trim().min(1).max(500).optional(),
        })
        .strict(),
    ),
  },
  responses: { 201: json(z.object({ invoice: InvoiceView, receipt: WriteReceipt }), 'Issued'), ...errorResponses },
});
const listPayments = createRoute({
  method: 'get',
  path: '/payments',
  tags: ['operator'],
  summary: 'Payments received by your collective, by id; filter by invoice',
  security: SECURITY,
  request: { query: PageQuery.extend({ invoiceId: IdString.optional() }) },
  responses: { 200: json(pageOf(PaymentView), 'A page of payments'), ...errorResponses },
});
const recordPayment = createRoute({
  method: 'post',
  path: '/payments',
  tags: ['operator'],
  summary: "Records a licensee's payment against an invoice; the money enters the invoice's pool (`income:recordPayment`)",
  security: SECURITY,
  request: {
    headers: IdempotencyHeaders,
    body: jsonBody(z.object({ paymentId: IdString, invoiceId: IdString, amount: MoneyString, currency: Currency, reference: z.string().trim().min(1).max(200).optional() }).strict()),
  },
  responses: { 201: json(z.object({ payment: PaymentView, invoice: InvoiceView, receipt: WriteReceipt }), 'Recorded'), ...errorResponses },
});
const listIncome = createRoute({
  method: 'get',
  path: '/income',
  tags: ['operator'],
  summary: 'Direct income of your collective, by id',
  security: SECURITY,
  request: { query: PageQuery },
  responses: { 200: json(pageOf(IncomeView), 'A page of income records'), ...errorResponses },
});
const postIncome = createRoute({
  method: 'post',
  path: '/income',
  tags: ['operator'],
  summary: 'Posts income received without an invoice into a pool (`income:postIncome`)',
  security: SECURITY,
  request: {
    headers: IdempotencyHeaders,
    body: jsonBody(
      OptionalCollective.extend({
        incomeId: IdString,
        pool: Pool,
        amount: MoneyString,
        currency: Currency,
        source: z.object({ kind: z.enum(['licensee', 'society', 'other']), partyId: IdString.optional(), reference: z.string().trim().min(1).max(200) }).strict(),
      }).strict(),
    ),
  },
  responses: { 201: json(z.object({ income: IncomeView, receipt: WriteReceipt }), 'Posted'), ...errorResponses },
});

interface InvoiceRow {
  id: string;
  licensee_id: string;
  right_type: string;
  use_type: string;
  period: string;
  amount: string;
  paid: string;
  outstanding: string;
  currency: string;
  status: string;
  data: InvoiceRecord;
  tx_id: string;
  at: Date;
}
interface PaymentRow {
  id: string;
  invoice_id: string;
  licensee_id: string;
  amount: string;
  currency: string;
  data: { reference?: string };
  tx_id: string;
  at: Date;
}
interface IncomeRow {
  id: string;
  right_type: string;
  use_type: string;
  period: string;
  amount: string;
  currency: string;
  data: { source: Record<string, unknown> };
  tx_id: string;
  at: Date;
}

const pool = (r: { right_type: string; use_type: string; period: string }) => ({ rightType: r.right_type as 'performing' | 'mechanical', useType: r.use_type, period: r.period });
const invoiceView = (r: InvoiceRow) => ({
  id: r.id,
  licenseeId: r.licensee_id,
  licenceId: r.data.licenceId ?? null,
  pool: pool(r),
  amount: r.amount,
  paid: r.paid,
  outstanding: r.outstanding,
  currency: r.currency,
  status: r.status,
  dueDate: r.data.dueDate ?? null,
  entryId: r.data.entryId,
  txId: r.tx_id,
  at: r.at.toISOString(),
});
const paymentView = (r: PaymentRow) => ({ id: r.id, invoiceId: r.invoice_id, licenseeId: r.licensee_id, amount: r.amount, currency: r.currency, reference: r.data.reference ?? null, txId: r.tx_id, at: r.at.toISOString() });
const incomeView = (r: IncomeRow) => ({ id: r.id, pool: pool(r), amount: r.amount, currency: r.currency, source: r.data.source, txId: r.tx_id, at: r.at.toISOString() });

/** Routes for invoices, payments and direct income. */
export function incomeRoutes(services: Services) {
  const { sql } = services;
  // Money leaves PostgreSQL as text; `outstanding` is computed in numeric, never in a JS number.
  const invoiceCols = sql`id, licensee_id, right_type, use_type, period, amount::text, paid::text, (amount - paid)::text as outstanding, currency, status, data, tx_id, at`;
  const invoiceRow = async (id: string, collective: string) => (await sql<InvoiceRow[]>`select ${invoiceCols} from rm.invoices where id = ${id} and collective_id = ${collective}`)[0];
  return newRouter()
    .openapi(listInvoices, async (c) => {
      const collective = ownCollective(c);
      const { limit, cursor, status, licenseeId, period } = c.req.valid('query');
      const after = decodeCursor(cursor, 1)?.[0];
      const rows = await sql<InvoiceRow[]>`select ${invoiceCols} from rm.invoices
        where collective_id = ${collective}
          ${status ? sql`and status = ${status}` : sql``}
          ${licenseeId ? sql`and licensee_id = ${licenseeId}` : sql``}
          ${period ? sql`and period = ${period}` : sql``}
          ${after !== undefined ? sql`and id > ${String(after)}` : sql``}
        order by id limit ${limit + 1}`;
      return c.json(toPage(rows, limit, invoiceView, (r) => [r.id]), 200);
    })
    .openapi(issueInvoice, async (c) => {
      const collectiveId = ownCollective(c);
      const body = c.req.valid('json');
      const [licensee] = await sql`select 1 from rm.parties where id = ${body.licenseeId} and collective_id = ${collectiveId} and kind = 'licensee'`;
      if (!licensee) throw notFound('licensee', body.licenseeId, 'licenseeId');
      const res = await submitOp<{ invoice: InvoiceRecord }>(c, services, 'income:issueInvoice', body);
      return c.json({ invoice: invoiceView((await invoiceRow(res.result.invoice.id, collectiveId))!), receipt: receipt(res) }, 201);
    })
    .openapi(listPayments, async (c) => {
      const collective = ownCollective(c);
      const { limit, cursor, invoiceId } = c.req.valid('query');
      const after = decodeCursor(cursor, 1)?.[0];
      const rows = await sql<PaymentRow[]>`select id, invoice_id, licensee_id, amount::text, currency, data, tx_id, at from rm.payments
        where collective_id = ${collective}
          ${invoiceId ? sql`and invoice_id = ${invoiceId}` : sql``}
          ${after !== undefined ? sql`and id > ${String(after)}` : sql``}
        order by id limit ${limit + 1}`;
      return c.json(toPage(rows, limit, paymentView, (r) => [r.id]), 200);
    })
    .openapi(recordPayment, async (c) => {
      const collectiveId = ownCollective(c);
      const body = c.req.valid('json');
      if (!(await invoiceRow(body.invoiceId, collectiveId))) throw notFound('invoice', body.invoiceId, 'invoiceId');
      const res = await submitOp<{ payment: { id: string } }>(c, services, 'income:recordPayment', body);
      const [payment] = await sql<PaymentRow[]>`select id, invoice_id, licensee_id, amount::text, currency, data, tx_id, at from rm.payments where id = ${res.result.payment.id}`;
      return c.json({ payment: paymentView(payment!), invoice: invoiceView((await invoiceRow(body.invoiceId, collectiveId))!), receipt: receipt(res) }, 201);
    })
    .openapi(listIncome, async (c) => {
      const collective = ownCollective(c);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor, 1)?.[0];
      const rows = await sql<IncomeRow[]>`select id, right_type, use_type, period, amount::text, currency, data, tx_id, at from rm.income
        where collective_id = ${collective}
          ${after !== undefined ? sql`and id > ${String(after)}` : sql``}
        order by id limit ${limit + 1}`;
      return c.json(toPage(rows, limit, incomeView, (r) => [r.id]), 200);
    })
    .openapi(postIncome, async (c) => {
      const { collectiveId: named, ...body } = c.req.valid('json');
      const collectiveId = ownCollective(c, named);
      if (body.source.partyId) {
        const [p] = await sql`select 1 from rm.parties where id = ${body.source.partyId} and collective_id = ${collectiveId}`;
        if (!p) throw notFound('party', body.source.partyId, 'source.partyId');
      }
      const res = await submitOp<{ income: { id: string } }>(c, services, 'income:postIncome', { ...body, collectiveId });
      const [row] = await sql<IncomeRow[]>`select id, right_type, use_type, period, amount::text, currency, data, tx_id, at from rm.income where id = ${res.result.income.id}`;
      return c.json({ income: incomeView(row!), receipt: receipt(res) }, 201);
    });
}
