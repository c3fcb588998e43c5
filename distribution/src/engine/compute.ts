/**
 * The allocation: from usage aggregates and the repertoire to exact per-holder amounts, statement
 * lines and suspense lines.
 *
 * fee = round_half_up(G × feeRate), deductions = round_half_up(G × deductionRate) (capped at
 * G − fee), distributable D = G − fee − deductions. Every rights holder's weight is the integer
 * Σ points × share units over its matched usage; suspense buckets weigh unmatched usage
 * (points × 100 %, per reason), unclaimed shares and works whose shares exceed 100 %. One
 * largest-remainder allocation of D over [holders by party id…, suspense buckets by code…] then
 * puts each holder within one minor unit of its exact rational entitlement, and the parts sum to D.
 * The holder's total is split over its statement lines the same way, and so are fee and deductions.
 *
 * Arithmetic is exact integer arithmetic throughout. Weights are first divided by their common
 * factor (which changes no part); then sums, products and quotients run in doubles only where
 * they are integers provably below 2^53 (`ExactSums`, `Splitter`, the 32-bit halves of the amount
 * columns), and in bigints wherever they might not be. No value is ever rounded by floating point.
 */
import { canonicalJson } from '../canonical-json';
import { applyRate, currencyScale, divRound, money } from '../money';
import { bucketPoints, type UsageAggregates, type UsageSource } from './aggregate';
import type { BucketStore } from './buckets';
import type { ResolvedParameters } from './parameters';
import type { EngineRepertoire } from './repertoire';
import { halvesOf, putSafe, type Halves } from './minor-column';
import { Splitter, splitTotals } from './split';
import { sortByStringKey } from './string-order';
import { AMOUNT_DECIMALS, FULL_SHARE } from './units';

/** Suspense codes besides the matcher's `UNMATCHED.*` reasons. */
export type SuspenseCode = 'SUSPENSE.UNCLAIMED_SHARE' | 'SUSPENSE.SHARES_EXCEED_100' | 'SUSPENSE.NO_USAGE' | string;

/** A rights holder's result. Amounts in minor units. */
export interface HolderResult {
  readonly partyId: string;
  /** Σ points × share units: the integer weight of the allocation. */
  readonly weight: bigint;
  readonly gross: bigint;
  readonly fee: bigint;
  readonly deductions: bigint;
  /** Net entitlement: payable + carried. */
  readonly net: bigint;
  readonly payable: bigint;
  readonly carried: bigint;
  /** Statement lines `[lineStart, lineEnd)` in the run's line order. */
  readonly lineStart: number;
  readonly lineEnd: number;
}

/** A suspense bucket: the money of one code. */
export interface SuspenseBucket {
  readonly code: SuspenseCode;
  readonly weight: bigint;
  readonly gross: bigint;
  readonly fee: bigint;
  readonly deductions: bigint;
  readonly net: bigint;
}

/** One line of the suspense output. Amounts in minor units. */
export interface SuspenseLine {
  readonly code: SuspenseCode;
  readonly source?: UsageSource;
  readonly workId?: string;
  readonly iswc?: string;
  readonly title?: string;
  /** Usage lines aggregated (unmatched lines), or of the work from this source. */
  readonly lines: number;
  readonly plays: number;
  /** Unclaimed share units (100 % = 100,000,000) for `SUSPENSE.UNCLAIMED_SHARE`. */
  readonly shareUnits?: number;
  readonly gross: bigint;
  readonly fee: bigint;
  readonly deductions: bigint;
  readonly net: bigint;
}

/** Statement lines stored column-wise (millions of lines stay compact). */
export interface LineStore {
  readonly count: number;
  /** Index into {@link DistributionResult.buckets} (sorted by work id, then source). */
  readonly bucket: Int32Array;
  /** The holder's share units on the line's work. */
  readonly units: Int32Array;
  readonly net: BigInt64Array;
  readonly fee: BigInt64Array;
  readonly deductions: BigInt64Array;
  /** Holder index of each line. */
  readonly holder: Int32Array;
}

