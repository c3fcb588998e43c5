/**
 * Who is calling a member route: the signed-in member's party and hosting collective. Every member
 * route reads and writes only the records of this party (and, for suspense, of its collective).
 */
import { assertRole } from '../../../auth/middleware';
import type { AuthUser } from '../../../auth/identity';
import { HttpError } from '../../http-error';

/** The signed-in member. */
export interface Member {
  partyId: string;
  collectiveId: string;
  username: string;
}

/** The caller as a member: 401 anonymous, 403 another role or an account without a party. */
export function memberOf(user: AuthUser | null | undefined): Member {
  const u = assertRole(user, 'member');
  if (!u.partyId || !u.collectiveId) throw new HttpError('AUTH.FORBIDDEN', 'this member account is not linked to a party');
  return { partyId: u.partyId, collectiveId: u.collectiveId, username: u.username };
}
