import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateByWeights } from '../allocate';
import { halvesOf, getSafe, putSafe } from './minor-column';
import { SPLIT_BELOW, Splitter } from './split';
import { sortByStringKey } from './string-order';

const LIMIT = BigInt(SPLIT_BELOW) - 1n;

describe('Splitter (largest remainder in doubles)', () => {
  const splitter = new Splitter();
  const split = (total: bigint, ws: bigint[]) => {
    const sum = ws.reduce((a, x) => a + x, 0n);
    const weights = Float64Array.from([7, ...ws.map(Number), 7]); // offset by one: from/to are honoured
    return Array.from(splitter.split(Number(total), weights, 1, ws.length + 1, Number(sum)).subarray(0, ws.length), (x) => BigInt(x));
  };

  it('gives leftover units to the largest remainders, ties to the lower index', () => {
    expect(split(2n, [1n, 1n, 1n])).toEqual([1n, 1n, 0n]);
    expect(split(5n, [1n, 1n, 1n])).toEqual([2n, 2n, 1n]);
    expect(split(10n, [0n, 3n, 0n, 3n, 3n])).toEqual([0n, 4n, 0n, 3n, 3n]);
  });

  it('equals allocateByWeights for small and wide products, short and long lists', () => {
    const weight = fc.oneof(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.bigInt({ min: 0n, max: 2n ** 47n }));
    fc.assert(
      fc.property(fc.array(weight, { minLength: 1, maxLength: 150 }), fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.bigInt({ min: 0n, max: LIMIT })), (ws, total) => {
        const sum = ws.reduce((a, x) => a + x, 0n);
        fc.pre(sum > 0n && sum <= LIMIT);
        expect(split(total, ws)).toEqual(allocateByWeights(total, ws));
      }),
      { numRuns: 2000 },
    );
  });

  it('is exact at the edges of its range', () => {
    for (const ws of [[LIMIT], [LIMIT - 1n, 1n], [1n, LIMIT - 1n], [LIMIT / 3n, LIMIT / 3n, LIMIT / 3n], [2n ** 50n - 1n, 2n ** 50n - 3n, 5n]]) {
      for (const total of [0n, 1n, LIMIT, LIMIT - 1n, 2n ** 26n + 1n, 10n ** 15n]) expect(split(total, ws), `${total} over ${ws}`).toEqual(allocateByWeights(total, ws));
    }
  });

  it('gives many equal remainders to the lowest indexes (long lists take the selected cut-off)', () => {
    const ws = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? 2n : 1n));
    for (const total of [1n, 7n, 50n, 133n, 999n]) expect(split(total, ws)).toEqual(allocateByWeights(total, ws));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }).map(BigInt), { minLength: 49, maxLength: 400 }), fc.bigInt({ min: 0n, max: 10n ** 6n }), (w, total) => {
        fc.pre(w.some((x) => x > 0n));
        expect(split(total, w)).toEqual(allocateByWeights(total, w));
      }),
      { numRuns: 300 },
    );
  });
});

describe('minor-unit columns through 32-bit halves', () => {
  it('store and read safe integers, and refuse to read what is not one', () => {
    const col = new BigInt64Array(4);
    const h = halvesOf(col);
    for (const v of [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1]) {
      putSafe(h, 1, v);
      expect(col[1]).toBe(BigInt(v));
      expect(getSafe(h, 1)).toBe(v);
    }
    col[2] = 2n ** 53n;
    col[3] = -5n;
    expect(getSafe(h, 2)).toBe(-1);
    expect(getSafe(h, 3)).toBe(-1);
  });
});

describe('sortByStringKey', () => {
  it('orders like < on strings (code units, prefixes first), for any mix of keys', () => {
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('W1', 'W10', 'W2', 'W100', ''), fc.stringMatching(/^[A-Z][0-9]{1,7}$/), fc.string({ unit: 'binary', maxLength: 4 }), fc.string({ unit: 'binary-ascii', maxLength: 3 }));
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 300 }), (keys) => {
        const order = Int32Array.from(keys.keys());
        sortByStringKey(keys, order);
        expect(Array.from(order, (i) => keys[i])).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      }),
      { numRuns: 300 },
    );
  });
});
