/**
 * The streaming pass over a usage file: each line is matched and added to an aggregate keyed by
 * (work, usage source); unmatched lines are added to one keyed by (reason, usage source). Memory is
 * bounded by repertoire × sources, never by the number of usage lines.
 *
 * The hot path avoids per-line allocation: usage lines arrive in batches, consecutive lines with
 * the same identifiers (a DSR block's sales lines all point at one resource) reuse the previous
 * match, and points accumulate in doubles while they are exact integers (below 2^53), spilling
 * into a bigint only when they would not be.
 */
import { stat } from 'node:fs/promises';
import { RecentKeys } from '../recent-keys';
import { basename } from 'node:path';
import type { MatchMethod, MatchResult, UnmatchedReason } from '../matching/matcher';
import { emptySummary, IssueCollector, ParseError, type ParseIssue, type ParseOptions, type ParseSummary } from '../parsers/common';
import { parseUsageCsv } from '../parsers/csv';
import { parseDsr, type DsrSummary, type DsrUsageLine } from '../parsers/dsr';
import { FEED_CONTEXT, FEED_IDENT, FEED_LINE, FEED_PLAYS, FEED_RECORD, IdentReader, type FeedContext, type FeedMessage } from './dsr-feed';
import type { UsageLine } from '../parsers/usage';
import { detectUsageFormat, hashedChunks, sha256, type UsageFormat } from './input-file';
import { BucketStore, METHOD_COUNT } from './buckets';
import type { ResolvedParameters } from './parameters';
import type { EngineRepertoire } from './repertoire';
import { AMOUNT_DECIMALS, decimalToUnits } from './units';
import { FEED_WINDOW, startDsrFeed, type DsrFeed } from './usage-feed';

/** Where usage came from: one usage file, service, territory, period and use type. */
export interface UsageSource {
  /** Usage file name (base name). */
  file: string;
  service?: string;
  territory?: string;
  period?: string;
  useType?: string;
}

/** Match methods in a fixed order, for per-line counters. */
export const MATCH_METHODS: readonly MatchMethod[] = ['isrc', 'iswc', 'title_creator', 'work_id'];
const METHOD_SLOT: Record<MatchMethod, number> = { isrc: 0, iswc: 1, title_creator: 2, work_id: 3 };

/** Unmatched usage of one reason from one source. */
export interface UnmatchedBucket {
  readonly reason: UnmatchedReason;
  readonly source: number;
  lines: number;
  plays: number;
  acc: number;
  big: bigint;
}

export { BucketStore } from './buckets';

/** Points of an unmatched bucket as one exact bigint. */
export function bucketPoints(b: { acc: number; big: bigint }): bigint {
  return BigInt(b.acc) + b.big;
}

/** The result of the usage pass. */
export interface UsageAggregates {
  readonly format: UsageFormat;
  /** SHA-256 (hex) of the usage file bytes. */
  readonly digest: string;
  readonly sources: UsageSource[];
  /** Matched usage, one bucket per (work, source), in order of first appearance. */
  readonly buckets: BucketStore;
  /** Unmatched usage by reason and source. */
  readonly unmatched: Map<string, UnmatchedBucket>;
  /** Per-line amounts method: exact sum of the line amounts in 10^-12 units. */
  amountUnits: bigint;
  /** Usage lines accepted and counted. */
  lines: number;
  /** Parser summary merged with the engine's own line rejections. */
  readonly summary: ParseSummary;
  /** DSR summary (HEAD, FOOT, SYxx) when the file is a DSR. */
  dsr?: DsrSummary;
}

/** Most usage sources (service × territory × use type) one run may have. */
export const SOURCE_SLOTS = 1 << 16;

/** DSR files of at least this many bytes are parsed on a worker thread by default (~400,000 usage lines). */
export const FEED_MIN_BYTES = 32 << 20;

