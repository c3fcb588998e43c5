/**
 * A DSR file's usage lines as compact batches for another thread: what the engine's usage pass
 * reads of each line (line number, plays, the identifiers it matches on, its source context and,
 * for per-line amounts, its amount and usage id), one batch per input chunk. The parse itself is
 * {@link parseDsr} in scratch mode, unchanged, so a feed carries exactly the lines, issues and
 * summary that the parse on the calling thread gives.
 *
 * Runs in the worker of `dsr-feed-worker.mjs`; `usage-feed.ts` is the receiving end.
 */
import { ParseError, type ParseIssue, type RejectedLine } from '../parsers/common';
import { parseDsr, type DsrSummary, type DsrUsageLine } from '../parsers/dsr';
import { RecentKeys } from '../recent-keys';
import { hashedChunks, sha256 } from './input-file';

/** Numbers per usage line in {@link FeedBatch.records}. */
export const FEED_RECORD = 4;
/** Offsets in a record: 1-based line, plays, identifiers (index into the batch's `idents`), context (index into all contexts sent). */
export const FEED_LINE = 0;
export const FEED_PLAYS = 1;
export const FEED_IDENT = 2;
export const FEED_CONTEXT = 3;

/**
 * What the matcher reads of a usage line (one entry per run of lines with the same identifiers),
 * packed for the trip between threads: the strings back to back in one string, and per entry the
 * lengths of work id, ISWC, ISRC and title (-1: absent), the number of creators and their lengths.
 * A string or two per batch crosses the thread boundary as one copy, where an object per entry
 * would be serialised field by field.
 */
export interface PackedIdents {
  chars: string;
  lengths: Int32Array;
}

/** Reads {@link PackedIdents} entry after entry. */
export class IdentReader {
  private at = 0;
  private k = 0;
  workId: string | undefined;
  iswc: string | undefined;
  isrc: string | undefined;
  title: string | undefined;
  creators: string[] = [];
  constructor(private readonly p: PackedIdents) {}
  /** Moves to the next entry. */
  next(): void {
    const l = this.p.lengths;
    this.workId = this.cut(l[this.k++]!);
    this.iswc = this.cut(l[this.k++]!);
    this.isrc = this.cut(l[this.k++]!);
    this.title = this.cut(l[this.k++]!);
    const n = l[this.k++]!;
    const creators: string[] = new Array<string>(n);
    for (let i = 0; i < n; i++) creators[i] = this.cut(l[this.k++]!)!;
    this.creators = creators;
  }
  private cut(n: number): string | undefined {
    if (n < 0) return undefined;
    const a = this.at;
    this.at = a + n;
    return this.p.chars.slice(a, a + n);
  }
}

/** Where a line's usage comes from: its territory, use type (else commercial model) and currency. */
export interface FeedContext {
  territory?: string;
  use?: string;
  currency?: string;
}

/** What the receiving end asks of the feed. */
export interface FeedRequest {
  path: string;
  fileName: string;
  onError: 'fail' | 'quarantine';
  maxIssues?: number;
  /** Send each line's amount and usage id (the per-line amounts method needs them). */
  amounts: boolean;
  /** How many batches the feed may parse ahead of the receiver; it waits beyond that. */
  window: number;
}

/** One input chunk's usage lines. */
export interface FeedBatch {
  t: 'batch';
  count: number;
  records: Float64Array;
  /** The batch's identifier entries; a record's ident is the number of its entry (they come in order). */
  idents: PackedIdents;
  /** Contexts first used in this batch (numbered on from those sent before). */
  contexts: FeedContext[];
  /** Per line when amounts were asked for. */
  amounts?: (string | undefined)[];
  usageIds?: string[];
  /** Lines the parser set aside while reading the chunk, in order (before the chunk's usage lines are taken). */
  rejects: RejectedLine[];
  /** The HEAD record's fields, in the first batch after they are known. */
  head?: Record<string, string>;
}

/** The end of a feed: the parse summary and the file's SHA-256. */
export interface FeedEnd {
  t: 'end';
  summary: DsrSummary;
  digest: string;
  rejects: RejectedLine[];
}

