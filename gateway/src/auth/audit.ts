/**
 * The gateway's audit log (`auth.audit_log`, append-only): who did what, to what, with which
 * outcome, from where, and which ledger transaction it produced. The ledger records the
 * organisation that wrote; this log records the person, including members and licensees whose
 * writes go to the ledger under their collective's organisation.
 */
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type postgres from 'postgres';
import { z } from 'zod';
import { HttpError } from '../http/http-error';
import type { AuthEnv } from './env';
import type { AuthUser } from './identity';

/** Outcome of an audited action. */
export type AuditOutcome = 'ok' | 'denied' | 'error';

/** What to record. */
export interface AuditInput {
  user?: AuthUser | null | undefined;
  /** What was done, e.g. `auth.login`, `POST /income`. */
  action: string;
  /** What it was done to, e.g. a record id or the request path. */
  target?: string | null | undefined;
  outcome: AuditOutcome;
  ip?: string | null | undefined;
  requestId?: string | null | undefined;
  txId?: string | null | undefined;
  details?: Record<string, unknown> | undefined;
}

/** A recorded entry. */
export interface AuditEntry {
  /** Increasing id (a bigint, as a decimal string). */
  id: string;
  at: Date;
  userId: string | null;
  username: string | null;
  role: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  requestId: string | null;
  txId: string | null;
  details: Record<string, unknown>;
}

/** A page of entries, newest first; pass `nextBefore` as `before` for the next page. */
export interface AuditPage {
  entries: AuditEntry[];
  nextBefore: string | null;
}

/** Query of the audit log. */
export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Only entries with an id below this one (keyset pagination). */
  before: z.string().regex(/^[1-9][0-9]{0,18}$/, 'before must be an entry id').optional(),
  userId: z.string().uuid().optional(),
});

/** Query of the audit log (input form). */
export type AuditQuery = z.input<typeof auditQuerySchema>;

// Names whose values must never reach the log, whatever a caller puts in `details`.
const SECRET_KEYS = /^(password|new_?password|old_?password|token|secret|key|api_?key|authorization|cookie)$/i;

/** A copy of `value` with secret-looking fields replaced by `[redacted]`. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[truncated]';
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : redactSecrets(v, depth + 1)]));
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

interface AuditRow {
  id: string;
  at: Date;
  user_id: string | null;
  username: string | null;
  role: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  request_id: string | null;
  tx_id: string | null;
  details: Record<string, unknown>;
}

function entryFromRow(r: AuditRow): AuditEntry {
  return {
    id: String(r.id),
    at: r.at,
    userId: r.user_id,
    username: r.username,
    role: r.role,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    ip: r.ip,
    requestId: r.request_id,
    txId: r.tx_id,
    details: r.details,
  };
}

/**
 * Lists entries newest first with keyset pagination on the id (no OFFSET, so deep pages stay
 * fast). Throws `VALIDATION.INVALID_ARGUMENT` for a bad query.
 */
export async function listAudit(sql: postgres.Sql, query: AuditQuery = {}): Promise<AuditPage> {
  const parsed = auditQuerySchema.safeParse(query);
  if (!parsed.success) throw HttpError.fromZod(parsed.error, 'query');
  const q = parsed.data;
  const rows = await sql<AuditRow[]>`
    select id::text, at, user_id, username, role, action, target, outcome, ip, request_id, tx_id, details
    from auth.audit_log
    where true
      ${q.before !== undefined ? sql`and id < ${q.before}::bigint` : sql``}
      ${q.userId !== undefined ? sql`and user_id = ${q.userId}` : sql``}
    order by auth.audit_log.id desc
    limit ${q.limit + 1}`;
  const more = rows.length > q.limit;
  const entries = rows.slice(0, q.limit).map(entryFromRow);
  return { entries, nextBefore: more ? (entries[entries.length - 1]?.id ?? null) : null };
}

/** Writes and reads the audit log. */
export class AuditLog {
  constructor(private readonly sql: postgres.Sql) {}

  /** Records one entry; returns it as stored. */
  async record(input: AuditInput): Promise<AuditEntry> {
    const details = redactSecrets(input.details ?? {}) as Record<string, unknown>;
    const u = input.user ?? null;
    const [row] = await this.sql<AuditRow[]>`
      insert into auth.audit_log (user_id, username, role, action, target, outcome, ip, request_id, tx_id, details)
      values (${u?.id ?? null}, ${u?.username ?? null}, ${u?.role ?? null}, ${input.action}, ${input.target ?? null},
        ${input.outcome}, ${input.ip ?? null}, ${input.requestId ?? null}, ${input.txId ?? null}, ${this.sql.json(details as postgres.JSONValue)})
      returning id::text, at, user_id, username, role, action, target, outcome, ip, request_id, tx_id, details`;
    return entryFromRow(row!);
  }

  /** Lists entries newest first; see {@link listAudit}. */
  list(query: AuditQuery = {}): Promise<AuditPage> {
    return listAudit(this.sql, query);
  }
}

/** The audit outcome of an HTTP status: refusals are `denied`, other failures `error`. */
export function outcomeOfStatus(status: number): AuditOutcome {
  if (status < 400) return 'ok';
  if (status === 401 || status === 403 || status === 429) return 'denied';
  return 'error';
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Options of {@link auditWrites}. */
export interface AuditWritesOptions {
  /** The client's IP address (see `clientIp`). */
  clientIp?: (c: Context) => string;
  /** Where a failure to write the audit entry is reported; the response is sent regardless. */
  onError?: (error: unknown) => void;
}

/**
 * Middleware recording every non-GET request after its handler ran, with the outcome derived from
 * the response status. Handlers enrich the entry through context variables: `auditAction`,
 * `auditTarget`, `auditDetails`, `txId`; the user comes from `authenticate()`. Mount it before the
 * routers (and before or after `authenticate()`; a request refused by `authenticate()` is recorded
 * as denied). Request bodies are never logged.
 */
export function auditWrites(audit: AuditLog, options: AuditWritesOptions = {}): MiddlewareHandler<AuthEnv> {
  const onError = options.onError ?? ((e: unknown) => console.error('audit log write failed', e));
  return async (c, next) => {
    if (READS.has(c.req.method)) return next();
    let thrown: unknown;
    try {
      await next();
    } catch (e) {
      // Only reached when no onError handler turned the error into a response.
      thrown = e;
    }
    const status = thrown === undefined ? c.res.status : ((thrown as { status?: unknown }).status as number | undefined) ?? 500;
    const failure = thrown ?? c.error;
    const details: Record<string, unknown> = { ...(c.get('auditDetails') ?? {}), method: c.req.method, status };
    if (failure && typeof (failure as { code?: unknown }).code === 'string') details.errorCode = (failure as { code: string }).code;
    try {
      await audit.record({
        user: c.get('user'),
        // After next(), the current route index is the handler that responded, so this is its pattern.
        action: c.get('auditAction') ?? `${c.req.method} ${routePath(c)}`,
        target: c.get('auditTarget') ?? c.req.path,
        outcome: outcomeOfStatus(status),
        ip: options.clientIp?.(c) ?? null,
        requestId: c.get('requestId') ?? c.req.header('x-request-id') ?? randomUUID(),
        txId: c.get('txId') ?? null,
        details,
      });
    } catch (e) {
      onError(e);
    }
    if (thrown !== undefined) throw thrown;
  };
}
