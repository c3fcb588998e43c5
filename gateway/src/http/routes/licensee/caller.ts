/**
 * Who is calling a licensee route: the signed-in licensee's party and hosting collective. Every
 * licensee route reads and writes only the records of this party.
 */
import { assertRole } from '../../../auth/middleware';
import type { AuthUser } from '../../../auth/identity';
import { HttpError } from '../../http-error';

/** The signed-in licensee. */
export interface Licensee {
  partyId: string;
  collectiveId: string;
  username: string;
  /** The account, for acting on the ledger on the licensee's behalf. */
  user: AuthUser;
}

/** The caller as a licensee: 401 anonymous, 403 another role or an account without a party. */
export function licenseeOf(user: AuthUser | null | undefined): Licensee {
  const u = assertRole(user, 'licensee');
  if (!u.partyId || !u.collectiveId) throw new HttpError('AUTH.FORBIDDEN', 'this licensee account is not linked to a party');
  return { partyId: u.partyId, collectiveId: u.collectiveId, username: u.username, user: u };
}

/** Today's date (UTC), `YYYY-MM-DD`: the date licence statuses are for. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
