/**
 * Releasing carried-forward money. A run credits a member whose net is below the run's payment
 * threshold to `member:<id>:carried`; amounts accumulate there across runs, and once the balance
 * reaches the threshold of a sealed run the collective releases it to `member:<id>:payable`.
 *
 * The transaction references the run that triggered it and the threshold applied; it checks that
 * the member's carried balance has reached that threshold, and the journal's guard refuses moving
 * more than the carried balance holds. One release per run and member: a second one is
 * `ALREADY_EXISTS`, whatever its command id.
 */
import { z } from 'zod';
import { formatMoney, money, type CurrencyCode } from '@rtl/distribution/money';
import { account } from '../accounts';
import { requireOperatorOf, requirePartyOf } from '../access';
import { runCommand } from '../command';
import { LedgerError } from '../errors';
import { naturalBalance, postEntry } from '../journal';
import type { LedgerContext } from '../ledger-context';
import type { CarriedReleaseRecord, DistributionRecord } from '../records';
import { amountOf, commandIdSchema, decimalAmountSchema, idSchema } from '../schemas';
import { mustRead, readRecord, txTime, writeRecord } from '../state';

/** Arguments of `distribution:releaseCarried`; the currency and collective are the run's. */
export const releaseCarriedArgs = z
  .object({ commandId: commandIdSchema, runId: idSchema, memberId: idSchema, amount: decimalAmountSchema, threshold: decimalAmountSchema })
  .strict();

/** The key of a release: one per run and member. */
export const carriedReleaseKey = (runId: string, memberId: string): [string, string] => [runId, memberId];

/** Moves `amount` of a member's carried-forward balance to its payable balance (operator only). */
export function releaseCarried(ctx: LedgerContext, argsJson: string): Promise<string> {
  return runCommand(ctx, argsJson, releaseCarriedArgs, async (a) => {
    const run = await mustRead<DistributionRecord>(ctx, 'distribution', [a.runId], 'runId');
    await requireOperatorOf(ctx, run.collectiveId, 'runId');
    if (run.status !== 'sealed') throw new LedgerError('LEDGER.INVALID_STATE', `run ${a.runId} is ${run.status}; carried amounts are released after it is sealed`, { field: 'runId' });
    await requirePartyOf(ctx, a.memberId, 'member', run.collectiveId, 'memberId');
    const key = carriedReleaseKey(a.runId, a.memberId);
    if (await readRecord(ctx, 'carried-release', key)) {
      throw new LedgerError('ALREADY_EXISTS', `run ${a.runId} already released member ${a.memberId}'s carried-forward amount`, { field: 'memberId', type: 'carried-release', id: key.join('/') });
    }
    const cur = run.currency as CurrencyCode;
    const amount = amountOf(a.amount, cur, 'amount', { positive: true });
    const threshold = amountOf(a.threshold, cur, 'threshold', { nonNegative: true });
    const carried = account.carried(a.memberId);
    const before = await naturalBalance(ctx, carried, cur);
    if (before < threshold) {
      throw new LedgerError('LEDGER.INVALID_STATE', `member ${a.memberId} has ${formatMoney(money(before, cur))} ${cur} carried forward, below the threshold ${formatMoney(money(threshold, cur))}`, {
        field: 'threshold',
        balance: formatMoney(money(before, cur)),
        currency: cur,
      });
    }
    // The journal's guard scans the carried account and refuses an amount above its balance.
    const entry = await postEntry(ctx, {
      kind: 'carried-release',
      collectiveId: run.collectiveId,
      currency: cur,
      ref: `carried-release/${a.runId}/${a.memberId}`,
      legs: [
        { account: carried, amount },
        { account: account.payable(a.memberId), amount: -amount },
      ],
      fields: { [carried]: 'amount' },
    });
    const f = (v: bigint) => formatMoney(money(v, cur));
    const release: CarriedReleaseRecord = {
      runId: a.runId,
      collectiveId: run.collectiveId,
      memberId: a.memberId,
      amount: f(amount),
      currency: cur,
      threshold: f(threshold),
      carriedBefore: f(before),
      entryId: entry.id,
      txId: ctx.stub.getTxID(),
      at: txTime(ctx),
    };
    await writeRecord(ctx, 'carried-release', key, release, 'created');
    return { release, entryId: entry.id };
  });
}
