/**
 * A licensee's own invoices (amount, paid and outstanding as exact decimal strings computed in
 * PostgreSQL `numeric`) and paying one: `income:recordPayment` with a payment id derived from the
 * Idempotency-Key, so a retried request is the same payment and never a second one.
 */
import { createHash } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { InvoiceRecord } from '@rtl/chaincode';
import { CURRENCY_CODES } from '@rtl/distribution/money';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { decodeCursor, errorResponses, MoneyString, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { ledgerIdentityFor } from '../../../auth/identity';
import { commandIdOf, IdempotencyHeaders, submitAndWait, WriteReceipt } from '../../writes';
import { licenseeOf } from './caller';

const InvoiceView = z
  .object({
    id: z.string(),
    collectiveId: z.string(),
    licenceId: z.string().nullable(),
    pool: z.object({ rightType: z.string(), useType: z.string(), period: z.string() }),
    amount: MoneyString,
    paid: MoneyString,
    outstanding: MoneyString,
    currency: z.string(),
    status: z.enum(['open', 'paid', 'cancelled']),
    dueDate: z.string().nullable(),
    description: z.string().nullable(),
    issuedAt: z.string(),
  })
  .openapi('LicenseeInvoice');

const PaymentBody = z
  .object({
    amount: MoneyString,
    currency: z.enum(CURRENCY_CODES),
    reference: z.string().trim().min(1).max(200).optional().openapi({ example: 'bank transfer 2026-10-02 #4471' }),
  })
  .strict();

const PaymentView = z
  .object({ id: z.string(), invoiceId: z.string(), amount: MoneyString, currency: z.string(), reference: z.string().nullable(), at: z.string() })
  .openapi('LicenseePayment');

interface InvoiceRow {
  id: string;
  amount: string;
  paid: string;
  outstanding: string;
  status: InvoiceRecord['status'];
  data: InvoiceRecord;
}

function invoiceView(r: InvoiceRow): z.infer<typeof InvoiceView> {
  const i = r.data;
  return {
    id: r.id,
    collectiveId: i.collectiveId,
    licenceId: i.licenceId ?? null,
    pool: { rightType: i.pool.rightType, useType: i.pool.useType, period: i.pool.period },
    amount: r.amount,
    paid: r.paid,
    outstanding: r.outstanding,
    currency: i.currency,
    status: r.status,
    dueDate: i.dueDate ?? null,
    description: i.description ?? null,
    issuedAt: i.at,
  };
}

const listRoute = createRoute({
  method: 'get',
  path: '/invoices',
  tags: ['licensee'],
  summary: 'Your invoices: amount, paid and outstanding (exact decimal strings), status and pool',
  request: { query: PageQuery },
  responses: { 200: { description: 'A page of invoices, by id', content: { 'application/json': { schema: pageOf(InvoiceView) } } }, ...errorResponses },
});

const payRoute = createRoute({
  method: 'post',
  path: '/invoices/{id}/payments',
  tags: ['licensee'],
  summary: 'Record a payment against one of your invoices (the Idempotency-Key fixes the payment id)',
  request: {
    params: z.object({ id: z.string().min(1).max(64) }),
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: PaymentBody } } },
  },
  responses: {
    201: { description: 'The payment and the updated invoice', content: { 'application/json': { schema: z.object({ payment: PaymentView, invoice: InvoiceView }).merge(WriteReceipt) } } },
    ...errorResponses,
  },
});

/** The payment id of a request: the same caller-scoped Idempotency-Key always yields the same id. */
export function paymentIdOf(commandId: string): string {
  return `PAY-${createHash('sha256').update(commandId).digest('hex').slice(0, 24)}`;
}

/** `GET /invoices` and `POST /invoices/{id}/payments`. */
export function invoiceRoutes(services: Services) {
  const { sql } = services;
  const invoiceRow = async (id: string, partyId: string) =>
    (
      await sql<InvoiceRow[]>`
        select id, amount::text as amount, paid::text as paid, (amount - paid)::text as outstanding, status, data
        from rm.invoices where id = ${id} and licensee_id = ${partyId}`
    )[0];
  return newRouter()
    .openapi(listRoute, async (c) => {
      const me = licenseeOf(c.var.user);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor, 1);
      const rows = await sql<InvoiceRow[]>`
        select id, amount::text as amount, paid::text as paid, (amount - paid)::text as outstanding, status, data
        from rm.invoices
        where licensee_id = ${me.partyId} ${after ? sql`and id > ${String(after[0])}` : sql``}
        order by id limit ${limit + 1}`;
      return c.json(toPage(rows, limit, invoiceView, (r) => [r.id]), 200);
    })
    .openapi(payRoute, async (c) => {
      const me = licenseeOf(c.var.user);
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const paymentId = paymentIdOf(commandIdOf(c));
      // Checked before the ledger is asked: another licensee's invoice is simply not found.
      if (!(await invoiceRow(id, me.partyId))) throw new HttpError('NOT_FOUND', `no invoice ${id} of yours`, { field: 'id' });
      c.set('auditAction', 'licensee.invoice.pay');
      c.set('auditTarget', `invoice:${id}`);
      const res = await submitAndWait<{ txId: string; payment: { id: string; amount: string; currency: string; reference?: string; at: string } }>(services, ledgerIdentityFor(me.user), 'income:recordPayment', {
        commandId: commandIdOf(c),
        paymentId,
        invoiceId: id,
        amount: body.amount,
        currency: body.currency,
        ...(body.reference && { reference: body.reference }),
      });
      const txId = res.txId;
      c.set('txId', txId);
      const blockNumber = res.blockNumber.toString();
      const p = res.result.payment;
      const updated = await invoiceRow(id, me.partyId);
      if (!updated) throw new HttpError('NOT_FOUND', `no invoice ${id} of yours`, { field: 'id' });
      return c.json(
        {
          payment: { id: p.id, invoiceId: id, amount: p.amount, currency: p.currency, reference: p.reference ?? null, at: p.at },
          invoice: invoiceView(updated),
          txId,
          blockNumber,
        },
        201,
      );
    });
}
