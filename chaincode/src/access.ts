/**
 * Access control inside the chaincode, the second wall behind the gateway's: who the caller is
 * (organisation and role) and what it may write. Reads are open to every channel member, since
 * every peer holds the whole ledger anyway.
 */
import { chaincodeConfig } from './config';
import { LedgerError } from './errors';
import type { LedgerContext } from './ledger-context';
import { mustRead, readRecord } from './state';
import type { CollectiveRecord, PartyRecord } from './records';

/** Roles a ledger identity can carry. */
export type Role = 'operator' | 'regulator' | 'member' | 'licensee';

/** The caller of the running transaction. */
export interface Caller {
  mspId: string;
  role: Role;
  /** The collective bound to the caller's organisation, if any. */
  collectiveId?: string;
}

const ROLES: ReadonlySet<string> = new Set(['operator', 'regulator', 'member', 'licensee']);

/**
 * Resolves the caller. The role comes from the identity's `role` attribute; identities without
 * one (e.g. certificates made by cryptogen) act as their organisation: the regulator's
 * organisation as `regulator`, any other as `operator`.
 */
export async function caller(ctx: LedgerContext): Promise<Caller> {
  const mspId = ctx.clientIdentity.getMSPID();
  const attr = ctx.clientIdentity.getAttributeValue('role');
  const isRegulatorOrg = mspId === chaincodeConfig().regulatorMspId;
  let role: Role;
  if (attr === null || attr === undefined || attr === '') role = isRegulatorOrg ? 'regulator' : 'operator';
  else if (ROLES.has(attr)) role = attr as Role;
  else throw new LedgerError('ACCESS.DENIED', `unknown role attribute "${attr}"`, { role: attr });
  if (role === 'regulator' && !isRegulatorOrg) {
    throw new LedgerError('ACCESS.DENIED', `only ${chaincodeConfig().regulatorMspId} may act as regulator`, { mspId });
  }
  const binding = await readRecord<{ collectiveId: string }>(ctx, 'msp', [mspId]);
  return binding ? { mspId, role, collectiveId: binding.collectiveId } : { mspId, role };
}

/** Requires an operator of the given collective; returns the caller. */
export async function requireOperatorOf(ctx: LedgerContext, collectiveId: string, field = 'collectiveId'): Promise<Caller> {
  const who = await caller(ctx);
  if (who.role !== 'operator') {
    throw new LedgerError('ACCESS.DENIED', `role ${who.role} may not perform ${ctx.fn}`, { role: who.role, fn: ctx.fn });
  }
  await mustRead<CollectiveRecord>(ctx, 'party', [collectiveId], field);
  if (who.collectiveId !== collectiveId) {
    throw new LedgerError('ACCESS.DENIED', `organisation ${who.mspId} does not operate collective ${collectiveId}`, {
      field,
      mspId: who.mspId,
      collectiveId,
    });
  }
  return who;
}

/** Requires the party to exist, be of the kind given and belong to the collective. */
export async function requirePartyOf(
  ctx: LedgerContext,
  partyId: string,
  kind: PartyRecord['kind'],
  collectiveId: string,
  field: string,
): Promise<PartyRecord> {
  const party = await mustRead<PartyRecord>(ctx, 'party', [partyId], field);
  if (party.kind !== kind) {
    throw new LedgerError('VALIDATION.INVALID_ARGUMENT', `party ${partyId} is a ${party.kind}, not a ${kind}`, { field });
  }
  if (party.collectiveId !== collectiveId) {
    throw new LedgerError('ACCESS.DENIED', `party ${partyId} belongs to another collective`, { field, partyId });
  }
  return party;
}
