/**
 * Parties: collectives (each bound to one organisation's MSP), their members (rights holders) and
 * licensees. The regulator is fixed by configuration and is never registered.
 */
import { z } from 'zod';
import { caller, requireOperatorOf } from '../access';
import { LedgerContract } from '../base-contract';
import { runCommand, runQuery } from '../command';
import { chaincodeConfig } from '../config';
import { LedgerError } from '../errors';
import type { LedgerContext } from '../ledger-context';
import type { CollectiveRecord, PartyRecord } from '../records';
import { commandIdSchema, hexDigestSchema, idSchema, ipiSchema, textSchema } from '../schemas';
import { createRecord, mustRead, readRecord, txTime, writeRecord } from '../state';

const registerCollectiveArgs = z
  .object({ commandId: commandIdSchema, collectiveId: idSchema, name: textSchema(200), country: z.string().regex(/^[A-Z]{2}$/) })
  .strict();

const registerPartyArgs = z
  .object({
    commandId: commandIdSchema,
    partyId: idSchema,
    collectiveId: idSchema,
    kind: z.enum(['member', 'licensee']),
    name: textSchema(200),
    memberType: z.enum(['author', 'composer', 'author_composer', 'publisher', 'producer', 'performer']).optional(),
    ipiNameNumber: ipiSchema.optional(),
    licenseeType: z.enum(['ktv', 'background_music', 'broadcaster', 'streaming', 'live', 'cinema', 'other']).optional(),
    personalDataHash: hexDigestSchema.optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.kind === 'member' && !a.memberType) ctx.addIssue({ code: 'custom', path: ['memberType'], message: 'a member needs a memberType' });
    if (a.kind === 'licensee' && !a.licenseeType) ctx.addIssue({ code: 'custom', path: ['licenseeType'], message: 'a licensee needs a licenseeType' });
    if (a.kind === 'licensee' && a.ipiNameNumber) ctx.addIssue({ code: 'custom', path: ['ipiNameNumber'], message: 'licensees have no IPI number' });
  });

const getPartyArgs = z.object({ partyId: idSchema }).strict();

/** Registration and lookup of collectives, members and licensees. */
export class PartiesContract extends LedgerContract {
  constructor() {
    super('parties');
  }

  /** Registers the caller's organisation as a collective (one collective per organisation). */
  async registerCollective(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, registerCollectiveArgs, async (a) => {
      const who = await caller(ctx);
      if (who.role !== 'operator' || who.mspId === chaincodeConfig().regulatorMspId) {
        throw new LedgerError('ACCESS.DENIED', 'only an operator of a collective organisation may register its collective', { role: who.role });
      }
      if (who.collectiveId) {
        throw new LedgerError('ALREADY_EXISTS', `organisation ${who.mspId} already operates collective ${who.collectiveId}`, { field: 'collectiveId' });
      }
      const record: CollectiveRecord = {
        id: a.collectiveId,
        kind: 'collective',
        name: a.name,
        mspId: who.mspId,
        country: a.country,
        collectiveId: a.collectiveId,
        txId: ctx.stub.getTxID(),
        at: txTime(ctx),
      };
      await createRecord(ctx, 'party', [a.collectiveId], record, 'collectiveId');
      await writeRecord(ctx, 'msp', [who.mspId], { mspId: who.mspId, collectiveId: a.collectiveId }, 'created', false);
      return { collective: record };
    });
  }

  /** Registers a member or licensee of the caller's collective. */
  async registerParty(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, registerPartyArgs, async (a) => {
      await requireOperatorOf(ctx, a.collectiveId);
      const record: PartyRecord = {
        id: a.partyId,
        kind: a.kind,
        name: a.name,
        collectiveId: a.collectiveId,
        ...(a.memberType && { memberType: a.memberType }),
        ...(a.ipiNameNumber && { ipiNameNumber: a.ipiNameNumber }),
        ...(a.licenseeType && { licenseeType: a.licenseeType }),
        ...(a.personalDataHash && { personalDataHash: a.personalDataHash }),
        txId: ctx.stub.getTxID(),
        at: txTime(ctx),
      };
      await createRecord(ctx, 'party', [a.partyId], record, 'partyId');
      return { party: record };
    });
  }

  /** A party by id. */
  async getParty(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runQuery(ctx, argsJson, getPartyArgs, (a) => mustRead<PartyRecord>(ctx, 'party', [a.partyId], 'partyId'));
  }

  /** The regulator's organisation and the collective bound to the caller's organisation, if any. */
  async whoAmI(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runQuery(ctx, argsJson, z.object({}).strict(), async () => {
      const who = await caller(ctx);
      const collective = who.collectiveId ? await readRecord<CollectiveRecord>(ctx, 'party', [who.collectiveId]) : undefined;
      return { ...who, regulatorMspId: chaincodeConfig().regulatorMspId, ...(collective && { collective }) };
    });
  }
}
