/**
 * Repertoire: works with their creators and versioned shares per right type, and recordings
 * linked to works. Shares of a right type total at most 100 %; the rest is recorded as unclaimed.
 */
import Decimal from 'decimal.js';
import { z } from 'zod';
import { requireOperatorOf } from '../access';
import { LedgerContract } from '../base-contract';
import { runCommand, runQuery } from '../command';
import { LedgerError } from '../errors';
import type { LedgerContext } from '../ledger-context';
import type { PartyRecord, RecordingRecord, RightType, ShareLine, ShareVersion, WorkRecord } from '../records';
import {
  commandIdSchema,
  dateSchema,
  idSchema,
  ipiSchema,
  isrcSchema,
  iswcSchema,
  normaliseIsrc,
  normaliseIswc,
  rightTypeSchema,
  textSchema,
} from '../schemas';
import { createRecord, mustRead, readRecord, scanRecords, txDate, txTime, writeRecord } from '../state';

const shareLineSchema = z.object({ partyId: idSchema, share: z.string().regex(/^\d{1,3}(\.\d{1,4})?$/, 'expected a percentage with at most 4 decimals') }).strict();
const sharesSchema = z.array(shareLineSchema).max(50);

const workSchema = z
  .object({
    workId: idSchema,
    iswc: iswcSchema.optional(),
    title: textSchema(300),
    alternateTitles: z.array(textSchema(300)).max(20).default([]),
    creators: z
      .array(z.object({ name: textSchema(200), role: z.enum(['composer', 'author', 'author_composer', 'arranger', 'translator', 'publisher', 'sub_publisher']), partyId: idSchema.optional(), ipiNameNumber: ipiSchema.optional() }).strict())
      .min(1)
      .max(30),
    shares: z.object({ performing: sharesSchema.optional(), mechanical: sharesSchema.optional() }).strict(),
    effectiveFrom: dateSchema,
  })
  .strict();

const registerWorksArgs = z.object({ commandId: commandIdSchema, collectiveId: idSchema, works: z.array(workSchema).min(1).max(200) }).strict();
const setSharesArgs = z
  .object({ commandId: commandIdSchema, workId: idSchema, rightType: rightTypeSchema, effectiveFrom: dateSchema, shares: sharesSchema })
  .strict();
const recordingSchema = z.object({ isrc: isrcSchema, workId: idSchema, title: textSchema(300), artist: textSchema(200).optional() }).strict();
const registerRecordingsArgs = z.object({ commandId: commandIdSchema, collectiveId: idSchema, recordings: z.array(recordingSchema).min(1).max(500) }).strict();
const getWorkArgs = z.object({ workId: idSchema, asOf: dateSchema.optional() }).strict();
const byIswcArgs = z.object({ iswc: iswcSchema }).strict();
const byIsrcArgs = z.object({ isrc: isrcSchema }).strict();

const HUNDRED = new Decimal(100);

/** Validates a share set and returns it in canonical order with the unclaimed remainder. */
async function checkShares(ctx: LedgerContext, lines: ShareLine[], field: string): Promise<{ shares: ShareLine[]; unclaimed: string }> {
  const seen = new Set<string>();
  let total = new Decimal(0);
  for (const [i, line] of lines.entries()) {
    if (seen.has(line.partyId)) throw new LedgerError('VALIDATION.INVALID_ARGUMENT', `party ${line.partyId} appears twice`, { field: `${field}.${i}.partyId` });
    seen.add(line.partyId);
    const share = new Decimal(line.share);
    if (share.lte(0) || share.gt(HUNDRED)) throw new LedgerError('VALIDATION.INVALID_ARGUMENT', 'a share is above 0 and at most 100', { field: `${field}.${i}.share` });
    const party = await mustRead<PartyRecord>(ctx, 'party', [line.partyId], `${field}.${i}.partyId`);
    if (party.kind !== 'member') throw new LedgerError('VALIDATION.INVALID_ARGUMENT', `party ${line.partyId} is not a member`, { field: `${field}.${i}.partyId` });
    total = total.plus(share);
  }
  if (total.gt(HUNDRED)) throw new LedgerError('SHARES.OVER_100', `shares total ${total.toFixed()} %, above 100 %`, { field, total: total.toFixed(4) });
  const shares = lines.map((l) => ({ partyId: l.partyId, share: new Decimal(l.share).toFixed(4) })).sort((a, b) => (a.partyId < b.partyId ? -1 : a.partyId > b.partyId ? 1 : 0));
  return { shares, unclaimed: HUNDRED.minus(total).toFixed(4) };
}

async function writeShares(ctx: LedgerContext, workId: string, rightType: RightType, effectiveFrom: string, lines: ShareLine[], field: string): Promise<ShareVersion> {
  const { shares, unclaimed } = await checkShares(ctx, lines, field);
  if (await readRecord(ctx, 'share', [workId, rightType, effectiveFrom])) {
    throw new LedgerError('ALREADY_EXISTS', `work ${workId} already has ${rightType} shares effective ${effectiveFrom}`, { field: 'effectiveFrom' });
  }
  const version: ShareVersion = { workId, rightType, effectiveFrom, shares, unclaimed, txId: ctx.stub.getTxID(), at: txTime(ctx) };
  await writeRecord(ctx, 'share', [workId, rightType, effectiveFrom], version);
  return version;
}

