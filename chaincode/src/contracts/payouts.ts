/**
 * Payouts to members in two phases: `requestPayout` moves money from the member's payable to
 * payout-pending (never more than the payable balance); `completePayout` then either pays it out
 * to the bank or voids it back to payable.
 */
import { z } from 'zod';
import { formatMoney, money, type CurrencyCode } from '@rtl/distribution/money';
import { account } from '../accounts';
import { requireOperatorOf } from '../access';
import { LedgerContract } from '../base-contract';
import { runCommand, runQuery } from '../command';
import { LedgerError } from '../errors';
import { postEntry } from '../journal';
import type { LedgerContext } from '../ledger-context';
import type { PartyRecord, PayoutRecord } from '../records';
import { amountOf, commandIdSchema, currencySchema, decimalAmountSchema, idSchema, reasonCodeSchema, textSchema } from '../schemas';
import { createRecord, mustRead, txTime, writeRecord } from '../state';

const requestArgs = z.object({ commandId: commandIdSchema, payoutId: idSchema, memberId: idSchema, amount: decimalAmountSchema, currency: currencySchema }).strict();
const completeArgs = z
  .object({ commandId: commandIdSchema, payoutId: idSchema, outcome: z.enum(['paid', 'voided']), bankReference: textSchema(200).optional(), reasonCode: reasonCodeSchema.optional() })
  .strict()
  .superRefine((a, c) => {
    if (a.outcome === 'voided' && !a.reasonCode) c.addIssue({ code: 'custom', path: ['reasonCode'], message: 'a voided payout needs a reason code' });
  });

/** Member payouts. */
export class PayoutsContract extends LedgerContract {
  constructor() {
    super('payouts');
  }

  /** Phase one: reserves an amount of the member's payable balance for payment. */
  async requestPayout(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, requestArgs, async (a) => {
      const member = await mustRead<PartyRecord>(ctx, 'party', [a.memberId], 'memberId');
      if (member.kind !== 'member') throw new LedgerError('VALIDATION.INVALID_ARGUMENT', `party ${a.memberId} is not a member`, { field: 'memberId' });
      await requireOperatorOf(ctx, member.collectiveId);
      const cur: CurrencyCode = a.currency;
      const amount = amountOf(a.amount, cur, 'amount', { positive: true });
      // postEntry guards the payable account: the request fails if it exceeds the balance.
      const entry = await postEntry(ctx, {
        kind: 'payout-request',
        collectiveId: member.collectiveId,
        currency: cur,
        ref: `payout/${a.payoutId}`,
        legs: [
          { account: account.payable(a.memberId), amount },
          { account: account.payoutPending(a.memberId), amount: -amount },
        ],
      });
      const payout: PayoutRecord = {
        id: a.payoutId,
        collectiveId: member.collectiveId,
        memberId: a.memberId,
        amount: formatMoney(money(amount, cur)),
        currency: cur,
        status: 'pending',
        requestEntryId: entry.id,
        txId: ctx.stub.getTxID(),
        at: txTime(ctx),
      };
      await createRecord(ctx, 'payout', [a.payoutId], payout, 'payoutId');
      return { payout, entryId: entry.id };
    });
  }

  /** Phase two: marks a pending payout paid (money leaves to the bank) or voided (back to payable). */
  async completePayout(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, completeArgs, async (a) => {
      const payout = await mustRead<PayoutRecord>(ctx, 'payout', [a.payoutId], 'payoutId');
      await requireOperatorOf(ctx, payout.collectiveId);
      if (payout.status !== 'pending') throw new LedgerError('LEDGER.INVALID_STATE', `payout ${a.payoutId} is already ${payout.status}`, { field: 'payoutId' });
      const cur = payout.currency as CurrencyCode;
      const amount = amountOf(payout.amount, cur, 'amount');
      const pending = account.payoutPending(payout.memberId);
      const target = a.outcome === 'paid' ? account.bank(payout.collectiveId) : account.payable(payout.memberId);
      const entry = await postEntry(ctx, {
        kind: a.outcome === 'paid' ? 'payout-paid' : 'payout-voided',
        collectiveId: payout.collectiveId,
        currency: cur,
        ref: `payout/${a.payoutId}`,
        ...(a.reasonCode && { reasonCode: a.reasonCode }),
        // The pending payout record is the proof that payout-pending holds this amount.
        preChecked: [pending],
        legs: [
          { account: pending, amount },
          { account: target, amount: -amount },
        ],
      });
      const updated: PayoutRecord = {
        ...payout,
        status: a.outcome,
        completion: { txId: ctx.stub.getTxID(), at: txTime(ctx), entryId: entry.id, ...(a.bankReference && { bankReference: a.bankReference }), ...(a.reasonCode && { reasonCode: a.reasonCode }) },
      };
      await writeRecord(ctx, 'payout', [a.payoutId], updated, 'updated');
      return { payout: updated, entryId: entry.id };
    });
  }

  /** A payout by id. */
  async getPayout(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runQuery(ctx, argsJson, z.object({ payoutId: idSchema }).strict(), (a) => mustRead<PayoutRecord>(ctx, 'payout', [a.payoutId], 'payoutId'));
  }
}
