/**
 * Who a signed-in person is, and what follows from it: the ledger identity the gateway acts with
 * on their behalf, and record-level access rules. Pure functions, no database.
 */
import { MSP } from '../ledger/organisations';
import type { LedgerIdentity } from '../ledger/port';

/** The roles of the gateway's accounts. */
export const ROLES = ['operator', 'member', 'licensee', 'regulator'] as const;

/** A role: collective operator, member (rights holder), licensee or regulator. */
export type Role = (typeof ROLES)[number];

/**
 * The MSP (Fabric organisation) of each collective. The single place the gateway's access layer
 * maps collectives to organisations; the demo data registers the same pairs on the ledger.
 */
export const COLLECTIVE_MSP: Readonly<Record<string, string>> = Object.freeze({
  MCSC: MSP.music,
  CAVCA: MSP.av,
});

/** The signed-in user as every handler sees it (`c.var.user`). */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  /** Operators: the collective they operate. Members and licensees: the collective hosting them. */
  collectiveId?: string;
  /** Members and licensees: their party id on the ledger, e.g. `MCSC-M001`. */
  partyId?: string;
  /** The organisation the user acts through: their collective's MSP, or `RegulatorMSP`. */
  mspId?: string;
  /** Name to show in the UI. */
  displayName?: string;
}

/** The MSP a user acts through, or undefined for a collective this gateway does not know. */
export function mspIdFor(role: Role, collectiveId: string | undefined): string | undefined {
  if (role === 'regulator') return MSP.regulator;
  return collectiveId === undefined ? undefined : COLLECTIVE_MSP[collectiveId];
}

/** True for the regulator. */
export function isRegulator(user: AuthUser | null | undefined): boolean {
  return user?.role === 'regulator';
}

/** True when the user operates `collectiveId` (its operators only; not its members, not the regulator). */
export function canActForCollective(user: AuthUser | null | undefined, collectiveId: string): boolean {
  return user?.role === 'operator' && user.collectiveId !== undefined && user.collectiveId === collectiveId;
}

/**
 * True when the user may read a party's private records (statements, invoices, payments):
 * the party itself, an operator of the party's collective, or the regulator. Pass the party's
 * collective when known; without it, operators are refused (fail closed) since a party id alone
 * does not say who hosts it.
 */
export function canReadParty(user: AuthUser | null | undefined, partyId: string, partyCollectiveId?: string): boolean {
  if (!user) return false;
  switch (user.role) {
    case 'regulator':
      return true;
    case 'member':
    case 'licensee':
      return user.partyId !== undefined && user.partyId === partyId;
    case 'operator':
      return partyCollectiveId !== undefined && canActForCollective(user, partyCollectiveId);
  }
}

/**
 * The ledger identity the gateway submits and evaluates with for `user`.
 *
 * - Operators act with their collective's MSP and role `operator`, user = their username.
 * - The regulator acts with `RegulatorMSP` and role `regulator`.
 * - Members and licensees have no organisation of their own on the channel: their collective hosts
 *   them. Their writes (claims, payments, usage reports) go to the ledger under the collective's
 *   MSP with role `operator` and user `member:<partyId>` / `licensee:<partyId>`. The chaincode
 *   therefore records the operator organisation as the writer, and the gateway's audit log records
 *   the person; the gateway must check (e.g. with {@link canReadParty}) that the person acts only
 *   for their own party before submitting.
 *
 * Throws when the account lacks what its role needs (a collective the gateway knows, a party id).
 */
export function ledgerIdentityFor(user: AuthUser): LedgerIdentity {
  if (user.role === 'regulator') return { mspId: MSP.regulator, role: 'regulator', user: user.username };
  const mspId = mspIdFor(user.role, user.collectiveId);
  if (!mspId) throw new Error(`user ${user.username} has no known collective (${user.collectiveId ?? 'none'})`);
  if (user.role === 'operator') return { mspId, role: 'operator', user: user.username };
  if (!user.partyId) throw new Error(`user ${user.username} (${user.role}) has no party id`);
  return { mspId, role: 'operator', user: `${user.role}:${user.partyId}` };
}
