import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { parseMoney } from './money';
import {
  quoteInputSchema,
  quoteRequestSchema,
  quoteTariff,
  tariffFormulaSchema,
  type QuoteInput,
  type TariffFormula,
  type TariffQuote,
} from './tariff';

/** Returns the issue paths (dot-joined) of the ZodError that fn throws. */
function zodPaths(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ZodError);
    return (e as ZodError).issues.map((i) => i.path.join('.'));
  }
  throw new Error('expected a ZodError');
}

/** Lines must add up to the total exactly. */
function expectConsistent(q: TariffQuote): void {
  const sum = q.lines.reduce((acc, l) => acc + parseMoney(l.amount, q.currency).minor, 0n);
  expect(sum).toBe(parseMoney(q.total, q.currency).minor);
}

const hotel: TariffFormula = { kind: 'flat', currency: 'CNY', ratePerUnit: '0.50', unit: 'room', period: 'day' };
const shop: TariffFormula = { kind: 'flat', currency: 'CNY', ratePerUnit: '2.345', unit: 'square_metre', period: 'year' };
const ktv: TariffFormula = {
  kind: 'per_use_capped',
  currency: 'CNY',
  baseFeePerDay: '5.00',
  includedUsesPerDay: 20,
  feePerExtraUse: '0.30',
  dailyCap: '12.00',
};
const streaming: TariffFormula = { kind: 'revenue_share', currency: 'CNY', rate: '0.025', minimum: '1000.00', period: 'month' };

