/**
 * The Hono context variables the auth middleware sets and the audit middleware reads. Routers that
 * use `c.var.user` declare `new Hono<AuthEnv>()` (or intersect their own env with it).
 */
import type { AuthUser } from './identity';

/** Context variables of authenticated requests. */
export interface AuthVariables {
  /** The signed-in user, or null for an anonymous request (set by `authenticate()`). */
  user: AuthUser | null;
  /** How the user proved who they are. */
  authMethod: 'session' | 'api_key';
  /** Session id of a session token (for logout). */
  sessionId: string;
  /** Id of the API key used. */
  apiKeyId: string;
  /** Request id, if a request-id middleware set one (Hono's `requestId()` uses this name). */
  requestId: string;
  /** Ledger transaction id of the write a handler made, for the audit entry. */
  txId: string;
  /** Audit action name chosen by the handler, e.g. `auth.login`; defaults to `METHOD /route`. */
  auditAction: string;
  /** Audit target chosen by the handler, e.g. a record id; defaults to the request path. */
  auditTarget: string;
  /** Extra audit details (never secrets: passwords, tokens and keys are stripped anyway). */
  auditDetails: Record<string, unknown>;
}

/** Hono environment of routers behind `authenticate()`. */
export interface AuthEnv {
  Variables: AuthVariables;
}
