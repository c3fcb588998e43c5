/**
 * Distribution anchoring. A run is computed off-chain; the ledger receives its totals, input
 * digests and the Merkle root of its statement lines. `openDistribution` checks conservation
 * (gross = fee + deductions + allocated + suspense + carried forward + rounding) and that the pool
 * holds the gross, moves the gross out of the pool, and commits to the batches of per-rights-holder
 * lines by digest and total; each `postDistributionBatch` must match its commitment and credits the
 * members; `sealDistribution` closes the run once every batch is in and the clearing account is
 * empty. A run of any size thus spans a handful of transactions, each of bounded size. Afterwards,
 * `releaseCarried` moves a member's accumulated carried-forward balance to payable once it reaches
 * the run's threshold.
 */
import { z } from 'zod';
import { batchDigest, MAX_BATCH_LINES } from '@rtl/distribution/anchor';
import { formatMoney, money, type CurrencyCode } from '@rtl/distribution/money';
import { account } from '../accounts';
import { requireOperatorOf, requirePartyOf } from '../access';
import { LedgerContract } from '../base-contract';
import { runCommand, runQuery } from '../command';
import { LedgerError } from '../errors';
import { naturalBalance, postEntry, type Leg } from '../journal';
import type { LedgerContext } from '../ledger-context';
import type { DistributionRecord } from '../records';
import { amountOf, commandIdSchema, currencySchema, decimalAmountSchema, hexDigestSchema, idSchema, poolSchema } from '../schemas';
import { createRecord, mustRead, readRecord, txTime, writeRecord } from '../state';
import { releaseCarried } from './carried-release';

const batchLineSchema = z.object({ partyId: idSchema, payable: decimalAmountSchema, carried: decimalAmountSchema }).strict();

const openArgs = z
  .object({
    commandId: commandIdSchema,
    runId: idSchema,
    collectiveId: idSchema,
    pool: poolSchema,
    currency: currencySchema,
    method: z.enum(['pro_rata_points', 'per_line_amounts']),
    gross: decimalAmountSchema,
    managementFee: decimalAmountSchema,
    deductions: decimalAmountSchema,
    allocated: decimalAmountSchema,
    suspense: decimalAmountSchema,
    carriedForward: decimalAmountSchema,
    rounding: decimalAmountSchema,
    holderCount: z.number().int().min(0).max(10_000_000),
    statementLineCount: z.number().int().min(0),
    merkleRoot: hexDigestSchema,
    inputs: z.object({ usageDigest: hexDigestSchema, repertoireDigest: hexDigestSchema, parametersDigest: hexDigestSchema }).strict(),
    batches: z
      .array(z.object({ batchNo: z.number().int().min(0), lineCount: z.number().int().min(1).max(MAX_BATCH_LINES), total: decimalAmountSchema, digest: hexDigestSchema }).strict())
      .max(100_000),
  })
  .strict();

const batchArgs = z.object({ commandId: commandIdSchema, runId: idSchema, batchNo: z.number().int().min(0), lines: z.array(batchLineSchema).min(1).max(MAX_BATCH_LINES) }).strict();
const sealArgs = z.object({ commandId: commandIdSchema, runId: idSchema }).strict();
const releaseArgs = z
  .object({ commandId: commandIdSchema, claimId: idSchema, collectiveId: idSchema, pool: poolSchema, memberId: idSchema, amount: decimalAmountSchema, currency: currencySchema, note: z.string().trim().min(1).max(500).optional() })
  .strict();

/** Distribution runs on the ledger. */
export class DistributionContract extends LedgerContract {
  constructor() {
    super('distribution');
  }

