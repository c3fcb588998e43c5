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
