/**
 * Serialised statement pages of runs that can no longer change. Once a run is `done` and sealed on
 * the ledger, its statement lines, their Merkle proofs and the root are immutable, so a member's
 * page of it (a fixed `limit` and `cursor`) is the same bytes every time: it is built once and kept
 * here, with a strong ETag over those bytes. Entries are keyed by the caller's party as well as the
 * run, limit and cursor, and a page is stored only after the route has checked that the caller has
 * lines in the run; so one member's page is never served to another.
 *
 * The run summary that check returned is stored with the page. A hit within `recheckMs` (default
 * 2 s, the same bound as the session cache) of the last check is served from memory alone; an older
 * one repeats the check and, if the summary differs (which a done, sealed run should never do: `done`
 * is terminal), the page is rebuilt, or the run answers 404 if it is no longer visible. Bounded by
 * entries and bytes, least recently used first out.
 *
 * A page is also kept gzip-compressed (compressed once, when it is stored): a client that accepts
 * gzip, as every browser does, gets those bytes, a fraction of the JSON's size, with their own ETag.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** One cached page. */
export interface StatementPage {
  bytes: Uint8Array<ArrayBuffer>;
  etag: string;
  /** The run summary the page was built with; a re-check must present the same one. */
  fingerprint: string;
  /** When the caller's access and the run summary were last confirmed (`performance.now()`). */
  checkedAt: number;
  /** Response headers of a hit, built once. */
  headers: Record<string, string>;
  /** The same page gzip-compressed, with its own ETag and headers; absent for pages too small to gain. */
  gzip?: { bytes: Uint8Array<ArrayBuffer>; etag: string; headers: Record<string, string> };
}

/** Pages below this size are not compressed: the saving would not pay for the header. */
const GZIP_MIN_BYTES = 1024;

/** Options of a {@link StatementPageCache}. */
export interface StatementPageCacheOptions {
  /** At most this many pages are kept. Default 4096. */
  maxEntries?: number;
  /** At most this many bytes of pages are kept. Default 64 MiB. */
  maxBytes?: number;
  /** A page confirmed longer ago than this (ms) is re-checked before it is served. Default 2000. */
  recheckMs?: number;
  /** Clock, for tests. Default `performance.now`. */
  now?: () => number;
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

/**
 * Whether an `Accept-Encoding` header accepts gzip: a `gzip` (or `x-gzip`, or `*`) coding whose
 * quality is not zero (RFC 9110 §12.5.3).
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star = false;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const zero = q !== undefined && Number(q.slice(2)) === 0;
    if (coding === 'gzip' || coding === 'x-gzip') return !zero;
    if (coding === '*') star = !zero;
  }
  return star;
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
  readonly recheckMs: number;
  private readonly now: () => number;

  constructor(options: StatementPageCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 4096;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.recheckMs = options.recheckMs ?? 2000;
    this.now = options.now ?? (() => performance.now());
  }

  /** The page for `key` if its check is recent enough to serve it without another, marked most recently used. */
  fresh(key: string): StatementPage | undefined {
    const e = this.entries.get(key);
    if (!e || this.now() - e.checkedAt > this.recheckMs) return undefined;
    this.touch(key, e);
    return e;
  }

  /** Whether a page is held for `key`, without marking it used. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /**
   * The page for `key` after a re-check that returned `fingerprint`: served (and its check time
   * renewed) if it was built with the same run summary, else dropped.
   */
  get(key: string, fingerprint: string): StatementPage | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.fingerprint !== fingerprint) {
      this.delete(key);
      return undefined;
    }
    e.checkedAt = this.now();
    this.touch(key, e);
    return e;
  }

  private touch(key: string, e: StatementPage): void {
    // Re-insert: Map iteration is insertion order, so the first keys are the least recently used.
    this.entries.delete(key);
    this.entries.set(key, e);
  }

  /** Encodes `body` and returns the page; stores it unless it is over a quarter of the byte bound. */
  set(key: string, body: string, fingerprint: string): StatementPage {
    const bytes = new TextEncoder().encode(body);
    const etag = strongEtag(bytes);
    const common = { 'content-type': 'application/json', 'cache-control': STATEMENT_CACHE_CONTROL, vary: 'Accept-Encoding' };
    const headers = { ...common, 'content-length': String(bytes.byteLength), etag };
    const page: StatementPage = { bytes, etag, fingerprint, checkedAt: this.now(), headers };
    if (bytes.byteLength >= GZIP_MIN_BYTES) {
      const gz = gzipSync(bytes);
      const compressed = new Uint8Array(gz.buffer.slice(gz.byteOffset, gz.byteOffset + gz.byteLength));
      // A strong ETag names one representation: the compressed bytes get their own.
      const gzEtag = `${etag.slice(0, -1)}-gz"`;
      page.gzip = { bytes: compressed, etag: gzEtag, headers: { ...common, 'content-encoding': 'gzip', 'content-length': String(compressed.byteLength), etag: gzEtag } };
    }
    if (this.maxEntries <= 0 || sizeOf(page) > this.maxBytes / 4) return page;
    this.store(key, page);
    return page;
  }

  /**
   * Files the page held under `key` under `alias` as well (the same entry, so a re-check renews
   * both); its bytes count once per key against the bound.
   */
  alias(alias: string, key: string): void {
    const e = this.entries.get(key);
    if (!e || alias === key) return;
    this.store(alias, e);
  }

  /** Files `page` under `key` (replacing what was there), then drops the least recently used beyond the bounds. */
  private store(key: string, page: StatementPage): void {
    this.delete(key);
    this.entries.set(key, page);
    this.total += sizeOf(page);
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && this.total <= this.maxBytes) break;
      this.delete(k);
    }
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
    this.total -= sizeOf(e);
    this.entries.delete(key);
  }
}

function sizeOf(p: StatementPage): number {
  return p.bytes.byteLength + (p.gzip?.bytes.byteLength ?? 0);
}
