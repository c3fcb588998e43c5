/**
 * Largest-remainder splitting of several totals over one set of integer weights in a single pass:
 * the same rule as `allocateByWeights` (floor, then one unit each to the largest remainders, ties
 * to the lower index), without its per-call validation and decimal scaling, because the engine
 * calls it once per rights holder with weights it has just computed as exact bigints.
 */

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Splits each of `totals` over `weights` (non-negative bigints with a positive sum) and writes the
 * parts to `out[t][i]`. Equal to `allocateByWeights(totals[t], weights)` for every t.
 */
export function splitTotals(totals: readonly bigint[], weights: readonly bigint[], sum: bigint, out: bigint[][]): void {
  const n = weights.length;
  for (let t = 0; t < totals.length; t++) {
    const total = totals[t]!;
    const parts = out[t]!;
    parts.length = n;
    if (n === 1) {
      parts[0] = total;
      continue;
    }
    let allocated = 0n;
    let rem: bigint[] | undefined;
    for (let i = 0; i < n; i++) {
      const product = total * weights[i]!;
      const part = product / sum;
      parts[i] = part;
      allocated += part;
      const r = product - part * sum;
      if (r !== 0n) (rem ??= new Array<bigint>(n).fill(0n))[i] = r;
    }
    let leftover = total - allocated;
    if (leftover > 0n && rem) {
      const order = Array.from({ length: n }, (_, i) => i);
      if (sum <= MAX_SAFE) {
        // Remainders are below the sum, so below 2^53: doubles hold them exactly and sort far faster.
        const r = new Float64Array(n);
        for (let i = 0; i < n; i++) r[i] = Number(rem[i]!);
        order.sort((a, b) => r[b]! - r[a]! || a - b);
      } else {
        const r = rem;
        order.sort((a, b) => (r[a]! > r[b]! ? -1 : r[a]! < r[b]! ? 1 : a - b));
      }
      for (const i of order) {
        if (leftover === 0n) break;
        parts[i]! += 1n;
        leftover -= 1n;
      }
    }
  }
}

/** Products below 2^52 are split directly in doubles (a quotient rounded up by one still times the sum stays below 2^53). */
const DIRECT_BELOW = 2 ** 52;
/** {@link Splitter} takes totals, weights and sums below 2^51. */
export const SPLIT_BELOW = 2 ** 51;
/** Base of the 26-bit limbs of the wide products. */
const LIMB = 2 ** 26;

/**
 * The same largest-remainder split in doubles, for the millions of statement lines and holders
 * whose totals, weights and sums are below 2^51: no bigint, no array per call (its scratch arrays
 * are reused). A product total × weight below 2^52 is exact as it is; a larger one (up to 2^102)
 * gets its quotient estimated in floating point and its remainder computed exactly in 26-bit limbs,
 * then the quotient corrected to the exact floor.
 */
export class Splitter {
  /** Parts of the last {@link split}: `parts[k]` for weight `from + k`. */
  parts = new Float64Array(64);
  private rem = new Float64Array(64);
  private order = new Int32Array(64);
  private sorted = new Float64Array(64);

  /** Whether {@link split} is exact for `total`, the largest weight and the weights' sum (non-negative integers). */
  static fits(total: number, largest: number, sum: number): boolean {
    return total < SPLIT_BELOW && largest < SPLIT_BELOW && sum < SPLIT_BELOW;
  }

