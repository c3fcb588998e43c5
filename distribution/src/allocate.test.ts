import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateByWeights, allocateMoney, scaleWeights, type Weight } from './allocate';
import { formatMoney, MoneyError, parseMoney } from './money';

function moneyError(fn: () => unknown): MoneyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MoneyError);
    return e as MoneyError;
  }
  throw new Error('expected a MoneyError');
}

const arbTotal = fc.bigInt({ min: 0n, max: 10n ** 15n });
/** Weights as bigints or decimal strings with up to 6 decimals, some zero, at least one positive. */
const arbWeight: fc.Arbitrary<Weight> = fc.oneof(
  fc.bigInt({ min: 0n, max: 10n ** 6n }),
  fc.constant(0n),
  fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 4n }), fc.integer({ min: 0, max: 6 }))
    .map(([n, places]) => {
      const s = n.toString().padStart(places + 1, '0');
      return places === 0 ? s : `${s.slice(0, -places)}.${s.slice(-places)}`;
    }),
);
const arbWeights = fc
  .array(arbWeight, { minLength: 1, maxLength: 30 })
  .filter((ws) => scaleWeights(ws).some((w) => w > 0n));

const abs = (x: bigint) => (x < 0n ? -x : x);

describe('scaleWeights', () => {
  it('scales by one common power of ten, exactly', () => {
    expect(scaleWeights(['1.5', '2', 3n, '0.25'])).toEqual([150n, 200n, 300n, 25n]);
    expect(scaleWeights(['33.3333', '33.3333', '33.3334'])).toEqual([333333n, 333333n, 333334n]);
    expect(scaleWeights([1n, 2n])).toEqual([1n, 2n]);
    expect(scaleWeights([])).toEqual([]);
  });

  it.each([['-1'], ['1e3'], [''], [' 1'], ['+1'], ['.5'], ['NaN'], ['1,5']])('rejects %j', (w) => {
    const e = moneyError(() => scaleWeights([1n, w]));
    expect(e.code).toBe('MONEY.INVALID_AMOUNT');
    expect(e.field).toBe('weights[1]');
  });

  it('rejects negative bigints and numbers', () => {
    expect(moneyError(() => scaleWeights([-1n])).field).toBe('weights[0]');
    expect(moneyError(() => scaleWeights([1 as unknown as bigint])).code).toBe('MONEY.INVALID_AMOUNT');
  });
});

describe('allocateByWeights examples', () => {
  it('100.00 over 1:1:1 gives 33.34, 33.33, 33.33 (tie goes to the lower index)', () => {
    expect(allocateByWeights(10000n, [1n, 1n, 1n])).toEqual([3334n, 3333n, 3333n]);
    expect(allocateByWeights(10000n, ['1', '1.0', '1.00'])).toEqual([3334n, 3333n, 3333n]);
  });

  it('gives leftovers to the largest remainders, not to the first index', () => {
    // exact shares 0.3, 0.3, 0.4 of 1: the largest remainder (index 2) takes the unit
    expect(allocateByWeights(1n, [3n, 3n, 4n])).toEqual([0n, 0n, 1n]);
    // 2 units over 3:3:4 → exact 0.6, 0.6, 0.8: index 2 then index 0 (tie with 1 broken by index)
    expect(allocateByWeights(2n, [3n, 3n, 4n])).toEqual([1n, 0n, 1n]);
  });

  it('handles decimal share strings like CWR percentages', () => {
    expect(allocateByWeights(100n, ['33.3333', '33.3333', '33.3334'])).toEqual([33n, 33n, 34n]);
    expect(allocateByWeights(1000n, ['50', '25', '12.5', '12.5'])).toEqual([500n, 250n, 125n, 125n]);
  });

  it('zero weights get zero; zero total gives zeros', () => {
    expect(allocateByWeights(7n, [0n, 1n, '0.000', 1n])).toEqual([0n, 4n, 0n, 3n]);
    expect(allocateByWeights(0n, [1n, 2n])).toEqual([0n, 0n]);
  });

  it('one weight takes everything', () => {
    expect(allocateByWeights(123456789n, ['0.0001'])).toEqual([123456789n]);
  });

  it('rejects a negative total and no weight', () => {
    const neg = moneyError(() => allocateByWeights(-1n, [1n]));
    expect(neg.code).toBe('MONEY.INVALID_AMOUNT');
    expect(neg.field).toBe('total');
    expect(moneyError(() => allocateByWeights(10n, [0n, '0.0'])).code).toBe('ALLOCATION.NO_WEIGHT');
    expect(moneyError(() => allocateByWeights(10n, [])).code).toBe('ALLOCATION.NO_WEIGHT');
    expect(moneyError(() => allocateByWeights(10 as unknown as bigint, [1n])).code).toBe('MONEY.INVALID_AMOUNT');
  });
});