/** The share version in force on a date (the latest effective on or before it). */
async function sharesAsOf(ctx: LedgerContext, workId: string, rightType: RightType, date: string): Promise<{ current?: ShareVersion; versions: ShareVersion[] }> {
  const versions = (await scanRecords<ShareVersion>(ctx, 'share', [workId, rightType])).map((r) => r.value);
  const current = versions.filter((v) => v.effectiveFrom <= date).at(-1);
  return current ? { current, versions } : { versions };
}

/** Works, shares and recordings. */
export class RepertoireContract extends LedgerContract {
  constructor() {
    super('repertoire');
  }

  /** Registers up to 200 works of the caller's collective with their initial shares. */
  async registerWorks(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, registerWorksArgs, async (a) => {
      await requireOperatorOf(ctx, a.collectiveId);
      const ids = new Set<string>();
      const out: string[] = [];
      for (const [i, w] of a.works.entries()) {
        const field = `works.${i}`;
        if (ids.has(w.workId)) throw new LedgerError('VALIDATION.INVALID_ARGUMENT', `work ${w.workId} appears twice`, { field: `${field}.workId` });
        ids.add(w.workId);
        for (const [j, c] of w.creators.entries()) {
          if (c.partyId) await mustRead<PartyRecord>(ctx, 'party', [c.partyId], `${field}.creators.${j}.partyId`);
        }
        const iswc = w.iswc ? normaliseIswc(w.iswc) : undefined;
        if (iswc) {
          const holder = await readRecord<{ workId: string }>(ctx, 'iswc', [iswc]);
          if (holder) throw new LedgerError('ALREADY_EXISTS', `ISWC ${iswc} is already registered to work ${holder.workId}`, { field: `${field}.iswc` });
          await writeRecord(ctx, 'iswc', [iswc], { workId: w.workId }, 'created', false);
        }
        const work: WorkRecord = {
          id: w.workId,
          collectiveId: a.collectiveId,
          ...(iswc && { iswc }),
          title: w.title,
          alternateTitles: w.alternateTitles,
          creators: w.creators.map((c) => ({ name: c.name, role: c.role, ...(c.partyId && { partyId: c.partyId }), ...(c.ipiNameNumber && { ipiNameNumber: c.ipiNameNumber }) })),
          txId: ctx.stub.getTxID(),
          at: txTime(ctx),
        };
        await createRecord(ctx, 'work', [w.workId], work, `${field}.workId`);
        for (const right of ['performing', 'mechanical'] as const) {
          const lines = w.shares[right];
          if (lines) await writeShares(ctx, w.workId, right, w.effectiveFrom, lines, `${field}.shares.${right}`);
        }
        out.push(w.workId);
      }
      return { workIds: out };
    });
  }

  /** Records a new version of a work's shares for a right type, effective from a date. */
  async setShares(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, setSharesArgs, async (a) => {
      const work = await mustRead<WorkRecord>(ctx, 'work', [a.workId], 'workId');
      await requireOperatorOf(ctx, work.collectiveId);
      const version = await writeShares(ctx, a.workId, a.rightType, a.effectiveFrom, a.shares, 'shares');
      return { shares: version };
    });
  }

  /** Registers recordings (ISRC) and links each to a work. */
  async registerRecordings(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, registerRecordingsArgs, async (a) => {
      await requireOperatorOf(ctx, a.collectiveId);
      const isrcs: string[] = [];
      for (const [i, r] of a.recordings.entries()) {
        await mustRead<WorkRecord>(ctx, 'work', [r.workId], `recordings.${i}.workId`);
        const isrc = normaliseIsrc(r.isrc);
        const rec: RecordingRecord = { isrc, workId: r.workId, collectiveId: a.collectiveId, title: r.title, ...(r.artist && { artist: r.artist }), txId: ctx.stub.getTxID(), at: txTime(ctx) };
        await createRecord(ctx, 'recording', [isrc], rec, `recordings.${i}.isrc`);
        isrcs.push(isrc);
      }
      return { isrcs };
    });
  }

  /** A work with the shares in force on `asOf` (default: the transaction date) and all versions. */
  async getWork(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runQuery(ctx, argsJson, getWorkArgs, async (a) => {
      const work = await mustRead<WorkRecord>(ctx, 'work', [a.workId], 'workId');
      const date = a.asOf ?? txDate(ctx);
      return { work, asOf: date, performing: await sharesAsOf(ctx, a.workId, 'performing', date), mechanical: await sharesAsOf(ctx, a.workId, 'mechanical', date) };
    });
  }

  /** The work registered under an ISWC. */
  async getWorkByIswc(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runQuery(ctx, argsJson, byIswcArgs, async (a) => {
      const link = await mustRead<{ workId: string }>(ctx, 'iswc', [normaliseIswc(a.iswc)], 'iswc');
      return mustRead<WorkRecord>(ctx, 'work', [link.workId], 'iswc');
    });
  }

  /** A recording by ISRC. */
  async getRecording(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runQuery(ctx, argsJson, byIsrcArgs, (a) => mustRead<RecordingRecord>(ctx, 'recording', [normaliseIsrc(a.isrc)], 'isrc'));
  }
}
