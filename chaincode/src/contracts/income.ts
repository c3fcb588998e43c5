/**
 * Income: invoices to licensees and their payments, and direct income, posted as balanced entries.
 * An invoice puts the amount on the licensee's receivable against the pool's billed account; the
 * payment moves it to the bank and into the pool, which is then distributable. Direct income (e.g.
 * from a foreign society) goes straight from the bank into the pool. Income writes are blind: they
 * read only their own command and invoice keys, so concurrent income into one pool never conflicts.
 */
import { z } from 'zod';
import { formatMoney, money } from '@rtl/distribution/money';
import { account } from '../accounts';
import { requireOperatorOf, requirePartyOf } from '../access';
import { LedgerContract } from '../base-contract';
import { runCommand, runQuery } from '../command';
import { LedgerError } from '../errors';
import { postEntry } from '../journal';
import type { LedgerContext } from '../ledger-context';
import type { InvoiceRecord, LicenceRecord } from '../records';
import { amountOf, commandIdSchema, currencySchema, dateSchema, decimalAmountSchema, idSchema, poolSchema, textSchema } from '../schemas';
import { createRecord, mustRead, txTime, writeRecord } from '../state';

const issueInvoiceArgs = z
  .object({
    commandId: commandIdSchema,
    invoiceId: idSchema,
    licenseeId: idSchema,
    licenceId: idSchema.optional(),
    pool: poolSchema,
    amount: decimalAmountSchema,
    currency: currencySchema,
    dueDate: dateSchema.optional(),
    description: textSchema(500).optional(),
  })
  .strict();

const recordPaymentArgs = z
  .object({ commandId: commandIdSchema, paymentId: idSchema, invoiceId: idSchema, amount: decimalAmountSchema, currency: currencySchema, reference: textSchema(200).optional() })
  .strict();

const postIncomeArgs = z
  .object({
    commandId: commandIdSchema,
    incomeId: idSchema,
    collectiveId: idSchema,
    pool: poolSchema,
    amount: decimalAmountSchema,
    currency: currencySchema,
    source: z.object({ kind: z.enum(['licensee', 'society', 'other']), partyId: idSchema.optional(), reference: textSchema(200) }).strict(),
  })
  .strict();

/** Invoices, payments and direct income. */
export class IncomeContract extends LedgerContract {
  constructor() {
    super('income');
  }