/** The parse stopped on a bad line (`fail` mode): the issue, and what went to the rejects sink up to it. */
export interface FeedFail {
  t: 'fail';
  issue: ParseIssue;
  rejects: RejectedLine[];
}

/** Anything else went wrong. */
export interface FeedCrash {
  t: 'crash';
  name: string;
  message: string;
  code?: string;
}

/** A message from the feed. */
export type FeedMessage = FeedBatch | FeedEnd | FeedFail | FeedCrash;

/** The worker's end of a feed: how messages leave, and the news that the receiver took a batch. */
export interface FeedPort {
  send(m: FeedMessage, transfer: ArrayBuffer[]): void;
  /** Registers `listener`, called once for every batch the receiver has taken. */
  onTaken(listener: () => void): void;
}

/**
 * Batches sent to the receiver and not yet taken. The rest of the backlog (up to `req.window`) is
 * held here, in the worker's JavaScript heap, which is dropped whole when the worker ends: a
 * backlog kept on the receiving side would grow the heap that also holds the repertoire, and one
 * kept in typed arrays would leave its high-water mark in the process's malloc arenas.
 */
const SEND_AHEAD = 4;

/** A batch waiting in the backlog: its numbers in plain arrays until it is sent. */
interface HeldBatch {
  batch: Omit<FeedBatch, 'records' | 'idents'>;
  records: number[];
  chars: string;
  lengths: number[];
}

/**
 * Parses `req.path` and sends its usage lines through `port`, one batch per input chunk; it parses
 * ahead of the receiver by at most `req.window` batches. Resolves once the final message is sent.
 */
