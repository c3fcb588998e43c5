/**
 * Corrections: the ledger is append-only, so a mistake is undone by a reversal (the exact inverse
 * of an entry) or corrected by an adjustment (new balanced postings), each pointing at the original
 * entry and carrying a reason code. An entry can be reversed once.
 */
import { z } from 'zod';
import { formatMoney, money, parseMoney, type CurrencyCode } from '@rtl/distribution/money';
import { ACCOUNT_PATTERN } from '../accounts';
import { requireOperatorOf } from '../access';
import { LedgerContract } from '../base-contract';
import { runCommand } from '../command';
import { LedgerError } from '../errors';
import { postEntry, type Leg } from '../journal';
import type { LedgerContext } from '../ledger-context';
import type { EntryRecord, InvoiceRecord } from '../records';
import { amountOf, commandIdSchema, currencySchema, decimalAmountSchema, reasonCodeSchema, textSchema } from '../schemas';
import { mustRead, readRecord, writeRecord } from '../state';

/** Entry kinds a reversal may undo; distributions and payouts have their own corrections. */
const REVERSIBLE = new Set(['invoice', 'payment', 'income', 'adjustment']);

const reverseArgs = z.object({ commandId: commandIdSchema, entryId: z.string().regex(/^[0-9a-f]{64}$/), reasonCode: reasonCodeSchema, note: textSchema(500).optional() }).strict();
const adjustArgs = z
  .object({
    commandId: commandIdSchema,
    entryId: z.string().regex(/^[0-9a-f]{64}$/),
    reasonCode: reasonCodeSchema,
    note: textSchema(500),
    currency: currencySchema,
    postings: z.array(z.object({ account: z.string().regex(ACCOUNT_PATTERN, 'not a ledger account name'), amount: decimalAmountSchema }).strict()).min(2).max(50),
  })
  .strict();

/** Accounts an operator of a collective may touch in an adjustment: its own. */
async function ownsAccount(ctx: LedgerContext, collectiveId: string, name: string): Promise<boolean> {
  const [kind, id] = name.split(':');
  if (!id) return false;
  if (kind === 'bank' || kind === 'pool' || kind === 'billed' || kind === 'suspense' || kind === 'cmo') return id === collectiveId;
  if (kind === 'member' || kind === 'licensee') return (await readRecord<{ collectiveId: string }>(ctx, 'party', [id]))?.collectiveId === collectiveId;
  if (kind === 'dist') return (await readRecord<{ collectiveId: string }>(ctx, 'distribution', [id]))?.collectiveId === collectiveId;
  return false;
}

/** Reversals and adjustments. */
export class CorrectionsContract extends LedgerContract {
  constructor() {
    super('corrections');
  }

  /** Reverses an entry exactly; a reversed payment reopens its invoice. */
  async reverseEntry(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, reverseArgs, async (a) => {
      const original = await mustRead<EntryRecord>(ctx, 'entry', [a.entryId], 'entryId');
      await requireOperatorOf(ctx, original.collectiveId);
      if (!REVERSIBLE.has(original.kind)) throw new LedgerError('LEDGER.INVALID_STATE', `a ${original.kind} entry is corrected by adjustment, not reversal`, { field: 'entryId', kind: original.kind });
      if (original.reversalOf) throw new LedgerError('LEDGER.INVALID_STATE', 'a reversal is not reversed; post a new entry instead', { field: 'entryId' });
      const prior = await readRecord<{ reversalEntryId: string }>(ctx, 'reversal', [a.entryId]);
      if (prior) throw new LedgerError('LEDGER.ALREADY_REVERSED', `entry ${a.entryId} was already reversed by ${prior.reversalEntryId}`, { field: 'entryId', reversalEntryId: prior.reversalEntryId });
      const currency = original.postings[0]?.currency as CurrencyCode;
      const legs: Leg[] = original.postings.map((p) => ({ account: p.account, amount: -parseMoney(p.amount, p.currency).minor }));

      if (original.kind === 'invoice' || original.kind === 'payment') {
        const [type, id] = (original.ref ?? '').split('/');
        const invoiceId = type === 'invoice' ? id : (await readRecord<{ invoiceId: string }>(ctx, 'payment', [id ?? '']))?.invoiceId;
        const invoice = await mustRead<InvoiceRecord>(ctx, 'invoice', [invoiceId ?? ''], 'entryId');
        const cur = invoice.currency as CurrencyCode;
        if (original.kind === 'invoice') {
          if (amountOf(invoice.paid, cur, 'paid') !== 0n) throw new LedgerError('LEDGER.INVALID_STATE', `invoice ${invoice.id} has payments; reverse them first`, { field: 'entryId' });
          await writeRecord(ctx, 'invoice', [invoice.id], { ...invoice, status: 'cancelled' }, 'updated');
        } else {
          const paidBack = -(legs.find((l) => l.account.startsWith('bank:'))?.amount ?? 0n);
          const paid = amountOf(invoice.paid, cur, 'paid') - paidBack;
          await writeRecord(ctx, 'invoice', [invoice.id], { ...invoice, paid: formatMoney(money(paid, cur)), status: 'open' }, 'updated');
        }
      }
      const entry = await postEntry(ctx, { kind: 'reversal', collectiveId: original.collectiveId, currency, legs, reversalOf: a.entryId, reasonCode: a.reasonCode, ...(a.note && { note: a.note }), ...(original.ref && { ref: original.ref }) });
      await writeRecord(ctx, 'reversal', [a.entryId], { entryId: a.entryId, reversalEntryId: entry.id }, 'created', false);
      return { entryId: entry.id, reversalOf: a.entryId };
    });
  }

  /** Posts a balanced adjustment that refers to an original entry. */
  async postAdjustment(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, adjustArgs, async (a) => {
      const original = await mustRead<EntryRecord>(ctx, 'entry', [a.entryId], 'entryId');
      await requireOperatorOf(ctx, original.collectiveId);
      const legs: Leg[] = [];
      for (const [i, p] of a.postings.entries()) {
        if (!(await ownsAccount(ctx, original.collectiveId, p.account))) {
          throw new LedgerError('ACCESS.DENIED', `account ${p.account} does not belong to collective ${original.collectiveId}`, { field: `postings.${i}.account` });
        }
        legs.push({ account: p.account, amount: amountOf(p.amount, a.currency, `postings.${i}.amount`) });
      }
      const entry = await postEntry(ctx, { kind: 'adjustment', collectiveId: original.collectiveId, currency: a.currency, legs, adjustmentOf: a.entryId, reasonCode: a.reasonCode, note: a.note });
      return { entryId: entry.id, adjustmentOf: a.entryId };
    });
  }
}