  /** Invoices a licensee for a pool. */
  async issueInvoice(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, issueInvoiceArgs, async (a) => {
      const licensee = await mustRead<{ collectiveId: string }>(ctx, 'party', [a.licenseeId], 'licenseeId');
      await requireOperatorOf(ctx, licensee.collectiveId);
      await requirePartyOf(ctx, a.licenseeId, 'licensee', licensee.collectiveId, 'licenseeId');
      if (a.licenceId) {
        const licence = await mustRead<LicenceRecord>(ctx, 'licence', [a.licenceId], 'licenceId');
        if (licence.licenseeId !== a.licenseeId) throw new LedgerError('VALIDATION.INVALID_ARGUMENT', `licence ${a.licenceId} belongs to another licensee`, { field: 'licenceId' });
      }
      const amount = amountOf(a.amount, a.currency, 'amount', { positive: true });
      const c = licensee.collectiveId;
      const entry = await postEntry(ctx, {
        kind: 'invoice',
        collectiveId: c,
        currency: a.currency,
        ref: `invoice/${a.invoiceId}`,
        legs: [
          { account: account.receivable(a.licenseeId), amount },
          { account: account.billed(c, a.pool), amount: -amount },
        ],
      });
      const invoice: InvoiceRecord = {
        id: a.invoiceId,
        collectiveId: c,
        licenseeId: a.licenseeId,
        ...(a.licenceId && { licenceId: a.licenceId }),
        pool: a.pool,
        amount: formatMoney(money(amount, a.currency)),
        currency: a.currency,
        paid: formatMoney(money(0n, a.currency)),
        status: 'open',
        ...(a.dueDate && { dueDate: a.dueDate }),
        ...(a.description && { description: a.description }),
        entryId: entry.id,
        txId: ctx.stub.getTxID(),
        at: txTime(ctx),
      };
      await createRecord(ctx, 'invoice', [a.invoiceId], invoice, 'invoiceId');
      return { invoice, entryId: entry.id };
    });
  }

  /** Records a licensee's payment against an invoice; the money enters the invoice's pool. */
  async recordPayment(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, recordPaymentArgs, async (a) => {
      const invoice = await mustRead<InvoiceRecord>(ctx, 'invoice', [a.invoiceId], 'invoiceId');
      await requireOperatorOf(ctx, invoice.collectiveId);
      if (invoice.status !== 'open') throw new LedgerError('LEDGER.INVALID_STATE', `invoice ${a.invoiceId} is ${invoice.status}`, { field: 'invoiceId' });
      if (a.currency !== invoice.currency) throw new LedgerError('VALIDATION.INVALID_ARGUMENT', `invoice ${a.invoiceId} is in ${invoice.currency}`, { field: 'currency' });
      const amount = amountOf(a.amount, a.currency, 'amount', { positive: true });
      const outstanding = amountOf(invoice.amount, a.currency, 'amount') - amountOf(invoice.paid, a.currency, 'amount');
      if (amount > outstanding) {
        throw new LedgerError('LEDGER.INSUFFICIENT_FUNDS', `payment exceeds the ${formatMoney(money(outstanding, a.currency))} outstanding on invoice ${a.invoiceId}`, {
          field: 'amount',
          outstanding: formatMoney(money(outstanding, a.currency)),
        });
      }
      const c = invoice.collectiveId;
      const receivable = account.receivable(invoice.licenseeId);
      const billed = account.billed(c, invoice.pool);
      const entry = await postEntry(ctx, {
        kind: 'payment',
        collectiveId: c,
        currency: a.currency,
        ref: `payment/${a.paymentId}`,
        // The invoice's outstanding amount bounds both decreasing accounts; no scan needed.
        preChecked: [receivable, billed],
        legs: [
          { account: account.bank(c), amount },
          { account: receivable, amount: -amount },
          { account: billed, amount },
          { account: account.pool(c, invoice.pool), amount: -amount },
        ],
      });
      const paid = amountOf(invoice.paid, a.currency, 'amount') + amount;
      const updated: InvoiceRecord = { ...invoice, paid: formatMoney(money(paid, a.currency)), status: paid === amountOf(invoice.amount, a.currency, 'amount') ? 'paid' : 'open' };
      const payment = { id: a.paymentId, invoiceId: a.invoiceId, collectiveId: c, licenseeId: invoice.licenseeId, pool: invoice.pool, amount: formatMoney(money(amount, a.currency)), currency: a.currency, ...(a.reference && { reference: a.reference }), entryId: entry.id, txId: ctx.stub.getTxID(), at: txTime(ctx) };
      await createRecord(ctx, 'payment', [a.paymentId], payment, 'paymentId');
      await writeRecord(ctx, 'invoice', [a.invoiceId], updated, 'updated');
      return { payment, invoice: updated, entryId: entry.id };
    });
  }

  /** Posts income received without an invoice (e.g. from a foreign society) into a pool. */
  async postIncome(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, postIncomeArgs, async (a) => {
      await requireOperatorOf(ctx, a.collectiveId);
      if (a.source.kind === 'licensee') {
        if (!a.source.partyId) throw new LedgerError('VALIDATION.INVALID_ARGUMENT', 'income from a licensee names the licensee', { field: 'source.partyId' });
        await requirePartyOf(ctx, a.source.partyId, 'licensee', a.collectiveId, 'source.partyId');
      }
      const amount = amountOf(a.amount, a.currency, 'amount', { positive: true });
      const entry = await postEntry(ctx, {
        kind: 'income',
        collectiveId: a.collectiveId,
        currency: a.currency,
        ref: `income/${a.incomeId}`,
        legs: [
          { account: account.bank(a.collectiveId), amount },
          { account: account.pool(a.collectiveId, a.pool), amount: -amount },
        ],
      });
      const income = { id: a.incomeId, collectiveId: a.collectiveId, pool: a.pool, amount: formatMoney(money(amount, a.currency)), currency: a.currency, source: a.source, entryId: entry.id, txId: ctx.stub.getTxID(), at: txTime(ctx) };
      await createRecord(ctx, 'income', [a.incomeId], income, 'incomeId');
      return { income, entryId: entry.id };
    });
  }

  /** An invoice by id. */
  async getInvoice(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runQuery(ctx, argsJson, z.object({ invoiceId: idSchema }).strict(), (a) => mustRead<InvoiceRecord>(ctx, 'invoice', [a.invoiceId], 'invoiceId'));
  }
}