export async function feedDsr(req: FeedRequest, port: FeedPort): Promise<void> {
  const outbox: (HeldBatch | FeedMessage)[] = [];
  let inFlight = 0;
  let wake: (() => void) | undefined;
  const pump = () => {
    while (outbox.length > 0 && inFlight < SEND_AHEAD) {
      const m = outbox.shift()!;
      if ('batch' in m) {
        const records = new Float64Array(m.records);
        const lengths = new Int32Array(m.lengths);
        port.send({ ...m.batch, records, idents: { chars: m.chars, lengths } } as FeedBatch, [records.buffer, lengths.buffer]);
        inFlight++;
      } else port.send(m, []);
    }
    const w = wake;
    wake = undefined;
    w?.();
  };
  port.onTaken(() => {
    inFlight--;
    pump();
  });
  const post = (m: HeldBatch | FeedMessage) => {
    outbox.push(m);
    pump();
  };
  /** Waits until the outbox holds fewer than `n` messages. */
  const until = async (n: number) => {
    while (outbox.length >= n) await new Promise<void>((resolve) => (wake = resolve));
  };

  const hash = sha256();
  let rejects: RejectedLine[] = [];
  let records = new Float64Array(FEED_RECORD * 16384);
  let count = 0;
  let chars = '';
  let lengths = new Int32Array(1 << 16);
  let nl = 0;
  let nIdents = 0;
  const put = (v: string | undefined) => {
    if (nl === lengths.length) {
      const grown = new Int32Array(nl * 2);
      grown.set(lengths);
      lengths = grown;
    }
    if (v === undefined) lengths[nl++] = -1;
    else {
      lengths[nl++] = v.length;
      chars += v;
    }
  };
  let contexts: FeedContext[] = [];
  let amounts: (string | undefined)[] = [];
  let usageIds: string[] = [];
  let headSent = false;

  // The previous line's identifiers (compared by identity, as the usage pass does) and context.
  let pWorkId: string | undefined, pIswc: string | undefined, pIsrc: string | undefined, pTitle: string | undefined;
  let pCreators: readonly string[] | undefined;
  let pIdent = -1;
  const contextIndex = new Map<string, number>();
  const recent = new RecentKeys<string | undefined, string | undefined, string | undefined>();
  const contextOf = (terr: string | undefined, use: string | undefined, cur: string | undefined): number => {
    const r = recent.get(terr, use, cur);
    if (r >= 0) return r;
    // Keys of fields that may be absent: a NUL marker for "absent" keeps "" and undefined apart.
    const key = `${terr ?? '\u0000'}\u0001${use ?? '\u0000'}\u0001${cur ?? '\u0000'}`;
    let c = contextIndex.get(key);
    if (c === undefined) {
      c = contextIndex.size;
      contextIndex.set(key, c);
      const x: FeedContext = {};
      if (terr !== undefined) x.territory = terr;
      if (use !== undefined) x.use = use;
      if (cur !== undefined) x.currency = cur;
      contexts.push(x);
    }
    recent.set(terr, use, cur, c);
    return c;
  };

  const take = (u: DsrUsageLine): void => {
    if (pIdent < 0 || u.workId !== pWorkId || u.iswc !== pIswc || u.isrc !== pIsrc || u.title !== pTitle || u.creators !== pCreators) {
      pIdent = nIdents++;
      put(u.workId);
      put(u.iswc);
      put(u.isrc);
      put(u.title);
      const cs = u.creators;
      put(undefined);
      lengths[nl - 1] = cs.length;
      for (let i = 0; i < cs.length; i++) put(cs[i]);
      pWorkId = u.workId;
      pIswc = u.iswc;
      pIsrc = u.isrc;
      pTitle = u.title;
      pCreators = u.creators;
    }
    const context = contextOf(u.territory, u.useType ?? u.commercialModel, u.currency);
    if ((count + 1) * FEED_RECORD > records.length) {
      const grown = new Float64Array(records.length * 2);
      grown.set(records);
      records = grown;
    }
    const at = count * FEED_RECORD;
    records[at + FEED_LINE] = u.line;
    records[at + FEED_PLAYS] = u.plays;
    records[at + FEED_IDENT] = pIdent;
    records[at + FEED_CONTEXT] = context;
    count++;
    if (req.amounts) {
      amounts.push(u.amount);
      usageIds.push(u.usageId);
    }
  };

  const stream = parseDsr(hashedChunks(req.path, hash, true), {
    onError: req.onError,
    rejects: { push: (r: RejectedLine) => rejects.push(r) },
    ...(req.maxIssues !== undefined ? { maxIssues: req.maxIssues } : {}),
    fileName: req.fileName,
    sink: take,
  });
  try {
    for await (const _ of stream.batches()) {
      // Reading a character flattens the concatenation: the batch then no longer holds on to the
      // pieces of decoded text its strings were cut from.
      chars.charCodeAt(0);
      const b: HeldBatch['batch'] = { t: 'batch', count, contexts, rejects };
      if (req.amounts) {
        b.amounts = amounts;
        b.usageIds = usageIds;
        amounts = [];
        usageIds = [];
      }
      if (!headSent && stream.summary.head) {
        b.head = stream.summary.head;
        headSent = true;
      }
      post({ batch: b, records: Array.from(records.subarray(0, count * FEED_RECORD)), chars, lengths: Array.from(lengths.subarray(0, nl)) });
      count = 0;
      chars = '';
      nl = 0;
      nIdents = 0;
      contexts = [];
      rejects = [];
      // A batch's identifiers are its own: its first line names them again.
      pIdent = -1;
      await until(req.window);
    }
  } catch (e) {
    if (e instanceof ParseError) {
      // The issue as the parser raised it is the last one it set aside (the collector does so before throwing).
      const last = rejects[rejects.length - 1];
      const issue: ParseIssue = last ? { line: last.line, code: last.code, message: last.message, ...(last.field !== undefined ? { field: last.field } : {}) } : e.toIssue();
      post({ t: 'fail', issue, rejects });
    } else {
      const err = e as NodeJS.ErrnoException;
      post({ t: 'crash', name: err?.name ?? 'Error', message: err?.message ?? String(e), ...(err?.code ? { code: err.code } : {}) });
    }
    await until(1);
    return;
  }
  post({ t: 'end', summary: stream.summary, digest: hash.digest('hex'), rejects });
  await until(1);
}