/** Totals of a run in minor units; they satisfy the ledger's conservation rule exactly. */
export interface RunTotals {
  readonly gross: bigint;
  readonly managementFee: bigint;
  readonly deductions: bigint;
  readonly distributable: bigint;
  readonly allocated: bigint;
  readonly suspense: bigint;
  readonly carriedForward: bigint;
  readonly rounding: bigint;
}

/** Everything a run computed; statement lines are derived from it on demand (see `statements/`). */
export interface DistributionResult {
  readonly params: ResolvedParameters;
  readonly totals: RunTotals;
  /** Rights holders with a positive weight, sorted by party id. */
  readonly holders: readonly HolderResult[];
  readonly suspenseBuckets: readonly SuspenseBucket[];
  readonly suspenseLines: readonly SuspenseLine[];
  readonly lines: LineStore;
  /** Matched (work, source) aggregates in statement order: work id, then source; `source` is a position in {@link sources}. */
  readonly buckets: BucketStore;
  readonly sources: readonly UsageSource[];
  /** The repertoire; buckets' `work` are its positions. */
  readonly works: EngineRepertoire;
  readonly inputs: { readonly usageDigest: string; readonly repertoireDigest: string; readonly parametersDigest: string };
  /** Usage lines counted; unmatched lines. */
  readonly usageLines: number;
  readonly unmatchedLines: number;
}

/** Stable codes of {@link EngineError}. */
export type EngineErrorCode = 'ENGINE.GROSS_MISMATCH' | 'ENGINE.NOT_CONSERVED';

