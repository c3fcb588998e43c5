/**
 * Signing in and out with `/auth/login` and `/auth/logout`; the session lives in sessionStorage
 * (see `session.ts`) and in this context, so navigation follows the signed-in role.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { api, onSessionExpired } from './api';
import { loadSession, saveSession, type Session } from './session';

interface Auth {
  session: Session | null;
  signIn(username: string, password: string): Promise<Session>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<Auth>({ session: null, signIn: () => Promise.reject(new Error('no auth')), signOut: async () => {} });

/** Provides the session to the tree. */
export function AuthProvider({ children }: { children: ComponentChildren }) {
  const [session, setSession] = useState<Session | null>(loadSession);
  useEffect(() => onSessionExpired(() => setSession(null)), []);
  const value = useMemo<Auth>(
    () => ({
      session,
      signIn: async (username, password) => {
        const s = await api<Session>('/auth/login', { method: 'POST', body: { username, password } });
        saveSession(s);
        setSession(s);
        return s;
      },
      signOut: async () => {
        try {
          await api('/auth/logout', { method: 'POST' });
        } catch {
          // the token may already be gone; signing out locally is what matters
        }
        saveSession(null);
        setSession(null);
      },
    }),
    [session],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** The session and the sign-in/out functions. */
export function useAuth(): Auth {
  return useContext(AuthContext);
}

/** The home page of each role's area. */
export const HOME_OF_ROLE: Record<Session['user']['role'], string> = {
  member: '/member',
  licensee: '/licensee',
  regulator: '/regulator',
  operator: '/operator',
};
