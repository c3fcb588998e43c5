/**
 * Splitting an exact total into parts proportional to weights, in integer arithmetic only. This is
 * what makes a distribution conserve money: the parts always sum to the total, and each part is
 * within one minor unit of its exact rational share.
 */
import { money, MoneyError, type Money } from './money';

/** A weight: a non-negative bigint, or a non-negative decimal string such as `'33.3333'`. */
export type Weight = bigint | string;

const WEIGHT_RE = /^\d+(\.\d+)?$/;
/** Generous for shares and usage counts, small enough that scaling stays cheap. */
const MAX_WEIGHT_TEXT = 100;

/**
 * Scales weights to exact integers by one common power of ten (`['1.5', '2', 3n]` becomes
 * `[15n, 20n, 30n]`), so their ratios are preserved with no floating point and no rounding.
 * @throws MoneyError `MONEY.INVALID_AMOUNT` (field `weights[i]`) for a negative, malformed or non-bigint/non-string weight.
 */
export function scaleWeights(weights: readonly Weight[]): bigint[] {
  let places = 0;
  for (const [i, w] of weights.entries()) {
    if (typeof w === 'bigint') {
      if (w < 0n) throw new MoneyError('MONEY.INVALID_AMOUNT', `weights[${i}] must not be negative, got ${w}`, `weights[${i}]`);
    } else if (typeof w === 'string' && w.length <= MAX_WEIGHT_TEXT && WEIGHT_RE.test(w)) {
      places = Math.max(places, w.split('.')[1]?.length ?? 0);
    } else {
      throw new MoneyError(
        'MONEY.INVALID_AMOUNT',
        `weights[${i}] must be a non-negative bigint or decimal string like '33.3333', got ${typeof w === 'string' ? JSON.stringify(w) : typeof w}`,
        `weights[${i}]`,
      );
    }
  }
  const factor = 10n ** BigInt(places);
  return weights.map((w) => {
    if (typeof w === 'bigint') return w * factor;
    const [intPart = '', fracPart = ''] = w.split('.');
    return BigInt(intPart + fracPart.padEnd(places, '0'));
  });
}

/**
 * Splits `total` minor units in proportion to `weights` by the largest-remainder method.
 *
 * Each part starts at floor(total × w_i / W), where W is the sum of the weights; the units left
 * over (fewer than the number of parts) go one each to the parts with the largest remainders
 * total × w_i mod W. **Tie-break: equal remainders go to the lower index first.** Callers must
 * therefore order their inputs canonically (e.g. by party id, then work id) so that anyone re-running
 * the allocation from the published inputs gets the same result.
 *
 * Guarantees: the parts sum exactly to `total`; every part differs from its exact share
 * total × w_i / W by less than one unit; a zero weight gets zero; the result depends only on the
 * input values and their order.
 *
 * @param total non-negative amount in minor units.
 * @param weights non-negative bigints or decimal strings; decimal strings are scaled exactly (see {@link scaleWeights}).
 * @throws MoneyError `MONEY.INVALID_AMOUNT` for a negative total or a bad weight (field `total` or `weights[i]`).
 * @throws MoneyError `ALLOCATION.NO_WEIGHT` when the weights are empty or all zero: there is nothing to
 *   allocate by, and the caller decides where the money goes instead (e.g. suspense).
 */
export function allocateByWeights(total: bigint, weights: readonly Weight[]): bigint[] {
  if (typeof total !== 'bigint' || total < 0n) {
    throw new MoneyError('MONEY.INVALID_AMOUNT', `total must be a non-negative bigint, got ${String(total)}`, 'total');
  }
  const scaled = scaleWeights(weights);
  const sum = scaled.reduce((a, b) => a + b, 0n);
  if (sum === 0n) {
    throw new MoneyError('ALLOCATION.NO_WEIGHT', 'cannot allocate: every weight is zero', 'weights');
  }
  const parts: bigint[] = [];
  const remainders: bigint[] = [];
  let allocated = 0n;
  for (const w of scaled) {
    const product = total * w;
    const part = product / sum; // floor: both operands are non-negative
    parts.push(part);
    remainders.push(product % sum);
    allocated += part;
  }
  let leftover = total - allocated;
  if (leftover > 0n) {
    const order = remainders.map((_, i) => i);
    order.sort((a, b) => {
      const ra = remainders[a] ?? 0n;
      const rb = remainders[b] ?? 0n;
      return ra > rb ? -1 : ra < rb ? 1 : a - b; // largest remainder first, then lower index
    });
    // leftover < number of positive remainders, so zero-weight parts (remainder 0) never get a unit.
    for (const i of order) {
      if (leftover === 0n) break;
      parts[i] = (parts[i] ?? 0n) + 1n;
      leftover -= 1n;
    }
  }
  return parts;
}

/**
 * {@link allocateByWeights} for Money: splits `total` into parts of the same currency.
 * @throws MoneyError as {@link allocateByWeights}; `MONEY.INVALID_AMOUNT` for a negative total.
 */
export function allocateMoney(total: Money, weights: readonly Weight[]): Money[] {
  return allocateByWeights(total.minor, weights).map((minor) => money(minor, total.currency));
}