/** A run that cannot be computed as asked. */
export class EngineError extends Error {
  /** Creates an error with a stable code. */
  constructor(readonly code: EngineErrorCode, message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

/** Compares strings by UTF-16 code units (the order canonical JSON and the ledger's keys use). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A usage source's sort key: its canonical JSON. */
export function sourceKey(s: UsageSource): string {
  return canonicalJson(s);
}

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
/** Integers below 2^53 are exact doubles, and so is a sum of two of them while it stays below. */
const EXACT = 2 ** 53;

/**
 * Exact non-negative integer sums kept as doubles while they stay below 2^53, with a bigint
 * overflow only for the entries that pass it (the value of entry k is `acc[k] + big.get(k)`).
 */
class ExactSums {
  readonly acc: Float64Array;
  readonly big = new Map<number, bigint>();

  constructor(n: number) {
    this.acc = new Float64Array(n);
  }

  /** Adds `value`, an integer below 2^53. */
  add(k: number, value: number): void {
    const next = this.acc[k]! + value;
    if (next < EXACT) this.acc[k] = next;
    else {
      this.big.set(k, (this.big.get(k) ?? 0n) + BigInt(this.acc[k]!) + BigInt(value));
      this.acc[k] = 0;
    }
  }

  addBig(k: number, value: bigint): void {
    this.big.set(k, (this.big.get(k) ?? 0n) + value);
  }

  /** Entry k as a double when it is exact (no overflow), else NaN. */
  number(k: number): number {
    return this.big.has(k) ? NaN : this.acc[k]!;
  }

  bigint(k: number): bigint {
    return BigInt(this.acc[k]!) + (this.big.get(k) ?? 0n);
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

function gcdBig(a: bigint, b: bigint): bigint {
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/**
 * Parts of three totals split over one set of weights: exact doubles when the split ran in
 * doubles (`num`), else bigints (`big`).
 */
class Parts3 {
  constructor(
    readonly num: readonly [Float64Array, Float64Array, Float64Array] | undefined,
    readonly big: readonly [bigint[], bigint[], bigint[]] | undefined,
  ) {}

  /** Part `i` of total `t`. */
  get(t: number, i: number): bigint {
    return this.num ? BigInt(this.num[t]![i]!) : this.big![t]![i]!;
  }
}

/**
 * Splits the three totals over `count` weights: in doubles when every weight is exact (`num`,
 * NaN where not) and the values fit, else in bigints (`big(i)`). Same parts either way.
 */
function splitThree(totals: readonly [bigint, bigint, bigint], count: number, num: Float64Array, big: (i: number) => bigint, sum: bigint, splitter: Splitter): Parts3 {
  let largest = 0;
  for (let i = 0; i < count && largest === largest; i++) largest = Math.max(largest, num[i]!);
  const maxTotal = totals.reduce((a, t) => (t > a ? t : a), 0n);
  if (largest === largest && sum <= MAX_SAFE_BIG && maxTotal <= MAX_SAFE_BIG && Splitter.fits(Number(maxTotal), largest, Number(sum))) {
    const part = (t: number) => splitter.split(Number(totals[t]!), num, 0, count, Number(sum)).slice(0, count);
    return new Parts3([part(0), part(1), part(2)], undefined);
  }
  const ws: bigint[] = [];
  for (let i = 0; i < count; i++) ws.push(big(i));
  const out: [bigint[], bigint[], bigint[]] = [[], [], []];
  splitTotals(totals, ws, sum, out);
  return new Parts3(undefined, out);
}

function writeParts(parts: Float64Array, column: Halves, from: number, to: number): void {
  for (let i = from; i < to; i++) putSafe(column, i, parts[i - from]!);
}

/** Computes the run from aggregates. Pure and deterministic: same inputs, same result. */
export function computeDistribution(agg: UsageAggregates, rep: EngineRepertoire, rp: ResolvedParameters): DistributionResult {
  const cur = rp.currency;
  // 1. Gross, fee, deductions, distributable.
  let gross: bigint;
  if (rp.params.method === 'per_line_amounts') {
    gross = divRound(agg.amountUnits, 10n ** BigInt(AMOUNT_DECIMALS - currencyScale(cur)), 'half-up');
    if (rp.gross !== undefined && rp.gross !== gross) {
      throw new EngineError('ENGINE.GROSS_MISMATCH', `the usage lines sum to ${fmt(gross, cur)} ${cur}, not the pool gross ${fmt(rp.gross, cur)}`);
    }
  } else gross = rp.gross!;
  const fee = applyRate(money(gross, cur), rp.feeRate, 'half-up').minor;
  let deductions = applyRate(money(gross, cur), rp.deductionRate, 'half-up').minor;
  // Two half-up roundings can overshoot by one unit when the rates sum to 1; the deduction gives way.
  if (fee + deductions > gross) deductions = gross - fee;
  const distributable = gross - fee - deductions;

  // 2. Statement order: sources by canonical key, buckets by (work id, source).
  const srcOrder = agg.sources.map((_, i) => i).sort((a, b) => cmp(sourceKey(agg.sources[a]!), sourceKey(agg.sources[b]!)));
  const srcRank = new Int32Array(agg.sources.length);
  srcOrder.forEach((s, r) => (srcRank[s] = r));
  const sources = srcOrder.map((i) => agg.sources[i]!);
  // Buckets in statement order, sources renumbered by rank.
  const buckets = agg.buckets.select(bucketOrder(agg.buckets, rep, srcRank), srcRank);
  const nb = buckets.count;
  const { shareStart, shareParty, shareUnits } = rep;
  const bucketWork = buckets.work;

  // 3. Integer weights. Every weight is a sum of points × share units (or × 100 %), so all of them
  // are multiples of gcd(points) × gcd(units); dividing every weight of one split by a common
  // factor changes no part and no remainder order, and keeps most products below 2^53.
  const points = new Float64Array(nb); // exact where below 2^53, NaN where not
  let gP = 0;
  let gPBig = 0n;
  for (let i = 0; i < nb; i++) {
    const x = buckets.pointsNumber(i);
    points[i] = x;
    if (x === x) gP = gcd(x, gP);
    else gPBig = gcdBig(buckets.points(i), gPBig);
  }
  const unmatchedSorted = [...agg.unmatched.values()].sort((a, b) => cmp(a.reason, b.reason) || srcRank[a.source]! - srcRank[b.source]!);
  for (const u of unmatchedSorted) gPBig = gcdBig(bucketPoints(u), gPBig);
  gPBig = gcdBig(BigInt(gP), gPBig);
  if (gPBig === 0n) gPBig = 1n; // no points at all: nothing to reduce
  // A common factor too large for a double is not worth having: points that large take the bigint path anyway.
  if (gPBig > MAX_SAFE_BIG) gPBig = 1n;
  gP = Number(gPBig);
  let gU = FULL_SHARE;
  for (let i = 0; i < nb; i++) {
    if (points[i] === 0) continue;
    const w = bucketWork[i]!;
    const claimed = rep.claimed(w);
    if (claimed > FULL_SHARE) continue;
    for (let k = shareStart[w]!, end = shareStart[w + 1]!; k < end; k++) if (shareUnits[k]! !== 0) gU = gcd(shareUnits[k]!, gU);
    if (claimed < FULL_SHARE) gU = gcd(FULL_SHARE - claimed, gU);
  }
  const factor = gPBig * BigInt(gU);
  const fullR = FULL_SHARE / gU;
  // Reduced points; NaN where the points are not an exact double.
  const pts = new Float64Array(nb);
  for (let i = 0; i < nb; i++) pts[i] = points[i]! / gP;
  const bigPts = (i: number) => buckets.points(i) / gPBig;

  const nParties = rep.partyIds.length;
  const holderW = new ExactSums(nParties);
  const holderLines = new Int32Array(nParties);
  // Suspense weights: [SHARES_EXCEED_100, UNCLAIMED_SHARE], reduced.
  const suspenseW = new ExactSums(2);
  const EXCEED = 0, UNCLAIMED = 1;
  const exceedBuckets = new Int32Array(nb);
  const unclaimedBuckets = new Int32Array(nb);
  const unclaimedUnits = new Float64Array(nb);
  let nExceed = 0, nUnclaimed = 0;
  for (let i = 0; i < nb; i++) {
    const p = pts[i]!;
    if (p === 0) continue;
    const w = bucketWork[i]!;
    const claimed = rep.claimed(w);
    if (claimed > FULL_SHARE) {
      const x = p * fullR;
      if (x < EXACT) suspenseW.add(EXCEED, x);
      else suspenseW.addBig(EXCEED, bigPts(i) * BigInt(fullR));
      exceedBuckets[nExceed++] = i;
      continue;
    }
    for (let k = shareStart[w]!, end = shareStart[w + 1]!; k < end; k++) {
      const u = shareUnits[k]!;
      if (u === 0) continue;
      const party = shareParty[k]!;
      const x = p * (u / gU);
      if (x < EXACT) holderW.add(party, x);
      else holderW.addBig(party, bigPts(i) * BigInt(u / gU));
      holderLines[party]!++;
    }
    const free = FULL_SHARE - claimed;
    if (free > 0) {
      const x = p * (free / gU);
      if (x < EXACT) suspenseW.add(UNCLAIMED, x);
      else suspenseW.addBig(UNCLAIMED, bigPts(i) * BigInt(free / gU));
      unclaimedBuckets[nUnclaimed] = i;
      unclaimedUnits[nUnclaimed++] = free;
    }
  }
  let nh = 0;
  for (let p = 0; p < nParties; p++) if (holderW.acc[p]! > 0 || holderW.big.has(p)) nh++;
  const holderOrder = new Int32Array(nh);
  for (let p = 0, h = 0; p < nParties; p++) if (holderW.acc[p]! > 0 || holderW.big.has(p)) holderOrder[h++] = p;
  sortByStringKey(rep.partyIds, holderOrder);

  // Suspense buckets, by code.
  const byReason = new Map<string, { weight: bigint; lines: typeof unmatchedSorted }>();
  let unmatchedLines = 0;
  for (const u of unmatchedSorted) {
    unmatchedLines += u.lines;
    let e = byReason.get(u.reason);
    if (!e) byReason.set(u.reason, (e = { weight: 0n, lines: [] }));
    e.weight += (bucketPoints(u) / gPBig) * BigInt(fullR);
    e.lines.push(u);
  }
  // Reduced weights of the codes.
  const codes: { code: string; weight: bigint }[] = [];
  if (suspenseW.bigint(EXCEED) > 0n) codes.push({ code: 'SUSPENSE.SHARES_EXCEED_100', weight: suspenseW.bigint(EXCEED) });
  if (suspenseW.bigint(UNCLAIMED) > 0n) codes.push({ code: 'SUSPENSE.UNCLAIMED_SHARE', weight: suspenseW.bigint(UNCLAIMED) });
  for (const [code, e] of byReason) if (e.weight > 0n) codes.push({ code, weight: e.weight });
  codes.sort((a, b) => cmp(a.code, b.code));

  // 4. The one allocation, over [holders…, codes…].
  const splitter = new Splitter();
  const nw = nh + codes.length;
  let top: Parts3;
  if (nw === 0) {
    // No usage carries any weight: the whole pool is held in suspense.
    codes.push({ code: 'SUSPENSE.NO_USAGE', weight: 0n });
    top = new Parts3(undefined, [[distributable], [fee], [deductions]]);
  } else {
    const num = new Float64Array(nw);
    const total = new ExactSums(1);
    for (let h = 0; h < nh; h++) {
      const p = holderOrder[h]!;
      const x = holderW.number(p);
      num[h] = x;
      if (x === x) total.add(0, x);
      else total.addBig(0, holderW.bigint(p));
    }
    codes.forEach((c, j) => {
      num[nh + j] = c.weight <= MAX_SAFE_BIG ? Number(c.weight) : NaN;
      total.addBig(0, c.weight);
    });
    top = splitThree([distributable, fee, deductions], nw, num, (k) => (k < nh ? holderW.bigint(holderOrder[k]!) : codes[k - nh]!.weight), total.bigint(0), splitter);
  }

  // 5. Holders, threshold, and their statement lines (by holder, then in bucket order).
  let L = 0;
  for (let h = 0; h < nh; h++) L += holderLines[holderOrder[h]!]!;
  const lines: LineStore = {
    count: L,
    bucket: new Int32Array(L),
    units: new Int32Array(L),
    net: new BigInt64Array(L),
    fee: new BigInt64Array(L),
    deductions: new BigInt64Array(L),
    holder: new Int32Array(L),
  };
  const fill = new Int32Array(nParties);
  const start = new Int32Array(nh + 1);
  for (let h = 0, off = 0; h < nh; h++) {
    const p = holderOrder[h]!;
    start[h] = off;
    fill[p] = off;
    lines.holder.fill(h, off, off + holderLines[p]!);
    off += holderLines[p]!;
    start[h + 1] = off;
  }
  // Reduced line weights (points × units), NaN where not an exact double.
  const lineW = new Float64Array(L);
  for (let i = 0; i < nb; i++) {
    const p = pts[i]!;
    if (p === 0) continue;
    const w = bucketWork[i]!;
    if (rep.claimed(w) > FULL_SHARE) continue;
    for (let k = shareStart[w]!, end = shareStart[w + 1]!; k < end; k++) {
      const u = shareUnits[k]!;
      if (u === 0) continue;
      const at = fill[shareParty[k]!]!++;
      lines.bucket[at] = i;
      lines.units[at] = u;
      const x = p * (u / gU);
      lineW[at] = x < EXACT ? x : NaN;
    }
  }
  const netH = halvesOf(lines.net), feeH = halvesOf(lines.fee), dedH = halvesOf(lines.deductions);
  const holders: HolderResult[] = new Array<HolderResult>(nh);
  // Allocated [0] and carried forward [1]: holders' nets are below 2^51 when the top split ran in doubles.
  const paid = new ExactSums(2);
  const bigOut: [bigint[], bigint[], bigint[]] = [[], [], []];
  const lw: bigint[] = [];
  for (let h = 0; h < nh; h++) {
    const p = holderOrder[h]!;
    const n = top.get(0, h), f = top.get(1, h), d = top.get(2, h);
    const below = n < rp.threshold;
    const s = start[h]!, e = start[h + 1]!;
    const sum = holderW.number(p);
    let largest = 0;
    for (let i = s; i < e && largest === largest; i++) largest = Math.max(largest, lineW[i]!);
    const maxTotal = n > f ? (n > d ? n : d) : f > d ? f : d;
    if (largest === largest && sum === sum && maxTotal <= MAX_SAFE_BIG && Splitter.fits(Number(maxTotal), largest, sum)) {
      writeParts(splitter.split(Number(n), lineW, s, e, sum), netH, s, e);
      writeParts(splitter.split(Number(f), lineW, s, e, sum), feeH, s, e);
      writeParts(splitter.split(Number(d), lineW, s, e, sum), dedH, s, e);
    } else {
      lw.length = 0;
      for (let i = s; i < e; i++) lw.push(bigPts(lines.bucket[i]!) * BigInt(lines.units[i]! / gU));
      splitTotals([n, f, d], lw, holderW.bigint(p), bigOut);
      for (let i = s; i < e; i++) {
        lines.net[i] = bigOut[0][i - s]!;
        lines.fee[i] = bigOut[1][i - s]!;
        lines.deductions[i] = bigOut[2][i - s]!;
      }
    }
    let gross: bigint;
    if (top.num) {
      const nn = top.num[0][h]!;
      gross = BigInt(nn + top.num[1][h]! + top.num[2][h]!);
      paid.add(below ? 1 : 0, nn);
    } else {
      gross = n + f + d;
      paid.addBig(below ? 1 : 0, n);
    }
    holders[h] = { partyId: rep.partyIds[p]!, weight: (sum === sum ? BigInt(sum) : holderW.bigint(p)) * factor, gross, fee: f, deductions: d, net: n, payable: below ? 0n : n, carried: below ? n : 0n, lineStart: s, lineEnd: e };
  }
  const allocated = paid.bigint(0), carriedForward = paid.bigint(1);

  // 6. Suspense buckets and their lines.
  const suspenseBuckets: SuspenseBucket[] = [];
  const suspenseLines: SuspenseLine[] = [];
  let suspense = 0n;
  codes.forEach((c, j) => {
    const k = nh + j;
    const n = top.get(0, k), f = top.get(1, k), d = top.get(2, k);
    const b: SuspenseBucket = { code: c.code, weight: c.weight * factor, net: n, fee: f, deductions: d, gross: n + f + d };
    suspenseBuckets.push(b);
    suspense += b.net;
    const totals = [b.net, b.fee, b.deductions] as const;
    const workLine = (bi: number, extra: { shareUnits?: number }, n: bigint, f: bigint, d: bigint): SuspenseLine => {
      const w = bucketWork[bi]!;
      const iswc = rep.iswc(w);
      return { code: c.code, source: sources[buckets.source[bi]!]!, workId: rep.workId(w), ...(iswc ? { iswc } : {}), title: rep.title(w), lines: buckets.lines[bi]!, plays: buckets.plays[bi]!, ...extra, gross: n + f + d, fee: f, deductions: d, net: n };
    };
    if (c.code === 'SUSPENSE.NO_USAGE') {
      suspenseLines.push({ code: c.code, lines: 0, plays: 0, gross: b.gross, fee: b.fee, deductions: b.deductions, net: b.net });
    } else if (c.code === 'SUSPENSE.UNCLAIMED_SHARE') {
      const m = nUnclaimed;
      const num = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        const x = pts[unclaimedBuckets[i]!]! * (unclaimedUnits[i]! / gU);
        num[i] = x < EXACT ? x : NaN;
      }
      const parts = splitThree(totals, m, num, (i) => bigPts(unclaimedBuckets[i]!) * BigInt(unclaimedUnits[i]! / gU), c.weight, splitter);
      for (let i = 0; i < m; i++) suspenseLines.push(workLine(unclaimedBuckets[i]!, { shareUnits: unclaimedUnits[i]! }, parts.get(0, i), parts.get(1, i), parts.get(2, i)));
    } else if (c.code === 'SUSPENSE.SHARES_EXCEED_100') {
      // Within the code every line weighs points × 100 %: its reduced points are the weights.
      const m = nExceed;
      const num = new Float64Array(m);
      for (let i = 0; i < m; i++) num[i] = pts[exceedBuckets[i]!]!;
      const parts = splitThree(totals, m, num, (i) => bigPts(exceedBuckets[i]!), c.weight / BigInt(fullR), splitter);
      for (let i = 0; i < m; i++) suspenseLines.push(workLine(exceedBuckets[i]!, {}, parts.get(0, i), parts.get(1, i), parts.get(2, i)));
    } else {
      const ls = byReason.get(c.code)!.lines;
      const ws = ls.map((u) => bucketPoints(u));
      const out: [bigint[], bigint[], bigint[]] = [[], [], []];
      splitTotals(totals, ws, ws.reduce((a, x) => a + x, 0n), out);
      ls.forEach((u, i) => {
        const n = out[0][i]!, f = out[1][i]!, d = out[2][i]!;
        suspenseLines.push({ code: c.code, source: agg.sources[u.source]!, lines: u.lines, plays: u.plays, gross: n + f + d, fee: f, deductions: d, net: n });
      });
    }
  });

  const totals: RunTotals = { gross, managementFee: fee, deductions, distributable, allocated, suspense, carriedForward, rounding: 0n };
  if (fee + deductions + allocated + suspense + carriedForward !== gross) {
    throw new EngineError('ENGINE.NOT_CONSERVED', 'internal error: the run does not conserve the gross');
  }
  return {
    params: rp,
    totals,
    holders,
    suspenseBuckets,
    suspenseLines,
    lines,
    buckets,
    sources,
    works: rep,
    inputs: { usageDigest: agg.digest, repertoireDigest: rep.digest, parametersDigest: rp.digest },
    usageLines: agg.lines,
    unmatchedLines,
  };
}

function fmt(minor: bigint, cur: string): string {
  const scale = currencyScale(cur);
  const s = (minor < 0n ? -minor : minor).toString().padStart(scale + 1, '0');
  return scale ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s;
}

/**
 * Positions of the matched buckets in statement order: by work id, then by source rank. Work ids
 * are radix-sorted once per used work; buckets then go into place by two stable counting passes
 * (by source rank, then by work rank).
 */
function bucketOrder(list: BucketStore, rep: EngineRepertoire, srcRank: Int32Array): Int32Array {
  const n = list.count;
  const work = list.work, source = list.source;
  const rankOf = new Int32Array(rep.size).fill(-1);
  let nUsed = 0;
  for (let i = 0; i < n; i++) {
    const w = work[i]!;
    if (rankOf[w] === -1) {
      rankOf[w] = 0;
      nUsed++;
    }
  }
  const byId = new Int32Array(nUsed);
  for (let w = 0, r = 0; w < rankOf.length; w++) if (rankOf[w] === 0) byId[r++] = w;
  sortByStringKey(rep.workIds, byId);
  for (let r = 0; r < byId.length; r++) rankOf[byId[r]!] = r;
  const key = new Int32Array(n);
  for (let i = 0; i < n; i++) key[i] = srcRank[source[i]!]!;
  const bySource = countingOrder(key, srcRank.length, null);
  for (let i = 0; i < n; i++) key[i] = rankOf[work[i]!]!;
  return countingOrder(key, byId.length, bySource);
}

/** Stable counting sort of `input` (or 0..n−1) by `key[i]` in [0, keys). */
function countingOrder(key: Int32Array, keys: number, input: Int32Array | null): Int32Array {
  const n = key.length;
  const count = new Int32Array(keys + 1);
  for (let i = 0; i < n; i++) count[key[i]! + 1]!++;
  for (let k = 1; k <= keys; k++) count[k]! += count[k - 1]!;
  const out = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const i = input ? input[j]! : j;
    out[count[key[i]!]!++] = i;
  }
  return out;
}