describe('allocateByWeights properties', () => {
  it('parts sum exactly to the total', () => {
    fc.assert(
      fc.property(arbTotal, arbWeights, (total, weights) => {
        const parts = allocateByWeights(total, weights);
        expect(parts).toHaveLength(weights.length);
        expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
      }),
      { numRuns: 400 },
    );
  });

  it('each part is within one unit of its exact share: |part·W − total·w| < W', () => {
    fc.assert(
      fc.property(arbTotal, arbWeights, (total, weights) => {
        const scaled = scaleWeights(weights);
        const W = scaled.reduce((a, b) => a + b, 0n);
        allocateByWeights(total, weights).forEach((part, i) => {
          const w = scaled[i] ?? 0n;
          expect(part >= 0n).toBe(true);
          expect(abs(part * W - total * w) < W).toBe(true);
        });
      }),
      { numRuns: 400 },
    );
  });

  it('zero weights get zero', () => {
    fc.assert(
      fc.property(arbTotal, arbWeights, (total, weights) => {
        const scaled = scaleWeights(weights);
        allocateByWeights(total, weights).forEach((part, i) => {
          if (scaled[i] === 0n) expect(part).toBe(0n);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(arbTotal, arbWeights, (total, weights) => {
        expect(allocateByWeights(total, weights)).toEqual(allocateByWeights(total, [...weights]));
      }),
      { numRuns: 200 },
    );
  });

  it('equal weights get parts that differ by at most one, lower index first', () => {
    fc.assert(
      fc.property(arbTotal, fc.bigInt({ min: 1n, max: 1000n }), fc.integer({ min: 1, max: 20 }), (total, w, n) => {
        const parts = allocateByWeights(total, Array.from({ length: n }, () => w));
        for (let i = 1; i < parts.length; i++) {
          const prev = parts[i - 1] ?? 0n;
          const cur = parts[i] ?? 0n;
          expect(prev - cur === 0n || prev - cur === 1n).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is permutation-invariant when the remainders are distinct', () => {
    fc.assert(
      fc.property(
        arbTotal,
        arbWeights.chain((ws) => fc.tuple(fc.constant(ws), fc.shuffledSubarray(ws.map((_, i) => i), { minLength: ws.length }))),
        (total, [weights, perm]) => {
          const scaled = scaleWeights(weights);
          const W = scaled.reduce((a, b) => a + b, 0n);
          const rems = scaled.map((w) => (total * w) % W);
          fc.pre(new Set(rems.map(String)).size === rems.length);
          const parts = allocateByWeights(total, weights);
          const permuted = allocateByWeights(total, perm.map((i) => weights[i] as Weight));
          expect(permuted).toEqual(perm.map((i) => parts[i]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('under any permutation, only parts with tied remainders can change, and by at most one unit', () => {
    fc.assert(
      fc.property(
        arbTotal,
        arbWeights.chain((ws) => fc.tuple(fc.constant(ws), fc.shuffledSubarray(ws.map((_, i) => i), { minLength: ws.length }))),
        (total, [weights, perm]) => {
          const scaled = scaleWeights(weights);
          const W = scaled.reduce((a, b) => a + b, 0n);
          const rems = scaled.map((w) => (total * w) % W);
          const parts = allocateByWeights(total, weights);
          const permuted = allocateByWeights(total, perm.map((i) => weights[i] as Weight));
          perm.forEach((orig, j) => {
            const before = parts[orig] ?? 0n;
            const after = permuted[j] ?? 0n;
            if (before !== after) {
              expect(abs(before - after)).toBe(1n);
              expect(rems.filter((r) => r === rems[orig]).length).toBeGreaterThan(1);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('allocateMoney', () => {
  it('splits Money and keeps the currency', () => {
    const parts = allocateMoney(parseMoney('100.00', 'CNY'), [1n, 1n, 1n]);
    expect(parts.map(formatMoney)).toEqual(['33.34', '33.33', '33.33']);
    expect(parts.every((p) => p.currency === 'CNY')).toBe(true);
    expect(allocateMoney(parseMoney('100', 'JPY'), ['2', '1']).map(formatMoney)).toEqual(['67', '33']);
  });

  it('rejects a negative total', () => {
    expect(moneyError(() => allocateMoney(parseMoney('-1.00', 'CNY'), [1n])).code).toBe('MONEY.INVALID_AMOUNT');
  });
});
