/**
 * The signed-in session: the bearer token and the user it belongs to, kept in sessionStorage so a
 * token never outlives the browser tab (a shared computer in a KTV office is a real case).
 */

/** The user as `/auth/login` and `/auth/me` describe it. */
export interface SessionUser {
  id: string;
  username: string;
  role: 'operator' | 'member' | 'licensee' | 'regulator';
  collectiveId?: string;
  partyId?: string;
  mspId?: string;
  displayName?: string;
}

/** A token and its user. */
export interface Session {
  token: string;
  expiresAt: string;
  user: SessionUser;
}

const KEY = 'rtl.session';

/** The stored session, or null when signed out or expired. */
export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (!s.token || new Date(s.expiresAt).getTime() <= Date.now()) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

/** Stores the session (or clears it with null). */
export function saveSession(s: Session | null): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}
