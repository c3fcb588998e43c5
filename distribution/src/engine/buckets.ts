/**
 * Matched usage aggregates stored column-wise: one position per (work, usage source) bucket, its
 * fields in typed arrays that grow by doubling while the usage pass adds buckets. Millions of
 * buckets cost a few dozen bytes each and no object.
 *
 * Points are exact integers held as a double accumulator while the sum stays below 2^53, plus a
 * bigint overflow kept only for the (rare) buckets that pass it: {@link BucketStore.points} is
 * always `BigInt(acc) + overflow`.
 */

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Number of match methods counted per bucket (see `MATCH_METHODS`). */
export const METHOD_COUNT = 4;

/** Matched usage of (work, source) buckets; bucket `i` is valid for `0 ≤ i < count`. */
export class BucketStore {
  /** Number of buckets. */
  count = 0;
  /** Work position (in the repertoire) of each bucket. */
  work: Int32Array;
  /** Usage source of each bucket. */
  source: Int32Array;
  /** Usage lines aggregated into each bucket. */
  lines: Float64Array;
  /** Plays of each bucket (at most 2^53 − 1). */
  plays: Float64Array;
  /** Plays per match method: bucket `i`, method slot `m` (in `MATCH_METHODS` order) at `4i + m`. */
  methodPlays: Float64Array;
  // Points below 2^53 of each bucket; the rest is in `overflow`.
  private acc: Float64Array;
  private readonly overflow = new Map<number, bigint>();

  /** An empty store with room for `capacity` buckets before it grows. */
  constructor(capacity = 1024) {
    const n = Math.max(1, capacity);
    this.work = new Int32Array(n);
    this.source = new Int32Array(n);
    this.lines = new Float64Array(n);
    this.plays = new Float64Array(n);
    this.methodPlays = new Float64Array(n * METHOD_COUNT);
    this.acc = new Float64Array(n);
  }

  /** Appends an empty bucket of `work` and `source`; returns its position. */
  add(work: number, source: number): number {
    const i = this.count;
    if (i === this.work.length) this.resize(i * 2);
    this.work[i] = work;
    this.source[i] = source;
    this.count = i + 1;
    return i;
  }

  /** Adds exact points to bucket `i`: `points` (a safe integer) plus `big`. */
  addPoints(i: number, points: number, big: bigint): void {
    if (big !== 0n) this.overflow.set(i, (this.overflow.get(i) ?? 0n) + big);
    this.addSafePoints(i, points);
  }

  /** Adds `points` (a safe integer) to bucket `i`: {@link addPoints} without a bigint part. */
  addSafePoints(i: number, points: number): void {
    const acc = this.acc[i]!;
    const next = acc + points;
    if (next > MAX_SAFE) {
      this.overflow.set(i, (this.overflow.get(i) ?? 0n) + BigInt(acc) + BigInt(points));
      this.acc[i] = 0;
    } else this.acc[i] = next;
  }

  /** Points of bucket `i` as one exact bigint. */
  points(i: number): bigint {
    const big = this.overflow.get(i);
    return big === undefined ? BigInt(this.acc[i]!) : BigInt(this.acc[i]!) + big;
  }

  /** Points of bucket `i` as a number when they are below 2^53 (exact), else NaN: no bigint allocated. */
  pointsNumber(i: number): number {
    return this.overflow.size > 0 && this.overflow.has(i) ? NaN : this.acc[i]!;
  }

  /**
   * Copies bucket `i` of `from` to the end of this store with source `source` (merging stores of
   * different usage files, or reordering); returns the new position.
   */
  copyFrom(from: BucketStore, i: number, source: number): number {
    const j = this.add(from.work[i]!, source);
    this.lines[j] = from.lines[i]!;
    this.plays[j] = from.plays[i]!;
    for (let m = 0; m < METHOD_COUNT; m++) this.methodPlays[j * METHOD_COUNT + m] = from.methodPlays[i * METHOD_COUNT + m]!;
    this.acc[j] = from.acc[i]!;
    const big = from.overflow.get(i);
    if (big !== undefined) this.overflow.set(j, big);
    return j;
  }

  /** The buckets at positions `order` (in that order), sources renumbered by `sourceMap`. */
  select(order: ArrayLike<number>, sourceMap: ArrayLike<number>): BucketStore {
    const n = order.length;
    const out = new BucketStore(n);
    out.count = n;
    // Where each bucket goes; when no bucket is taken twice, every column is copied in one
    // sequential pass with scattered writes, several times faster than scattered reads.
    const to = new Int32Array(this.count).fill(-1);
    let once = true;
    for (let k = 0; k < n && once; k++) {
      const i = order[k]!;
      if (to[i] !== -1) once = false;
      to[i] = k;
    }
    const at = (k: number) => order[k]!;
    for (let m = 0; m < METHOD_COUNT; m++) {
      // Method slot m of every bucket, as one strided column.
      copyColumn(this.methodPlays, out.methodPlays, n, once, to, at, METHOD_COUNT, m);
    }
    copyColumn(this.work, out.work, n, once, to, at);
    copyColumn(this.lines, out.lines, n, once, to, at);
    copyColumn(this.plays, out.plays, n, once, to, at);
    copyColumn(this.acc, out.acc, n, once, to, at);
    copyColumn(this.source, out.source, n, once, to, at);
    for (let k = 0; k < n; k++) out.source[k] = sourceMap[out.source[k]!]!;
    if (this.overflow.size > 0) {
      for (let k = 0; k < n; k++) {
        const big = this.overflow.get(order[k]!);
        if (big !== undefined) out.overflow.set(k, big);
      }
    }
    return out;
  }

  /** Drops spare capacity (after the last bucket was added). */
  trim(): void {
    if (this.work.length > this.count) this.resize(this.count);
  }

  private resize(n: number): void {
    const cap = Math.max(1, n);
    const int = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a.subarray(0, Math.min(a.length, cap)));
      return b;
    };
    const dbl = (a: Float64Array, k = 1) => {
      const b = new Float64Array(cap * k);
      b.set(a.subarray(0, Math.min(a.length, cap * k)));
      return b;
    };
    this.work = int(this.work);
    this.source = int(this.source);
    this.lines = dbl(this.lines);
    this.plays = dbl(this.plays);
    this.methodPlays = dbl(this.methodPlays, METHOD_COUNT);
    this.acc = dbl(this.acc);
  }
}

/**
 * out[k] = from[order[k]] for k < n (element `slot` of groups of `stride`): by scattering
 * from[i] to out[to[i]] when `once` (no bucket taken twice), else by gathering.
 */
function copyColumn(from: Int32Array | Float64Array, out: Int32Array | Float64Array, n: number, once: boolean, to: Int32Array, at: (k: number) => number, stride = 1, slot = 0): void {
  if (once) {
    for (let i = 0; i < to.length; i++) {
      const k = to[i]!;
      if (k >= 0) out[k * stride + slot] = from[i * stride + slot]!;
    }
  } else for (let k = 0; k < n; k++) out[k * stride + slot] = from[at(k) * stride + slot]!;
}