  /**
   * Splits `total` over `weights[from, to)` (non-negative integers summing exactly to `sum` > 0)
   * into {@link parts}`[0, to − from)`: floor(total × w / sum) each, then one unit each to the
   * largest remainders, ties to the lower index. Only valid where {@link fits} holds.
   */
  split(total: number, weights: Float64Array, from: number, to: number, sum: number): Float64Array {
    const n = to - from;
    if (n > this.parts.length) this.grow(n);
    const parts = this.parts, rem = this.rem, order = this.order;
    let allocated = 0;
    let withRemainder = 0;
    for (let k = 0; k < n; k++) {
      const w = weights[from + k]!;
      const product = total * w;
      let q: number, r: number;
      if (product < DIRECT_BELOW) {
        q = Math.floor(product / sum);
        r = product - q * sum;
      } else {
        // q within 1 of the floor (relative error 2^-52 of a quotient below 2^51); r = total·w − q·sum in limbs.
        q = Math.floor(product / sum);
        r = wideRemainder(total, w, q, sum);
      }
      // The floating-point quotient can land one off the floor: correct it so that 0 ≤ r < sum.
      while (r < 0) {
        q -= 1;
        r += sum;
      }
      while (r >= sum) {
        q += 1;
        r -= sum;
      }
      parts[k] = q;
      rem[k] = r;
      allocated += q;
      if (r > 0) order[withRemainder++] = k;
    }
    const leftover = total - allocated;
    // The remainders sum to leftover × sum and each is below sum, so more than `leftover` are positive.
    if (leftover > 0) {
      if (withRemainder <= 48) {
        insertionSort(order, withRemainder, rem);
        for (let k = 0; k < leftover; k++) parts[order[k]!]! += 1;
      } else this.giveToLargest(leftover, withRemainder);
    }
    return parts;
  }

  /**
   * One unit each to the `leftover` largest remainders among `order[0, count)` (in index order),
   * ties to the lower index: the cut-off remainder is found by selection, in linear time.
   */
  private giveToLargest(leftover: number, count: number): void {
    const parts = this.parts, rem = this.rem, order = this.order, sorted = this.sorted;
    for (let j = 0; j < count; j++) sorted[j] = rem[order[j]!]!;
    const cut = select(sorted, count, count - leftover);
    let equalsToGive = leftover;
    for (let j = 0; j < count; j++) if (rem[order[j]!]! > cut) equalsToGive--;
    for (let j = 0; j < count; j++) {
      const k = order[j]!;
      const r = rem[k]!;
      if (r > cut) parts[k]! += 1;
      else if (r === cut && equalsToGive > 0) {
        parts[k]! += 1;
        equalsToGive--;
      }
    }
  }

  private grow(n: number): void {
    const size = Math.max(n, this.parts.length * 2);
    this.parts = new Float64Array(size);
    this.rem = new Float64Array(size);
    this.order = new Int32Array(size);
    this.sorted = new Float64Array(size);
  }
}

/**
 * The value that would be at position `k` of `a[0, n)` sorted ascending (quickselect; `a` is
 * reordered). Expected linear time.
 */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0, hi = n - 1;
  while (hi > lo) {
    // Median of three as the pivot, then Hoare partition.
    const mid = lo + ((hi - lo) >> 1);
    const x = a[lo]!, y = a[mid]!, z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/**
 * total × w − q × sum, exactly, for integers below 2^51 whose true result is below 2^53 in
 * magnitude: each operand is split into two 26-bit limbs, every partial product and every
 * difference of like partial products is then an exact double, and the limbs recombine exactly.
 */
function wideRemainder(total: number, w: number, q: number, sum: number): number {
  const t1 = Math.floor(total / LIMB), t0 = total - t1 * LIMB;
  const w1 = Math.floor(w / LIMB), w0 = w - w1 * LIMB;
  const q1 = Math.floor(q / LIMB), q0 = q - q1 * LIMB;
  const s1 = Math.floor(sum / LIMB), s0 = sum - s1 * LIMB;
  const d2 = t1 * w1 - q1 * s1;
  const d1 = t1 * w0 + t0 * w1 - (q1 * s0 + q0 * s1);
  const d0 = t0 * w0 - q0 * s0;
  return (d2 * LIMB + d1) * LIMB + d0;
}

/** Sorts `order[0, n)` (indexes) by remainder, largest first, ties to the lower index (the list is short: at most 48). */
function insertionSort(order: Int32Array, n: number, rem: Float64Array): void {
  for (let i = 1; i < n; i++) {
    const x = order[i]!;
    const r = rem[x]!;
    let j = i - 1;
    while (j >= 0 && (rem[order[j]!]! < r || (rem[order[j]!]! === r && order[j]! > x))) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = x;
  }
}
