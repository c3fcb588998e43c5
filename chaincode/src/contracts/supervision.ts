/**
 * Supervision records: complaints from members and licensees about a collective, with the
 * regulator's investigation clock (60 days) and findings. They are written by the regulator's
 * organisation, so no collective can withhold or edit them; complaints filed by members and
 * licensees reach the ledger through the gateway acting for them with the regulator's identity.
 */
import { z } from 'zod';
import { caller } from '../access';
import { LedgerContract } from '../base-contract';
import { runCommand, runQuery } from '../command';
import { LedgerError } from '../errors';
import type { LedgerContext } from '../ledger-context';
import type { CollectiveRecord, PartyRecord, Stamped } from '../records';
import { commandIdSchema, idSchema, textSchema } from '../schemas';
import { createRecord, mustRead, txTime, writeRecord } from '../state';

/** Days the regulator has to investigate a complaint. */
export const INVESTIGATION_DAYS = 60;

/** A complaint and its investigation. */
export interface ComplaintRecord extends Stamped {
  id: string;
  collectiveId: string;
  complainantId: string;
  complainantKind: 'member' | 'licensee';
  subject: string;
  /** SHA-256 of the complaint's full text, which stays off-chain (it may hold personal data). */
  textHash: string;
  category: string;
  filedAt: string;
  dueBy: string;
  status: 'open' | 'investigating' | 'closed';
  finding?: { outcome: 'upheld' | 'partly_upheld' | 'rejected'; summary: string; at: string; txId: string };
}

const fileArgs = z
  .object({
    commandId: commandIdSchema,
    complaintId: idSchema,
    collectiveId: idSchema,
    complainantId: idSchema,
    category: z.enum(['distribution', 'statement', 'tariff', 'licence', 'fees', 'other']),
    subject: textSchema(300),
    textHash: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
const findingArgs = z
  .object({ commandId: commandIdSchema, complaintId: idSchema, status: z.enum(['investigating', 'closed']), outcome: z.enum(['upheld', 'partly_upheld', 'rejected']).optional(), summary: textSchema(2000).optional() })
  .strict()
  .superRefine((a, c) => {
    if (a.status === 'closed' && (!a.outcome || !a.summary)) c.addIssue({ code: 'custom', path: ['outcome'], message: 'closing a complaint needs an outcome and a summary' });
  });

async function requireRegulator(ctx: LedgerContext): Promise<void> {
  const who = await caller(ctx);
  if (who.role !== 'regulator') throw new LedgerError('ACCESS.DENIED', 'only the regulator writes supervision records', { role: who.role });
}

/** Complaints and findings. */
export class SupervisionContract extends LedgerContract {
  constructor() {
    super('supervision');
  }

  /** Files a complaint from a member or licensee about a collective; the 60-day clock starts now. */
  async fileComplaint(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, fileArgs, async (a) => {
      await requireRegulator(ctx);
      await mustRead<CollectiveRecord>(ctx, 'party', [a.collectiveId], 'collectiveId');
      const party = await mustRead<PartyRecord>(ctx, 'party', [a.complainantId], 'complainantId');
      if (party.kind !== 'member' && party.kind !== 'licensee') throw new LedgerError('VALIDATION.INVALID_ARGUMENT', 'complaints come from members or licensees', { field: 'complainantId' });
      const filedAt = txTime(ctx);
      const due = new Date(Date.parse(filedAt) + INVESTIGATION_DAYS * 86_400_000).toISOString();
      const complaint: ComplaintRecord = {
        id: a.complaintId,
        collectiveId: a.collectiveId,
        complainantId: a.complainantId,
        complainantKind: party.kind,
        subject: a.subject,
        textHash: a.textHash,
        category: a.category,
        filedAt,
        dueBy: due,
        status: 'open',
        txId: ctx.stub.getTxID(),
        at: filedAt,
      };
      await createRecord(ctx, 'complaint', [a.complaintId], complaint, 'complaintId');
      return { complaint };
    });
  }

  /** Moves a complaint to investigating, or closes it with a finding. */
  async recordFinding(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runCommand(ctx, argsJson, findingArgs, async (a) => {
      await requireRegulator(ctx);
      const complaint = await mustRead<ComplaintRecord>(ctx, 'complaint', [a.complaintId], 'complaintId');
      if (complaint.status === 'closed') throw new LedgerError('LEDGER.INVALID_STATE', `complaint ${a.complaintId} is closed`, { field: 'complaintId' });
      const updated: ComplaintRecord = {
        ...complaint,
        status: a.status,
        txId: ctx.stub.getTxID(),
        at: txTime(ctx),
        ...(a.status === 'closed' && a.outcome && a.summary && { finding: { outcome: a.outcome, summary: a.summary, at: txTime(ctx), txId: ctx.stub.getTxID() } }),
      };
      await writeRecord(ctx, 'complaint', [a.complaintId], updated, 'updated');
      return { complaint: updated };
    });
  }

  /** A complaint by id. */
  async getComplaint(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runQuery(ctx, argsJson, z.object({ complaintId: idSchema }).strict(), (a) => mustRead<ComplaintRecord>(ctx, 'complaint', [a.complaintId], 'complaintId'));
  }
}
