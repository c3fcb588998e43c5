/**
 * A short-lived cache for public GET answers, with ETags. Public answers are the same for every
 * caller (no handler behind it looks at who is asking), so one copy per URL serves everyone; a
 * second or two of staleness is acceptable for published figures and saves the database from a
 * hot search or landing page. `Cache-Control: no-cache` on a request bypasses the copy and
 * refreshes it; `If-None-Match` with the current ETag gets a 304 without a body.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AuthEnv } from '../../../auth/env';

interface Entry {
  /** The body, encoded once: a hit writes these bytes without encoding the text again. */
  bytes: Uint8Array<ArrayBuffer>;
  etag: string;
  /** Response headers of a hit, built once (a plain object is the server's fastest path). */
  headers: Record<string, string>;
  expiresAt: number;
}

/** Options of a {@link ResponseCache}. */
export interface ResponseCacheOptions {
  /** How long an answer is served from memory; 0 disables caching. Default 1000 ms. */
  ttlMs?: number;
  /** At most this many answers are kept; the oldest go first. Default 2000. */
  maxEntries?: number;
  /** At most this many bytes of answers are kept. Default 32 MiB. */
  maxBytes?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** A bounded map from URL to a recent answer. */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  readonly ttlMs: number;
  /** The `Cache-Control` header of cached answers. */
  readonly cacheControl: string;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(options: ResponseCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 1000;
    this.maxEntries = options.maxEntries ?? 2000;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.cacheControl = `public, max-age=${Math.max(0, Math.floor(this.ttlMs / 1000))}`;
    this.now = options.now ?? Date.now;
  }

  /** The live answer for `key`, if any. */
  get(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.delete(key);
      return undefined;
    }
    return e;
  }

  /** Stores an answer and returns its entry (with its ETag). */
  set(key: string, body: string, contentType: string): Entry {
    const bytes = new TextEncoder().encode(body);
    const etag = etagOf(bytes);
    const headers = { 'content-type': contentType, 'content-length': String(bytes.byteLength), etag, 'cache-control': this.cacheControl };
    const entry: Entry = { bytes, etag, headers, expiresAt: this.now() + this.ttlMs };
    if (this.ttlMs <= 0 || bytes.byteLength > this.maxBytes / 4) return entry;
    this.delete(key);
    this.entries.set(key, entry);
    this.bytes += bytes.byteLength;
    // Map iteration is insertion order, so the first keys are the oldest.
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.delete(k);
    }
    return entry;
  }

  /** Number of answers held. */
  get size(): number {
    return this.entries.size;
  }

  private delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.bytes -= e.bytes.byteLength;
    this.entries.delete(key);
  }
}

/** A strong ETag over the body's bytes. */
export function etagOf(body: string | Uint8Array): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Middleware serving GETs from `cache` before the route's own validation runs (so a hit costs a
 * map look-up), and storing the route's 200 JSON answers. Only mount it on routes whose answer
 * does not depend on the caller.
 */
export function cachedGets(cache: ResponseCache): MiddlewareHandler<AuthEnv> {
  const maxAge = cache.cacheControl;
  return async (c, next) => {
    if (c.req.method !== 'GET' || cache.ttlMs <= 0) return next();
    const key = c.req.url;
    const noCache = /no-cache|no-store|max-age=0/.test(c.req.header('cache-control') ?? '');
    const hit = noCache ? undefined : cache.get(key);
    if (hit) {
      if (matchesEtag(c.req.header('if-none-match'), hit.etag)) return c.body(null, 304, { etag: hit.etag, 'cache-control': maxAge });
      // Bypasses the context's header merging: the entry's bytes and headers go out as they are.
      return new Response(hit.bytes, { status: 200, headers: hit.headers });
    }
    await next();
    const res = c.res;
    const type = res.headers.get('content-type') ?? '';
    if (res.status !== 200 || !type.startsWith('application/json')) return;
    const body = await res.text();
    const entry = cache.set(key, body, type);
    const headers = new Headers(res.headers);
    headers.set('etag', entry.etag);
    headers.set('cache-control', maxAge);
    c.res = undefined;
    if (matchesEtag(c.req.header('if-none-match'), entry.etag)) {
      headers.delete('content-length');
      c.res = new Response(null, { status: 304, headers });
    } else {
      c.res = new Response(entry.bytes, { status: 200, headers });
    }
  };
}
