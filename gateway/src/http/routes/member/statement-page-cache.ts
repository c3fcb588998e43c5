/**
 * Serialised statement pages of runs that can no longer change. Once a run is `done` and sealed on
 * the ledger, its statement lines, their Merkle proofs and the root are immutable, so a member's
 * page of it (a fixed `limit` and `cursor`) is the same bytes every time: it is built once and kept
 * here, with a strong ETag over those bytes. Entries are keyed by the caller's party as well as the
 * run, limit and cursor, and the route looks them up only after it has checked, on that request,
 * that the caller has lines in the run; so one member's page is never served to another. The run
 * summary the check returned is stored with the page and compared on every hit: if it differs
 * (which a sealed run should never do), the page is rebuilt. Bounded by entries and bytes, least
 * recently used first out.
 */
import { createHash } from 'node:crypto';

/** One cached page. */
export interface StatementPage {
  bytes: Uint8Array<ArrayBuffer>;
  etag: string;
  /** The run summary the page was built with; a hit must present the same one. */
  fingerprint: string;
  /** Response headers of a hit, built once. */
  headers: Record<string, string>;
}

/** Options of a {@link StatementPageCache}. */
export interface StatementPageCacheOptions {
  /** At most this many pages are kept. Default 4096. */
  maxEntries?: number;
  /** At most this many bytes of pages are kept. Default 64 MiB. */
  maxBytes?: number;
}

/** `Cache-Control` of a statement page: the caller's own, to be revalidated (cheaply, with its ETag). */
export const STATEMENT_CACHE_CONTROL = 'private, no-cache';

/** A strong ETag over the bytes. */
export function strongEtag(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"`;
}

/** Whether an `If-None-Match` header matches `etag` (weak comparison, as RFC 9110 asks for it). */
export function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** The cache key of a page: party, run, limit and cursor. */
export function pageKey(partyId: string, runId: string, limit: number, cursor: string | undefined): string {
  return `${partyId}\u0000${runId}\u0000${limit}\u0000${cursor ?? ''}`;
}

/** A bounded LRU map from {@link pageKey} to a serialised page. */
export class StatementPageCache {
  private readonly entries = new Map<string, StatementPage>();
  private total = 0;
  readonly maxEntries: number;
  readonly maxBytes: number;

  constructor(options: StatementPageCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 4096;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  /** Whether a page is held for `key`, without marking it used. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The page for `key` built with the same run summary, marked most recently used. */
  get(key: string, fingerprint: string): StatementPage | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.fingerprint !== fingerprint) {
      this.delete(key);
      return undefined;
    }
    // Re-insert: Map iteration is insertion order, so the first keys are the least recently used.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  /** Encodes `body` and returns the page; stores it unless it is over a quarter of the byte bound. */
  set(key: string, body: string, fingerprint: string): StatementPage {
    const bytes = new TextEncoder().encode(body);
    const etag = strongEtag(bytes);
    const headers = { 'content-type': 'application/json', 'content-length': String(bytes.byteLength), etag, 'cache-control': STATEMENT_CACHE_CONTROL };
    const page: StatementPage = { bytes, etag, fingerprint, headers };
    if (this.maxEntries <= 0 || bytes.byteLength > this.maxBytes / 4) return page;
    this.delete(key);
    this.entries.set(key, page);
    this.total += bytes.byteLength;
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.total <= this.maxBytes) break;
      this.delete(k);
    }
    return page;
  }

  /** Pages held. */
  get size(): number {
    return this.entries.size;
  }

  /** Bytes of pages held. */
  get bytes(): number {
    return this.total;
  }

  private delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.total -= e.bytes.byteLength;
    this.entries.delete(key);
  }
}