  /** Opens a run: checks conservation and funds, moves the gross out of the pool, commits to the batches. */
  async openDistribution(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, openArgs, async (a) => {
      await requireOperatorOf(ctx, a.collectiveId);
      const cur: CurrencyCode = a.currency;
      const amt = (field: keyof typeof a) => amountOf(String(a[field]), cur, field, { nonNegative: true });
      const gross = amt('gross');
      const fee = amt('managementFee');
      const deductions = amt('deductions');
      const allocated = amt('allocated');
      const suspense = amt('suspense');
      const carried = amt('carriedForward');
      const rounding = amt('rounding');
      const parts = fee + deductions + allocated + suspense + carried + rounding;
      if (parts !== gross) {
        throw new LedgerError('LEDGER.NOT_CONSERVED', `fee + deductions + allocated + suspense + carried forward + rounding = ${formatMoney(money(parts, cur))}, not the gross ${formatMoney(money(gross, cur))}`, {
          field: 'gross',
          gross: formatMoney(money(gross, cur)),
          parts: formatMoney(money(parts, cur)),
        });
      }
      let batchTotal = 0n;
      let lineTotal = 0;
      for (const [i, b] of a.batches.entries()) {
        if (b.batchNo !== i) throw new LedgerError('VALIDATION.INVALID_ARGUMENT', 'batches are numbered 0, 1, 2… in order', { field: `batches.${i}.batchNo` });
        batchTotal += amountOf(b.total, cur, `batches.${i}.total`, { nonNegative: true });
        lineTotal += b.lineCount;
      }
      if (batchTotal !== allocated + carried) {
        throw new LedgerError('LEDGER.NOT_CONSERVED', `the batches total ${formatMoney(money(batchTotal, cur))}, not allocated + carried forward ${formatMoney(money(allocated + carried, cur))}`, { field: 'batches' });
      }
      if (lineTotal !== a.holderCount) throw new LedgerError('LEDGER.NOT_CONSERVED', `the batches hold ${lineTotal} lines, not holderCount ${a.holderCount}`, { field: 'holderCount' });
      const pool = account.pool(a.collectiveId, a.pool);
      const held = await naturalBalance(ctx, pool, cur);
      if (held < gross) {
        throw new LedgerError('LEDGER.INSUFFICIENT_FUNDS', `pool ${pool} holds ${formatMoney(money(held, cur))}, less than the gross ${formatMoney(money(gross, cur))}`, {
          field: 'gross',
          account: pool,
          balance: formatMoney(money(held, cur)),
        });
      }
      const legs: Leg[] = [
        { account: pool, amount: gross },
        { account: account.fees(a.collectiveId), amount: -fee },
        { account: account.deductions(a.collectiveId), amount: -deductions },
        { account: account.suspense(a.collectiveId, a.pool), amount: -suspense },
        { account: account.rounding(a.collectiveId), amount: -rounding },
        { account: account.clearing(a.runId), amount: -(allocated + carried) },
      ];
      if (await readRecord(ctx, 'distribution', [a.runId])) throw new LedgerError('ALREADY_EXISTS', `run ${a.runId} already exists`, { field: 'runId' });
      const entry = await postEntry(ctx, { kind: 'distribution', collectiveId: a.collectiveId, currency: cur, ref: `distribution/${a.runId}`, legs, preChecked: [pool] });
      const f = (v: bigint) => formatMoney(money(v, cur));
      const run: DistributionRecord = {
        id: a.runId,
        collectiveId: a.collectiveId,
        pool: a.pool,
        currency: cur,
        method: a.method,
        gross: f(gross),
        managementFee: f(fee),
        deductions: f(deductions),
        allocated: f(allocated),
        suspense: f(suspense),
        carriedForward: f(carried),
        rounding: f(rounding),
        holderCount: a.holderCount,
        statementLineCount: a.statementLineCount,
        merkleRoot: a.merkleRoot,
        inputs: a.inputs,
        batches: a.batches.map((b) => ({ ...b, total: f(amountOf(b.total, cur, 'total')) })),
        batchesPosted: 0,
        status: 'open',
        openEntryId: entry.id,
        txId: ctx.stub.getTxID(),
        at: txTime(ctx),
      };
      await createRecord(ctx, 'distribution', [a.runId], run, 'runId');
      return { run: { ...run, batches: undefined, batchCount: run.batches.length }, entryId: entry.id };
    });
  }

  /** Posts one committed batch of per-rights-holder lines: payable and carried-forward amounts. */
  async postDistributionBatch(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, batchArgs, async (a) => {
      const run = await mustRead<DistributionRecord>(ctx, 'distribution', [a.runId], 'runId');
      await requireOperatorOf(ctx, run.collectiveId);
      if (run.status !== 'open') throw new LedgerError('LEDGER.INVALID_STATE', `run ${a.runId} is ${run.status}`, { field: 'runId' });
      const declared = run.batches[a.batchNo];
      if (!declared) throw new LedgerError('NOT_FOUND', `run ${a.runId} has no batch ${a.batchNo}`, { field: 'batchNo' });
      if (await readRecord(ctx, 'distribution-batch', [a.runId, String(a.batchNo).padStart(6, '0')])) {
        throw new LedgerError('LEDGER.INVALID_STATE', `batch ${a.batchNo} of run ${a.runId} is already posted`, { field: 'batchNo' });
      }
      if (batchDigest(a.runId, a.batchNo, a.lines) !== declared.digest) {
        throw new LedgerError('LEDGER.NOT_CONSERVED', `batch ${a.batchNo} does not match the digest committed when the run was opened`, { field: 'lines' });
      }
      const cur = run.currency as CurrencyCode;
      const legs: Leg[] = [];
      let total = 0n;
      const seen = new Set<string>();
      for (const [i, line] of a.lines.entries()) {
        if (seen.has(line.partyId)) throw new LedgerError('VALIDATION.INVALID_ARGUMENT', `party ${line.partyId} appears twice`, { field: `lines.${i}.partyId` });
        seen.add(line.partyId);
        await requirePartyOf(ctx, line.partyId, 'member', run.collectiveId, `lines.${i}.partyId`);
        const payable = amountOf(line.payable, cur, `lines.${i}.payable`, { nonNegative: true });
        const carried = amountOf(line.carried, cur, `lines.${i}.carried`, { nonNegative: true });
        legs.push({ account: account.payable(line.partyId), amount: -payable }, { account: account.carried(line.partyId), amount: -carried });
        total += payable + carried;
      }
      if (total !== amountOf(declared.total, cur, 'total') || a.lines.length !== declared.lineCount) {
        throw new LedgerError('LEDGER.NOT_CONSERVED', `batch ${a.batchNo} totals ${formatMoney(money(total, cur))} in ${a.lines.length} lines, not the committed ${declared.total} in ${declared.lineCount}`, { field: 'lines' });
      }
      const clearing = account.clearing(a.runId);
      legs.push({ account: clearing, amount: total });
      // The committed batch total bounds the clearing account's decrease.
      const entry = await postEntry(ctx, { kind: 'distribution-batch', collectiveId: run.collectiveId, currency: cur, ref: `distribution/${a.runId}/${a.batchNo}`, legs, preChecked: [clearing] });
      const batch = { runId: a.runId, batchNo: a.batchNo, lineCount: a.lines.length, total: declared.total, digest: declared.digest, entryId: entry.id, txId: ctx.stub.getTxID(), at: txTime(ctx) };
      await writeRecord(ctx, 'distribution-batch', [a.runId, String(a.batchNo).padStart(6, '0')], batch);
      return { batch, entryId: entry.id };
    });
  }

  /** Seals a run once every committed batch is posted and its clearing account is empty. */
  async sealDistribution(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, sealArgs, async (a) => {
      const run = await mustRead<DistributionRecord>(ctx, 'distribution', [a.runId], 'runId');
      await requireOperatorOf(ctx, run.collectiveId);
      if (run.status !== 'open') throw new LedgerError('LEDGER.INVALID_STATE', `run ${a.runId} is ${run.status}`, { field: 'runId' });
      const missing: number[] = [];
      for (const b of run.batches) {
        if (!(await readRecord(ctx, 'distribution-batch', [a.runId, String(b.batchNo).padStart(6, '0')]))) missing.push(b.batchNo);
      }
      if (missing.length > 0) throw new LedgerError('LEDGER.INVALID_STATE', `run ${a.runId} still misses ${missing.length} batches`, { field: 'runId', missing: missing.slice(0, 20) });
      const left = await naturalBalance(ctx, account.clearing(a.runId), run.currency);
      if (left !== 0n) throw new LedgerError('LEDGER.NOT_CONSERVED', `clearing account of run ${a.runId} still holds ${formatMoney(money(left, run.currency))}`, { field: 'runId' });
      const sealed: DistributionRecord = { ...run, status: 'sealed', sealedAt: txTime(ctx), sealTxId: ctx.stub.getTxID() };
      await writeRecord(ctx, 'distribution', [a.runId], sealed, 'updated');
      return { run: { ...sealed, batches: undefined, batchCount: sealed.batches.length } };
    });
  }

  /**
   * Releases money held in a pool's suspense to a member whose claim (on an unidentified work or an
   * unclaimed share) the collective accepted. Never more than the suspense account holds.
   */
  async releaseSuspense(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, releaseArgs, async (a) => {
      await requireOperatorOf(ctx, a.collectiveId);
      await requirePartyOf(ctx, a.memberId, 'member', a.collectiveId, 'memberId');
      const amount = amountOf(a.amount, a.currency, 'amount', { positive: true });
      const entry = await postEntry(ctx, {
        kind: 'suspense-release',
        collectiveId: a.collectiveId,
        currency: a.currency,
        ref: `claim/${a.claimId}`,
        reasonCode: 'CLAIM_ACCEPTED',
        ...(a.note && { note: a.note }),
        legs: [
          { account: account.suspense(a.collectiveId, a.pool), amount },
          { account: account.payable(a.memberId), amount: -amount },
        ],
      });
      const release = { claimId: a.claimId, collectiveId: a.collectiveId, pool: a.pool, memberId: a.memberId, amount: formatMoney(money(amount, a.currency)), currency: a.currency, entryId: entry.id, txId: ctx.stub.getTxID(), at: txTime(ctx) };
      await createRecord(ctx, 'suspense-release', [a.claimId], release, 'claimId');
      return { release, entryId: entry.id };
    });
  }

  /**
   * Releases a member's carried-forward balance (all or part of it) to its payable balance once it
   * has reached the payment threshold of a sealed run of the collective (see `carried-release.ts`).
   */
  async releaseCarried(ctx: LedgerContext, argsJson: string): Promise<string> {
    return releaseCarried(ctx, argsJson);
  }

  /** A run by id, with its batch commitments. */
  async getDistribution(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runQuery(ctx, argsJson, z.object({ runId: idSchema }).strict(), (a) => mustRead<DistributionRecord>(ctx, 'distribution', [a.runId], 'runId'));
  }
}