/** Options of {@link aggregateUsage}. */
export interface AggregateOptions extends ParseOptions {
  /** Format; detected from content when omitted. */
  format?: UsageFormat;
  /** Name shown as the usage source's file; default the file's base name. */
  label?: string;
  /** Called for every accepted usage line with its match outcome (e.g. to write unmatched detail). */
  onMatch?: (u: UsageLine, m: MatchResult, source: number) => void;
  /** Called after each batch with the number of usage lines read so far. */
  onProgress?: (lines: number) => void;
  /**
   * Parse a DSR on a worker thread while this thread matches and aggregates (same lines, issues,
   * summary and digest as parsing here). Default: for files of {@link FEED_MIN_BYTES} or more, and
   * never with `onMatch` (which sees whole usage lines). Falls back to this thread when no worker starts.
   */
  parseOnWorker?: boolean;
  /** A parse started earlier with {@link startUsageParse} on the same file, options and parameters. */
  started?: StartedUsageParse;
}

/** A usage file's format, and its worker parse when it has one, started ahead of the usage pass. */
export interface StartedUsageParse {
  readonly path: string;
  readonly format: UsageFormat;
  readonly feed: DsrFeed | undefined;
  /** Stops the worker if the usage pass never comes (e.g. the repertoire could not be loaded). */
  cancel(): Promise<void>;
}

/** Batches a parse started ahead of the usage pass may hold: ~0.5 MB each, a few seconds of parsing. */
export const EARLY_FEED_WINDOW = 192;

/**
 * Detects the usage file's format and, for a DSR parsed on a worker, starts the parse now, so it
 * runs while the caller loads the repertoire; up to `window` batches (default
 * {@link EARLY_FEED_WINDOW}) wait for the usage pass. Pass the result to {@link aggregateUsage} as
 * `started`, or cancel it.
 */
