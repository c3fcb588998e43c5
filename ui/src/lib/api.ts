/**
 * The gateway's HTTP API as the app calls it: JSON in and out, the bearer token of the session,
 * an `Idempotency-Key` on every write, and the gateway's error body `{ error: { code, message,
 * details } }` turned into an `ApiError` carrying the stable code and the offending field.
 */
import { loadSession, saveSession } from './session';

/** An error answer of the API. */
export class ApiError extends Error {
  /** Creates an error from an HTTP status and the gateway's error body. */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The field the gateway named as wrong, if any. */
  get field(): string | undefined {
    const f = this.details.field;
    return typeof f === 'string' ? f : undefined;
  }
}

/** Options of one call. */
export interface CallOptions {
  method?: string;
  /** Objects are sent as JSON; strings and Blobs as they are (with `contentType`). */
  body?: unknown;
  contentType?: string;
  /** Writes: the idempotency key; pass the same one to repeat a write safely. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** Listeners told when the server says the session is gone (401), so the app can sign out. */
const expiredListeners = new Set<() => void>();
/** Registers a listener for an expired session; returns the unregister function. */
export function onSessionExpired(fn: () => void): () => void {
  expiredListeners.add(fn);
  return () => expiredListeners.delete(fn);
}

async function send(path: string, opts: CallOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const session = loadSession();
  if (session) headers.authorization = `Bearer ${session.token}`;
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    if (typeof opts.body === 'string' || opts.body instanceof Blob) {
      body = opts.body;
      headers['content-type'] = opts.contentType ?? 'text/plain; charset=utf-8';
    } else {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
  }
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  const res = await fetch(path, { method: opts.method ?? 'GET', headers, ...(body !== undefined && { body }), ...(opts.signal && { signal: opts.signal }) });
  if (!res.ok) {
    let code = `HTTP.${res.status}`;
    let message = res.statusText;
    let details: Record<string, unknown> = {};
    try {
      const j = (await res.json()) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } };
      if (j.error) {
        code = j.error.code ?? code;
        message = j.error.message ?? message;
        details = j.error.details ?? {};
      }
    } catch {
      // not a JSON error body: keep the status
    }
    if (res.status === 401 && session) {
      saveSession(null);
      for (const fn of expiredListeners) fn();
    }
    throw new ApiError(res.status, code, message, details);
  }
  return res;
}

/** Calls the API and parses the JSON answer. */
export async function api<T>(path: string, opts: CallOptions = {}): Promise<T> {
  const res = await send(path, opts);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Calls the API and returns the answer as text (CSV downloads). */
export async function apiText(path: string, opts: CallOptions = {}): Promise<string> {
  return (await send(path, { ...opts })).text();
}

/** A fresh idempotency key for one write the user asked for. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/** Builds a query string from the defined, non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

/** Saves text as a file the browser downloads. */
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A page of a keyset-paginated list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
