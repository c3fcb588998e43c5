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
 */
import { canonicalJson } from '../canonical-json';
import { applyRate, currencyScale, divRound, money } from '../money';
import { bucketPoints, type UsageAggregates, type UsageSource } from './aggregate';
import type { BucketStore } from './buckets';
import type { ResolvedParameters } from './parameters';
import type { EngineRepertoire } from './repertoire';
import { splitTotals } from './split';
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

const FULL = BigInt(FULL_SHARE);

/** Compares strings by UTF-16 code units (the order canonical JSON and the ledger's keys use). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A usage source's sort key: its canonical JSON. */
export function sourceKey(s: UsageSource): string {
  return canonicalJson(s);
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
  const buckets = agg.buckets.select(sortBuckets(agg, rep, srcRank), srcRank);

  // 3. Integer weights.
  const nParties = rep.partyIds.length;
  const holderWeight: bigint[] = new Array<bigint>(nParties).fill(0n);
  const holderLines = new Int32Array(nParties);
  const points: bigint[] = new Array<bigint>(buckets.count);
  let unclaimedWeight = 0n;
  let exceedWeight = 0n;
  const unclaimedLines: { b: number; units: number; weight: bigint }[] = [];
  const exceedLines: { b: number; weight: bigint }[] = [];
  const { shareStart, shareParty, shareUnits } = rep;
  for (let i = 0; i < buckets.count; i++) {
    const p = buckets.points(i);
    points[i] = p;
    if (p === 0n) continue;
    const w = buckets.work[i]!;
    const claimed = rep.claimed(w);
    if (claimed > FULL_SHARE) {
      exceedWeight += p * FULL;
      exceedLines.push({ b: i, weight: p });
      continue;
    }
    for (let k = shareStart[w]!, end = shareStart[w + 1]!; k < end; k++) {
      const u = shareUnits[k]!;
      if (u === 0) continue;
      const party = shareParty[k]!;
      holderWeight[party]! += p * BigInt(u);
      holderLines[party]!++;
    }
    const free = FULL_SHARE - claimed;
    if (free > 0) {
      const wt = p * BigInt(free);
      unclaimedWeight += wt;
      unclaimedLines.push({ b: i, units: free, weight: wt });
    }
  }
  const holderParties = [];
  for (let p = 0; p < nParties; p++) if (holderWeight[p]! > 0n) holderParties.push(p);
  holderParties.sort((a, b) => cmp(rep.partyIds[a]!, rep.partyIds[b]!));

  // Suspense buckets, by code.
  const byReason = new Map<string, { weight: bigint; lines: typeof unmatchedSorted }>();
  const unmatchedSorted = [...agg.unmatched.values()].sort((a, b) => cmp(a.reason, b.reason) || srcRank[a.source]! - srcRank[b.source]!);
  let unmatchedLines = 0;
  for (const u of unmatchedSorted) {
    unmatchedLines += u.lines;
    const p = bucketPoints(u);
    let e = byReason.get(u.reason);
    if (!e) byReason.set(u.reason, (e = { weight: 0n, lines: [] }));
    e.weight += p * FULL;
    e.lines.push(u);
  }
  const codes: { code: string; weight: bigint }[] = [];
  if (exceedWeight > 0n) codes.push({ code: 'SUSPENSE.SHARES_EXCEED_100', weight: exceedWeight });
  if (unclaimedWeight > 0n) codes.push({ code: 'SUSPENSE.UNCLAIMED_SHARE', weight: unclaimedWeight });
  for (const [code, e] of byReason) if (e.weight > 0n) codes.push({ code, weight: e.weight });
  codes.sort((a, b) => cmp(a.code, b.code));

  // 4. The one allocation.
  const weights = [...holderParties.map((p) => holderWeight[p]!), ...codes.map((c) => c.weight)];
  let net: bigint[], feeParts: bigint[], dedParts: bigint[];
  if (weights.length === 0) {
    // No usage carries any weight: the whole pool is held in suspense.
    codes.push({ code: 'SUSPENSE.NO_USAGE', weight: 0n });
    net = [distributable];
    feeParts = [fee];
    dedParts = [deductions];
  } else {
    // One pass for the three totals: the same largest-remainder rule as allocateByWeights for each.
    const sum = weights.reduce((a, x) => a + x, 0n);
    const parts: bigint[][] = [[], [], []];
    splitTotals([distributable, fee, deductions], weights, sum, parts);
    [net, feeParts, dedParts] = parts as [bigint[], bigint[], bigint[]];
  }

  // 5. Holders, threshold, and their statement lines.
  let L = 0;
  for (const p of holderParties) L += holderLines[p]!;
  const lines: LineStore = {
    count: L,
    bucket: new Int32Array(L),
    units: new Int32Array(L),
    net: new BigInt64Array(L),
    fee: new BigInt64Array(L),
    deductions: new BigInt64Array(L),
    holder: new Int32Array(L),
  };
  const start = new Int32Array(nParties).fill(-1);
  const fill = new Int32Array(nParties);
  {
    let off = 0;
    holderParties.forEach((p, h) => {
      start[p] = off;
      fill[p] = off;
      lines.holder.fill(h, off, off + holderLines[p]!);
      off += holderLines[p]!;
    });
  }
  for (let i = 0; i < buckets.count; i++) {
    if (points[i] === 0n) continue;
    const w = buckets.work[i]!;
    if (rep.claimed(w) > FULL_SHARE) continue;
    for (let k = shareStart[w]!, end = shareStart[w + 1]!; k < end; k++) {
      const u = shareUnits[k]!;
      if (u === 0) continue;
      const party = shareParty[k]!;
      const at = fill[party]!++;
      lines.bucket[at] = i;
      lines.units[at] = u;
    }
  }
  const holders: HolderResult[] = [];
  let allocated = 0n, carriedForward = 0n;
  const out: bigint[][] = [[], [], []];
  const lw: bigint[] = [];
  for (let h = 0; h < holderParties.length; h++) {
    const p = holderParties[h]!;
    const n = net[h]!, f = feeParts[h]!, d = dedParts[h]!;
    const below = n < rp.threshold;
    const s = start[p]!, e = s + holderLines[p]!;
    lw.length = 0;
    for (let i = s; i < e; i++) lw.push(points[lines.bucket[i]!]! * BigInt(lines.units[i]!));
    splitTotals([n, f, d], lw, holderWeight[p]!, out);
    for (let i = s; i < e; i++) {
      lines.net[i] = out[0]![i - s]!;
      lines.fee[i] = out[1]![i - s]!;
      lines.deductions[i] = out[2]![i - s]!;
    }
    holders.push({ partyId: rep.partyIds[p]!, weight: holderWeight[p]!, gross: n + f + d, fee: f, deductions: d, net: n, payable: below ? 0n : n, carried: below ? n : 0n, lineStart: s, lineEnd: e });
    if (below) carriedForward += n;
    else allocated += n;
  }

  // 6. Suspense buckets and their lines.
  const suspenseBuckets: SuspenseBucket[] = [];
  const suspenseLines: SuspenseLine[] = [];
  let suspense = 0n;
  codes.forEach((c, j) => {
    const k = holderParties.length + j;
    const b: SuspenseBucket = { code: c.code, weight: c.weight, net: net[k]!, fee: feeParts[k]!, deductions: dedParts[k]!, gross: net[k]! + feeParts[k]! + dedParts[k]! };
    suspenseBuckets.push(b);
    suspense += b.net;
    const add = (ws: bigint[], make: (i: number, n: bigint, f: bigint, d: bigint) => SuspenseLine) => {
      const sum = ws.reduce((a, x) => a + x, 0n);
      splitTotals([b.net, b.fee, b.deductions], ws, sum, out);
      for (let i = 0; i < ws.length; i++) suspenseLines.push(make(i, out[0]![i]!, out[1]![i]!, out[2]![i]!));
    };
    const workLine = (bi: number, extra: { shareUnits?: number }, n: bigint, f: bigint, d: bigint): SuspenseLine => {
      const w = buckets.work[bi]!;
      const iswc = rep.iswc(w);
      return { code: c.code, source: sources[buckets.source[bi]!]!, workId: rep.workId(w), ...(iswc ? { iswc } : {}), title: rep.title(w), lines: buckets.lines[bi]!, plays: buckets.plays[bi]!, ...extra, gross: n + f + d, fee: f, deductions: d, net: n };
    };
    if (c.code === 'SUSPENSE.NO_USAGE') {
      suspenseLines.push({ code: c.code, lines: 0, plays: 0, gross: b.gross, fee: b.fee, deductions: b.deductions, net: b.net });
    } else if (c.code === 'SUSPENSE.UNCLAIMED_SHARE') {
      add(unclaimedLines.map((x) => x.weight), (i, n, f, d) => workLine(unclaimedLines[i]!.b, { shareUnits: unclaimedLines[i]!.units }, n, f, d));
    } else if (c.code === 'SUSPENSE.SHARES_EXCEED_100') {
      add(exceedLines.map((x) => x.weight), (i, n, f, d) => workLine(exceedLines[i]!.b, {}, n, f, d));
    } else {
      const ls = byReason.get(c.code)!.lines;
      add(ls.map((u) => bucketPoints(u)), (i, n, f, d) => {
        const u = ls[i]!;
        return { code: c.code, source: agg.sources[u.source]!, lines: u.lines, plays: u.plays, gross: n + f + d, fee: f, deductions: d, net: n };
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

/** Positions of the matched buckets in statement order: by work id, then by source rank. */
function sortBuckets(agg: UsageAggregates, rep: EngineRepertoire, srcRank: Int32Array): number[] {
  const list = agg.buckets;
  const all: number[] = [];
  for (let i = 0; i < list.count; i++) all.push(list.work[i]!);
  const used = [...new Set(all)].sort((a, b) => cmp(rep.workId(a), rep.workId(b)));
  const rank = new Map<number, number>();
  used.forEach((w, r) => rank.set(w, r));
  const n = srcRank.length;
  // Numeric keys sort fast; (rank, source) packs into a safe integer.
  const key = (i: number) => rank.get(list.work[i]!)! * n + srcRank[list.source[i]!]!;
  return all.map((_, i) => [key(i), i] as const).sort((x, y) => x[0] - y[0]).map((x) => x[1]);
}