export async function startUsageParse(path: string, rp: ResolvedParameters, opts: AggregateOptions = {}, window = EARLY_FEED_WINDOW): Promise<StartedUsageParse> {
  const format = opts.format ?? (await detectUsageFormat(path));
  const onWorker = format === 'dsr' && !opts.onMatch && (opts.parseOnWorker ?? (await stat(path)).size >= FEED_MIN_BYTES);
  const request = { path, fileName: opts.label ?? basename(path), onError: opts.onError ?? 'fail', ...(opts.maxIssues ? { maxIssues: opts.maxIssues } : {}), amounts: rp.params.method === 'per_line_amounts' };
  const feed = onWorker ? startDsrFeed(request, window) : undefined;
  return { path, format, feed, cancel: async () => void (await feed?.close()) };
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Streams a usage file (DSR or usage.csv) through the matcher into aggregates.
 * @throws ParseError in `fail` mode on the first bad line.
 */
export async function aggregateUsage(path: string, rep: EngineRepertoire, rp: ResolvedParameters, opts: AggregateOptions = {}): Promise<UsageAggregates> {
  if (opts.started && opts.started.path !== path) throw new Error(`usage parse started on ${opts.started.path}, not ${path}`);
  // Not started ahead: started now, with the usual window.
  const { format, feed } = opts.started ?? (await startUsageParse(path, rp, opts, FEED_WINDOW));
  const file = opts.label ?? basename(path);
  const perLine = rp.params.method === 'per_line_amounts';
  const engineSummary = emptySummary();
  const issues = new IssueCollector(engineSummary, opts);
  const parseOpts: ParseOptions = { onError: opts.onError ?? 'fail', ...(opts.rejects ? { rejects: opts.rejects } : {}), ...(opts.maxIssues ? { maxIssues: opts.maxIssues } : {}) };
  // HEAD of a DSR parsed on the worker, once it has sent it.
  let feedHead: Record<string, string> | undefined;
  // The parse on this thread, when there is one.
  let inThread: ReturnType<typeof parseHere> | undefined;

  const sources: UsageSource[] = [];
  const sourceWeight: number[] = [];
  // Territory → use type → source: no key string is built per line.
  const sourceIndex = new Map<string | undefined, Map<string | undefined, number>>();
  const acc = new BucketAccumulator(rep.size);
  const unmatched = new Map<string, UnmatchedBucket>();
  // The same buckets by reason, then by source: no key string per unmatched line.
  const unmatchedByReason = new Map<UnmatchedReason, UnmatchedBucket[]>();
  const onMatch = opts.onMatch;
  const agg = { format, digest: '', sources, unmatched, amountUnits: 0n, lines: 0, summary: engineSummary } as Omit<UsageAggregates, 'buckets'> & { dsr?: DsrSummary };

  const sourceOf = (territory: string | undefined, useType: string | undefined): number => {
    let byUse = sourceIndex.get(territory);
    if (byUse === undefined) sourceIndex.set(territory, (byUse = new Map()));
    let i = byUse.get(useType);
    if (i === undefined) {
      i = sources.length;
      if (i >= SOURCE_SLOTS) throw new RangeError(`more than ${SOURCE_SLOTS} usage sources`);
      const s: UsageSource = { file };
      const head = format !== 'dsr' ? undefined : inThread ? (inThread.stream.summary as DsrSummary).head : feedHead;
      const service = head?.SenderName ?? head?.ServiceDescription;
      if (service) s.service = service;
      if (territory) s.territory = territory;
      const period = head?.UsageStartDate && head.UsageEndDate ? `${head.UsageStartDate}/${head.UsageEndDate}` : rp.params.period;
      if (period) s.period = period;
      if (useType) s.useType = useType;
      sources.push(s);
      sourceWeight.push(useType !== undefined ? (rp.useTypeWeights.get(useType) ?? rp.defaultWeight) : rp.defaultWeight);
      byUse.set(useType, i);
    }
    return i;
  };

  // Memo of the previous line's identifiers and outcome (identity comparisons only).
  let pWorkId: string | undefined, pIswc: string | undefined, pIsrc: string | undefined, pTitle: string | undefined;
  let pCreators: readonly string[] | undefined;
  let pValid = false;
  let pWork = -1;
  let pSlot = 0;
  let pReason: UnmatchedReason = 'UNMATCHED.NOT_FOUND';
  // Only built for an onMatch observer.
  let pResult: MatchResult | undefined;
  // The last few sources by territory and use type.
  const recentSources = new RecentKeys<string | undefined, string | undefined, undefined>();

  // In scratch mode the parser calls `take` while it reads a chunk (here or on the worker); the
  // engine's own rejections are held until the chunk is done, so they reach the rejects sink after
  // the parser's, as with batches.
  const scratch = format === 'dsr' && !opts.onMatch;
  const held: [ParseIssue, string][] = [];
  const reject = (u: UsageLine, field: string, code: string, message: string) => {
    const issue: ParseIssue = { line: u.line, field, code, message };
    const raw = JSON.stringify({ usageId: u.usageId, amount: u.amount });
    if (scratch) held.push([issue, raw]);
    else issues.error(issue, raw);
  };

  const take = (u: UsageLine & Partial<DsrUsageLine>): void => {
    const terr = u.territory, use = u.useType ?? u.commercialModel;
    let src = recentSources.get(terr, use, undefined);
    if (src < 0) recentSources.set(terr, use, undefined, (src = sourceOf(terr, use)));

    let points = 0;
    // Exact points beyond what a double holds (per-line amounts, or plays × weight past 2^53).
    let bigPoints: bigint | undefined;
    if (perLine) {
      const a = u.amount;
      if (a === undefined) {
        reject(u, 'amount', 'ENGINE.MISSING_AMOUNT', 'the per_line_amounts method needs an amount on every usage line');
        return;
      }
      if (u.currency !== undefined && u.currency !== rp.currency) {
        reject(u, 'currency', 'ENGINE.CURRENCY_MISMATCH', `usage in ${u.currency}, distribution in ${rp.currency}`);
        return;
      }
      if (a.charCodeAt(0) === 45) {
        reject(u, 'amount', 'ENGINE.NEGATIVE_AMOUNT', `amount ${a} is negative`);
        return;
      }
      const units = decimalToUnits(a, AMOUNT_DECIMALS);
      if (units === undefined) {
        reject(u, 'amount', 'ENGINE.AMOUNT_PRECISION', `amount ${a} has more than ${AMOUNT_DECIMALS} decimals`);
        return;
      }
      bigPoints = units;
      agg.amountUnits += units;
    } else {
      const w = sourceWeight[src]!;
      points = u.plays * w;
      if (points > MAX_SAFE) {
        bigPoints = BigInt(u.plays) * BigInt(w);
        points = 0;
      }
    }

    if (!pValid || u.workId !== pWorkId || u.iswc !== pIswc || u.isrc !== pIsrc || u.title !== pTitle || u.creators !== pCreators) {
      pWork = rep.match(u);
      if (pWork >= 0) pSlot = METHOD_SLOT[rep.matcher.method];
      else pReason = rep.matcher.reason;
      if (opts.onMatch) pResult = rep.matcher.result(pWork);
      pValid = true;
      pWorkId = u.workId;
      pIswc = u.iswc;
      pIsrc = u.isrc;
      pTitle = u.title;
      pCreators = u.creators;
    }
    agg.lines++;
    if (onMatch) onMatch(u, pResult!, src);

    const plays = u.plays;
    if (pWork >= 0) {
      const at = acc.bucket(pWork, src) * RECORD;
      const rec = acc.rec;
      rec[at + LINES]!++;
      const total = (rec[at + PLAYS]! += plays);
      rec[at + METHODS + pSlot]! += plays;
      if (total > MAX_SAFE) throw new RangeError(`plays of work ${rep.workId(pWork)} exceed ${MAX_SAFE}`);
      const next = rec[at + POINTS]! + points;
      if (bigPoints === undefined && next <= MAX_SAFE) rec[at + POINTS] = next;
      else acc.addPoints(at / RECORD, points, bigPoints ?? 0n);
    } else {
      let bySource = unmatchedByReason.get(pReason);
      if (bySource === undefined) unmatchedByReason.set(pReason, (bySource = []));
      let b = bySource[src];
      if (b === undefined) {
        b = { reason: pReason, source: src, lines: 0, plays: 0, acc: 0, big: 0n };
        bySource[src] = b;
        unmatched.set(`${pReason}\u0001${src}`, b);
      }
      b.lines++;
      b.plays += plays;
      if (b.plays > MAX_SAFE) throw new RangeError(`unmatched plays exceed ${MAX_SAFE}`);
      add(b, points, bigPoints ?? 0n);
    }
  };

  const flushHeld = () => {
    if (held.length) {
      for (const [issue, raw] of held) issues.error(issue, raw);
      held.length = 0;
    }
    opts.onProgress?.(agg.lines);
  };

  const fromFeed = feed ? await takeFeed(feed, opts, take, flushHeld, (h) => (feedHead = h)) : undefined;
  // Parsing on this thread: no worker was asked for, or none could start (then nothing was taken yet).
  if (!fromFeed) inThread = parseHere(path, format, file, parseOpts, scratch ? take : undefined);
  if (inThread) {
    for await (const batch of inThread.stream.batches()) {
      for (const u of batch as (UsageLine & Partial<DsrUsageLine>)[]) take(u);
      flushHeld();
    }
  }
  const ps = fromFeed ? fromFeed.summary : inThread!.stream.summary;
  const s = engineSummary;
  s.lines = ps.lines;
  s.accepted = agg.lines;
  s.rejected += ps.rejected;
  s.errorCount += ps.errorCount;
  s.warningCount += ps.warningCount;
  s.errors.unshift(...ps.errors);
  s.warnings.unshift(...ps.warnings);
  if (format === 'dsr') agg.dsr = ps as DsrSummary;
  const { dsr, ...rest } = agg;
  return { format: rest.format, digest: fromFeed ? fromFeed.digest : inThread!.hash.digest('hex'), sources, buckets: acc.toStore(), unmatched, amountUnits: rest.amountUnits, lines: rest.lines, summary: rest.summary, ...(dsr ? { dsr } : {}) };
}

/** A usage file parsed on this thread, hashed as it is read. */
function parseHere(path: string, format: UsageFormat, file: string, parseOpts: ParseOptions, sink: ((u: DsrUsageLine) => void) | undefined) {
  const hash = sha256();
  // Both usage formats are text, decoded chunk by chunk: the read buffer can be reused.
  const input = hashedChunks(path, hash, true);
  // Without an onMatch observer (which may keep the lines it sees), the DSR parser writes every usage
  // line into one reused record: no object per line.
  const stream = format === 'dsr' ? parseDsr(input, { ...parseOpts, fileName: file, ...(sink ? { sink } : {}) }) : parseUsageCsv(input, parseOpts);
  return { hash, stream };
}

/**
 * Takes a feed's batches: each batch's parser rejects go to the sink first, then its lines are
 * taken through one reused record, then `flush` (the engine's held rejections, progress) runs, as
 * after a chunk parsed on this thread. `undefined` when the worker could not start (nothing taken).
 */
async function takeFeed(
  feed: DsrFeed,
  opts: AggregateOptions,
  take: (u: UsageLine & Partial<DsrUsageLine>) => void,
  flush: () => void,
  onHead: (head: Record<string, string>) => void,
): Promise<{ summary: DsrSummary; digest: string } | undefined> {
  const u: UsageLine & Partial<DsrUsageLine> = { line: 0, usageId: '', proprietaryIds: [], creators: [], plays: 0 };
  const contexts: FeedContext[] = [];
  try {
    for (;;) {
      const m: FeedMessage = await feed.next();
      if (m.t === 'crash' && feed.starting) return undefined;
      if (m.t !== 'batch') {
        if (m.t !== 'crash') for (const r of m.rejects) opts.rejects?.push(r);
        if (m.t === 'end') return { summary: m.summary, digest: m.digest };
        if (m.t === 'fail') throw new ParseError(m.issue);
        throw Object.assign(new Error(m.message), { name: m.name, ...(m.code ? { code: m.code } : {}) });
      }
      if (m.head) onHead(m.head);
      for (const r of m.rejects) opts.rejects?.push(r);
      for (const c of m.contexts) contexts.push(c);
      const rec = m.records, idents = new IdentReader(m.idents), amounts = m.amounts, ids = m.usageIds;
      let ident = -1, context = -1;
      for (let i = 0, at = 0; i < m.count; i++, at += FEED_RECORD) {
        u.line = rec[at + FEED_LINE]!;
        u.plays = rec[at + FEED_PLAYS]!;
        if (rec[at + FEED_IDENT] !== ident) {
          ident = rec[at + FEED_IDENT]!;
          idents.next();
          u.workId = idents.workId;
          u.iswc = idents.iswc;
          u.isrc = idents.isrc;
          u.title = idents.title;
          u.creators = idents.creators;
        }
        if (rec[at + FEED_CONTEXT] !== context) {
          context = rec[at + FEED_CONTEXT]!;
          const c = contexts[context]!;
          u.territory = c.territory;
          u.useType = c.use;
          u.currency = c.currency;
        }
        if (amounts) {
          u.amount = amounts[i];
          u.usageId = ids![i]!;
        }
        take(u);
      }
      flush();
      feed.ack();
    }
  } finally {
    await feed.close();
  }
}

// Buckets of a work found through its slot line (the rest through a map).
const WORK_SLOTS = 4;
// A bucket's record in BucketAccumulator.rec: its source, then its counters, in one 64-byte line.
const RECORD = 8;
const SOURCE = 0;
const LINES = 1;
const PLAYS = 2;
const METHODS = 3;
const POINTS = 7;

/**
 * Matched usage while the pass runs, laid out for it: each (work, source) bucket is one record of
 * eight doubles (source, lines, plays, plays per method, points below 2^53), so a usage line
 * touches one cache line where the column store would touch five arrays; the usage of a million
 * works does not fit in the caches. {@link toStore} hands over the column store at the end.
 */
class BucketAccumulator {
  count = 0;
  rec: Float64Array = new Float64Array(RECORD << 16);
  private work: Int32Array = new Int32Array(1 << 16);
  // Per work, its first WORK_SLOTS buckets as (source + 1, bucket) pairs in one 32-byte line, so
  // finding a work's bucket reads one line besides the record; more sources go to `more`.
  private readonly slots: Int32Array;
  private readonly more = new Map<number, number>();
  // The bucket each source used last: a block's lines alternate between a few sources.
  private readonly lastWorkOfSource = new Int32Array(SOURCE_SLOTS).fill(-1);
  private readonly lastBucketOfSource = new Int32Array(SOURCE_SLOTS);
  // Points beyond 2^53 of a bucket, rarely.
  private readonly overflow = new Map<number, bigint>();

  constructor(works: number) {
    this.slots = new Int32Array(works * WORK_SLOTS * 2);
  }

  /** The bucket of (work, source), created when new. */
  bucket(work: number, source: number): number {
    if (this.lastWorkOfSource[source] === work) return this.lastBucketOfSource[source]!;
    const slots = this.slots;
    const at = work * WORK_SLOTS * 2;
    let b = -1;
    let k = 0;
    for (; k < WORK_SLOTS; k++) {
      const s = slots[at + 2 * k]!;
      if (s === 0) break;
      if (s === source + 1) {
        b = slots[at + 2 * k + 1]!;
        break;
      }
    }
    if (b < 0 && k === WORK_SLOTS) b = this.more.get(work * SOURCE_SLOTS + source) ?? -1;
    if (b < 0) {
      b = this.count++;
      if (b === this.work.length) this.grow();
      this.rec[b * RECORD + SOURCE] = source;
      this.work[b] = work;
      if (k < WORK_SLOTS) {
        slots[at + 2 * k] = source + 1;
        slots[at + 2 * k + 1] = b;
      } else this.more.set(work * SOURCE_SLOTS + source, b);
    }
    this.lastWorkOfSource[source] = work;
    this.lastBucketOfSource[source] = b;
    return b;
  }

  /** Adds exact points to bucket `b` when they may pass 2^53. */
  addPoints(b: number, points: number, big: bigint): void {
    if (big !== 0n) this.overflow.set(b, (this.overflow.get(b) ?? 0n) + big);
    const acc = this.rec[b * RECORD + POINTS]!;
    const next = acc + points;
    if (next > MAX_SAFE) {
      this.overflow.set(b, (this.overflow.get(b) ?? 0n) + BigInt(acc) + BigInt(points));
      this.rec[b * RECORD + POINTS] = 0;
    } else this.rec[b * RECORD + POINTS] = next;
  }

  /** The buckets as a column store, in order of creation. */
  toStore(): BucketStore {
    const store = new BucketStore(this.count);
    const rec = this.rec;
    for (let b = 0; b < this.count; b++) {
      const at = b * RECORD;
      const j = store.add(this.work[b]!, rec[at + SOURCE]!);
      store.lines[j] = rec[at + LINES]!;
      store.plays[j] = rec[at + PLAYS]!;
      for (let m = 0; m < METHOD_COUNT; m++) store.methodPlays[j * METHOD_COUNT + m] = rec[at + METHODS + m]!;
      store.addSafePoints(j, rec[at + POINTS]!);
      const big = this.overflow.get(b);
      if (big !== undefined) store.addPoints(j, 0, big);
    }
    return store;
  }

  private grow(): void {
    const n = this.work.length * 2;
    const rec = new Float64Array(n * RECORD);
    rec.set(this.rec);
    this.rec = rec;
    const work = new Int32Array(n);
    work.set(this.work);
    this.work = work;
  }
}

function add(b: { acc: number; big: bigint }, points: number, big: bigint): void {
  if (big !== 0n) b.big += big;
  const next = b.acc + points;
  if (next > MAX_SAFE) {
    b.big += BigInt(b.acc) + BigInt(points);
    b.acc = 0;
  } else b.acc = next;
}