describe('flat', () => {
  it('charges rate × units × periods', () => {
    const q = quoteTariff(hotel, { kind: 'flat', units: 120, periods: 30 });
    expect(q.currency).toBe('CNY');
    expect(q.total).toBe('1800.00');
    expect(q.lines).toEqual([{ label: '120 room × 30 days at 0.50 CNY per room per day', amount: '1800.00' }]);
  });

  it('accepts fractional units and rounds the line half-up', () => {
    // 2.345 × 10.5 × 1 = 24.6225 → 24.62; 2.345 × 1 × 1 = 2.345 → 2.35 (half-up, not half-even)
    expect(quoteTariff(shop, { kind: 'flat', units: '10.5', periods: 1 }).total).toBe('24.62');
    expect(quoteTariff(shop, { kind: 'flat', units: '1', periods: 1 }).total).toBe('2.35');
    expect(quoteTariff(shop, { kind: 'flat', units: '0.2', periods: 1 }).total).toBe('0.47'); // 0.469
  });

  it('works for a zero-scale currency', () => {
    const f: TariffFormula = { kind: 'flat', currency: 'JPY', ratePerUnit: '12.5', unit: 'seat', period: 'month' };
    expect(quoteTariff(f, { kind: 'flat', units: 3, periods: 1 }).total).toBe('38'); // 37.5 → 38
  });

  it('matches exact rational arithmetic (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 7n }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 400 }),
        (rateDigits, places, units, periods) => {
          const s = rateDigits.toString().padStart(places + 1, '0');
          const rate = places === 0 ? s : `${s.slice(0, -places)}.${s.slice(-places)}`;
          const q = quoteTariff({ kind: 'flat', currency: 'USD', ratePerUnit: rate, unit: 'device', period: 'day' }, { kind: 'flat', units, periods });
          // exact value in cents = rateDigits × units × periods × 100 / 10^places; half-up:
          const den = 10n ** BigInt(places);
          const exact2 = 2n * rateDigits * BigInt(units) * BigInt(periods) * 100n;
          const total = parseMoney(q.total, 'USD').minor;
          // total - 1/2 <= exact < total + 1/2
          expect((2n * total - 1n) * den <= exact2).toBe(true);
          expect(exact2 < (2n * total + 1n) * den).toBe(true);
          expectConsistent(q);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('per_use_capped', () => {
  it('charges base, extra uses, and caps each day', () => {
    const q = quoteTariff(ktv, { kind: 'per_use_capped', dailyUses: [[0, 20, 21, 30, 100], []] });
    // days: 5.00, 5.00, 5.30, 8.00, min(5 + 80 × 0.30 = 29.00, 12.00) = 12.00 → 35.30
    expect(q.lines).toEqual([
      { label: 'terminal 1: 5 days, 171 uses', amount: '35.30' },
      { label: 'terminal 2: 0 days, 0 uses', amount: '0.00' },
    ]);
    expect(q.total).toBe('35.30');
    expectConsistent(q);
  });

  it('caps per day, not over the whole period', () => {
    // two days: 100 uses then 0 uses → 12.00 + 5.00, not min(12.00, ...) over both days
    expect(quoteTariff(ktv, { kind: 'per_use_capped', dailyUses: [[100, 0]] }).total).toBe('17.00');
  });

  it('uniform usage equals the expanded daily form', () => {
    const uniform = quoteTariff(ktv, { kind: 'per_use_capped', uniform: { terminals: 3, days: 30, usesPerDay: 25 } });
    expect(uniform.lines).toEqual([{ label: '3 terminals × 30 days at 25 uses per day', amount: '585.00' }]); // 6.50 × 90
    const expanded = quoteTariff(ktv, { kind: 'per_use_capped', dailyUses: Array.from({ length: 3 }, () => Array<number>(30).fill(25)) });
    expect(expanded.total).toBe(uniform.total);
  });

  it('rounds sub-cent per-use fees half-up once per line', () => {
    const f: TariffFormula = { ...ktv, baseFeePerDay: '0.00', includedUsesPerDay: 0, feePerExtraUse: '0.005', dailyCap: '100.00' };
    // 1 use = 0.005 → 0.01 (half-up); 3 uses over 3 days = 0.015 → 0.02 (rounded once, not per day)
    expect(quoteTariff(f, { kind: 'per_use_capped', dailyUses: [[1]] }).total).toBe('0.01');
    expect(quoteTariff(f, { kind: 'per_use_capped', dailyUses: [[1, 1, 1]] }).total).toBe('0.02');
    const q = quoteTariff(f, { kind: 'per_use_capped', dailyUses: [[1], [1], [1]] });
    expect(q.lines.map((l) => l.amount)).toEqual(['0.01', '0.01', '0.01']);
    expect(q.total).toBe('0.03'); // total is the sum of rounded lines
  });

  it('never exceeds the cap per terminal-day and is monotone in uses (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 31 }), { maxLength: 5 }), (dailyUses) => {
        const q = quoteTariff(ktv, { kind: 'per_use_capped', dailyUses });
        dailyUses.forEach((days, t) => {
          const line = parseMoney(q.lines[t]?.amount ?? 'x', 'CNY').minor;
          expect(line <= 1200n * BigInt(days.length)).toBe(true);
          expect(line >= 500n * BigInt(days.length)).toBe(true);
          const more = quoteTariff(ktv, { kind: 'per_use_capped', dailyUses: [days.map((n) => n + 1)] });
          expect(parseMoney(more.total, 'CNY').minor >= line).toBe(true);
        });
        expectConsistent(q);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a cap below the base fee and bad usage', () => {
    expect(zodPaths(() => tariffFormulaSchema.parse({ ...ktv, dailyCap: '4.99' }))).toEqual(['dailyCap']);
    expect(zodPaths(() => tariffFormulaSchema.parse({ ...ktv, baseFeePerDay: '5.001' }))).toEqual(['baseFeePerDay']);
    expect(zodPaths(() => tariffFormulaSchema.parse({ ...ktv, includedUsesPerDay: 2.5 }))).toEqual(['includedUsesPerDay']);
    expect(zodPaths(() => quoteTariff(ktv, { kind: 'per_use_capped' }))).toEqual(['usage.dailyUses']);
    expect(
      zodPaths(() => quoteTariff(ktv, { kind: 'per_use_capped', dailyUses: [[1]], uniform: { terminals: 1, days: 1, usesPerDay: 1 } })),
    ).toEqual(['usage.dailyUses']);
    expect(zodPaths(() => quoteTariff(ktv, { kind: 'per_use_capped', dailyUses: [[1, -1]] }))).toEqual(['usage.dailyUses.0.1']);
    expect(
      zodPaths(() => quoteTariff(ktv, { kind: 'per_use_capped', uniform: { terminals: 1, days: 1, usesPerDay: 1.5 } })),
    ).toEqual(['usage.uniform.usesPerDay']);
  });
});

describe('revenue_share', () => {
  it('charges the rate when it exceeds the minimum', () => {
    const q = quoteTariff(streaming, { kind: 'revenue_share', revenue: '100000.00', periods: 1 });
    expect(q.lines).toEqual([{ label: '2.5% of revenue 100000.00 CNY', amount: '2500.00' }]);
    expect(q.total).toBe('2500.00');
  });

  it('tops up to the minimum × periods', () => {
    const q = quoteTariff(streaming, { kind: 'revenue_share', revenue: '50000.00', periods: 3 });
    expect(q.lines).toEqual([
      { label: '2.5% of revenue 50000.00 CNY', amount: '1250.00' },
      { label: 'top-up to the minimum of 1000.00 CNY per month × 3 months', amount: '1750.00' },
    ]);
    expect(q.total).toBe('3000.00');
    expectConsistent(q);
  });

  it('exactly at the minimum needs no top-up', () => {
    const q = quoteTariff(streaming, { kind: 'revenue_share', revenue: '40000.00', periods: 1 });
    expect(q.lines).toHaveLength(1);
    expect(q.total).toBe('1000.00');
  });

  it('rounds the share half-up', () => {
    const f: TariffFormula = { ...streaming, minimum: '0.00' };
    expect(quoteTariff(f, { kind: 'revenue_share', revenue: '0.20', periods: 1 }).total).toBe('0.01'); // 0.005
    expect(quoteTariff(f, { kind: 'revenue_share', revenue: '0.19', periods: 1 }).total).toBe('0.00'); // 0.00475
    expect(quoteTariff(f, { kind: 'revenue_share', revenue: '0.59', periods: 1 }).total).toBe('0.01'); // 0.01475
    expect(quoteTariff(f, { kind: 'revenue_share', revenue: '0.60', periods: 1 }).total).toBe('0.02'); // 0.015
  });

  it('total is max(round(rate × revenue), minimum × periods) (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 1, max: 24 }), (revenueMinor, periods) => {
        const revenue = `${revenueMinor / 100n}.${(revenueMinor % 100n).toString().padStart(2, '0')}`;
        const q = quoteTariff(streaming, { kind: 'revenue_share', revenue, periods });
        const share = (revenueMinor * 25n + 500n) / 1000n; // half-up of revenue × 0.025 for non-negative values
        const floor = 100000n * BigInt(periods);
        expect(parseMoney(q.total, 'CNY').minor).toBe(share > floor ? share : floor);
        expectConsistent(q);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects bad formulas and revenue, naming the field', () => {
    expect(zodPaths(() => tariffFormulaSchema.parse({ ...streaming, rate: '1.5' }))).toEqual(['rate']);
    expect(zodPaths(() => tariffFormulaSchema.parse({ ...streaming, rate: '2.5%' }))).toEqual(['rate']);
    expect(zodPaths(() => tariffFormulaSchema.parse({ ...streaming, minimum: '-1.00' }))).toEqual(['minimum']);
    expect(zodPaths(() => quoteTariff(streaming, { kind: 'revenue_share', revenue: '100.001', periods: 1 }))).toEqual(['usage.revenue']);
    expect(zodPaths(() => quoteTariff(streaming, { kind: 'revenue_share', revenue: '-100.00', periods: 1 }))).toEqual(['usage.revenue']);
    expect(zodPaths(() => quoteTariff(streaming, { kind: 'revenue_share', revenue: '1e6', periods: 1 }))).toEqual(['usage.revenue']);
    expect(zodPaths(() => quoteTariff(streaming, { kind: 'revenue_share', revenue: '100.00', periods: 0 }))).toEqual(['usage.periods']);
  });
});

describe('validation', () => {
  it('rejects unknown kinds, currencies, units, periods and extra keys', () => {
    expect(tariffFormulaSchema.safeParse({ ...hotel, kind: 'percentage' }).success).toBe(false);
    expect(zodPaths(() => tariffFormulaSchema.parse({ ...hotel, currency: 'XXX' }))).toEqual(['currency']);
    expect(zodPaths(() => tariffFormulaSchema.parse({ ...hotel, unit: 'bed' }))).toEqual(['unit']);
    expect(zodPaths(() => tariffFormulaSchema.parse({ ...hotel, period: 'week' }))).toEqual(['period']);
    expect(zodPaths(() => tariffFormulaSchema.parse({ ...hotel, ratePerUnit: '-0.50' }))).toEqual(['ratePerUnit']);
    expect(zodPaths(() => tariffFormulaSchema.parse({ ...hotel, ratePerUnit: 0.5 }))).toEqual(['ratePerUnit']);
    expect(tariffFormulaSchema.safeParse({ ...hotel, ratePerUnitt: '0.50' }).success).toBe(false);
  });

  it('rejects bad flat usage', () => {
    expect(zodPaths(() => quoteTariff(hotel, { kind: 'flat', units: -1, periods: 1 }))).toEqual(['usage.units']);
    expect(zodPaths(() => quoteTariff(hotel, { kind: 'flat', units: '1e2', periods: 1 }))).toEqual(['usage.units']);
    expect(zodPaths(() => quoteTariff(hotel, { kind: 'flat', units: 1.5, periods: 1 }))).toEqual(['usage.units']);
    expect(zodPaths(() => quoteTariff(hotel, { kind: 'flat', units: 1, periods: 1.5 }))).toEqual(['usage.periods']);
  });

  it('rejects usage of another kind than the formula', () => {
    const usage: QuoteInput = { kind: 'flat', units: 1, periods: 1 };
    const e = zodPaths(() => quoteTariff(streaming, usage));
    expect(e).toEqual(['usage.kind']);
    expect(quoteRequestSchema.safeParse({ formula: streaming, usage }).success).toBe(false);
  });

  it('validation messages name the field', () => {
    const r = quoteRequestSchema.safeParse({ formula: { ...ktv, baseFeePerDay: '5.001' }, usage: { kind: 'per_use_capped', dailyUses: [[1]] } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain('baseFeePerDay');
    expect(quoteInputSchema.safeParse({ kind: 'flat', units: 1 }).error?.issues[0]?.path).toEqual(['periods']);
  });

  it('reports a malformed amount once, at its field', () => {
    expect(zodPaths(() => tariffFormulaSchema.parse({ ...ktv, dailyCap: '12,00' }))).toEqual(['dailyCap']);
    expect(zodPaths(() => tariffFormulaSchema.parse({ ...ktv, currency: 'XXX' }))).toEqual(['currency']);
    expect(zodPaths(() => quoteTariff(streaming, { kind: 'revenue_share', revenue: ' 1', periods: 1 }))).toEqual(['usage.revenue']);
  });

  it('never throws on arbitrary input through safeParse', () => {
    const near = fc.record({
      kind: fc.constantFrom('flat', 'per_use_capped', 'revenue_share', 'other'),
      currency: fc.constantFrom('CNY', 'JPY', 'XXX', 5),
      ratePerUnit: fc.oneof(fc.string(), fc.constant('1.5')),
      rate: fc.oneof(fc.string(), fc.constant('0.1'), fc.constant('7')),
      minimum: fc.oneof(fc.string(), fc.constant('1.00')),
      baseFeePerDay: fc.oneof(fc.string(), fc.constant('1.00')),
      dailyCap: fc.oneof(fc.string(), fc.constant('0.50')),
      revenue: fc.oneof(fc.string(), fc.constant('1.005')),
    });
    fc.assert(
      fc.property(fc.oneof(fc.anything(), near), fc.oneof(fc.anything(), near), (formula, usage) => {
        expect(() => quoteRequestSchema.safeParse({ formula, usage })).not.toThrow();
        expect(() => tariffFormulaSchema.safeParse(formula)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('reports amounts beyond the money range', () => {
    expect(() => quoteTariff({ ...hotel, ratePerUnit: '1000000' }, { kind: 'flat', units: 1_000_000_000, periods: 1_000_000 })).toThrow(
      expect.objectContaining({ code: 'MONEY.OUT_OF_RANGE' }),
    );
  });
});
