import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMoney,
  applyRate,
  compareMoney,
  CURRENCIES,
  CURRENCY_CODES,
  currencySchema,
  decimalAmountSchema,
  divRound,
  formatMoney,
  fromDecimal,
  isNegative,
  isZero,
  MAX_MINOR,
  money,
  MoneyError,
  moneySchema,
  negMoney,
  parseMinor,
  parseMoney,
  parseRate,
  rateSchema,
  subMoney,
  sumMoney,
  toDecimal,
  zeroMoney,
  type Rounding,
} from './money';

/** Runs fn and returns the MoneyError it throws (failing the test if it throws nothing else). */
function moneyError(fn: () => unknown): MoneyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MoneyError);
    return e as MoneyError;
  }
  throw new Error('expected a MoneyError');
}

const arbCurrency = fc.constantFrom(...CURRENCY_CODES);
const arbMinor = fc.bigInt({ min: -MAX_MINOR, max: MAX_MINOR });
const ROUNDINGS: Rounding[] = ['half-even', 'half-up', 'down', 'up'];

describe('currencies', () => {
  it('has the required scales', () => {
    expect(CURRENCIES.CNY.scale).toBe(2);
    expect(CURRENCIES.USD.scale).toBe(2);
    expect(CURRENCIES.EUR.scale).toBe(2);
    expect(CURRENCIES.JPY.scale).toBe(0);
  });

  it('schema accepts known codes and rejects others', () => {
    expect(currencySchema.parse('CNY')).toBe('CNY');
    expect(currencySchema.safeParse('cny').success).toBe(false);
    expect(currencySchema.safeParse('XXX').success).toBe(false);
    expect(currencySchema.safeParse('toString').success).toBe(false);
  });
});

describe('parseMoney', () => {
  it.each([
    ['12.30', 'CNY', 1230n],
    ['12.3', 'CNY', 1230n],
    ['12', 'CNY', 1200n],
    ['-0.05', 'CNY', -5n],
    ['0', 'USD', 0n],
    ['-0', 'EUR', 0n],
    ['007.01', 'CNY', 701n],
    ['1500', 'JPY', 1500n],
    ['9999999999999999.99', 'CNY', MAX_MINOR],
    ['-9999999999999999.99', 'CNY', -MAX_MINOR],
    ['999999999999999999', 'JPY', MAX_MINOR],
  ])('parses %s %s', (text, currency, minor) => {
    expect(parseMoney(text, currency)).toEqual({ currency, minor });
  });

  it.each([
    '', ' ', ' 1.00', '1.00 ', '+1.00', '1e3', '1E3', '1.5e2', 'NaN', 'Infinity', '-Infinity',
    '1,000.00', '1 000', '1_000', '.5', '5.', '-', '--1', '0x10', '١٢', '1.2.3',
  ])('rejects %j with MONEY.INVALID_AMOUNT naming the field', (text) => {
    const e = moneyError(() => parseMoney(text, 'CNY', 'grossAmount'));
    expect(e.code).toBe('MONEY.INVALID_AMOUNT');
    expect(e.field).toBe('grossAmount');
    expect(e.message).toContain('grossAmount');
  });

  it('rejects non-strings at runtime', () => {
    expect(moneyError(() => parseMoney(12.3 as unknown as string, 'CNY')).code).toBe('MONEY.INVALID_AMOUNT');
  });

  it('rejects more decimals than the scale, including trailing zeros', () => {
    const e = moneyError(() => parseMoney('1.234', 'CNY', 'fee'));
    expect(e.code).toBe('MONEY.INVALID_AMOUNT');
    expect(e.message).toMatch(/fee has 3 decimals but CNY allows at most 2/);
    expect(moneyError(() => parseMoney('1.230', 'CNY')).code).toBe('MONEY.INVALID_AMOUNT');
    expect(moneyError(() => parseMoney('1.0', 'JPY')).code).toBe('MONEY.INVALID_AMOUNT');
  });

  it('rejects values beyond MAX_MINOR', () => {
    const e = moneyError(() => parseMoney('10000000000000000.00', 'CNY', 'amount'));
    expect(e.code).toBe('MONEY.OUT_OF_RANGE');
    expect(moneyError(() => parseMoney('-10000000000000000', 'CNY')).code).toBe('MONEY.OUT_OF_RANGE');
    expect(moneyError(() => parseMoney('1000000000000000000', 'JPY')).code).toBe('MONEY.OUT_OF_RANGE');
    // Long inputs are rejected cheaply, never silently truncated.
    expect(moneyError(() => parseMoney('9'.repeat(10_000), 'CNY')).code).toBe('MONEY.INVALID_AMOUNT');
  });

  it('rejects unknown currencies', () => {
    const e = moneyError(() => parseMoney('1.00', 'XYZ', 'amount'));
    expect(e.code).toBe('MONEY.UNKNOWN_CURRENCY');
    expect(moneyError(() => parseMoney('1.00', 'constructor')).code).toBe('MONEY.UNKNOWN_CURRENCY');
  });
});

describe('parseMinor', () => {
  it('parses integer minor units', () => {
    expect(parseMinor('1230', 'CNY')).toEqual({ currency: 'CNY', minor: 1230n });
    expect(parseMinor('-5', 'CNY').minor).toBe(-5n);
  });
  it.each(['12.30', '', '+1', '1e3', ' 1'])('rejects %j', (text) => {
    expect(moneyError(() => parseMinor(text, 'CNY', 'minor')).field).toBe('minor');
  });
  it('rejects out of range', () => {
    expect(moneyError(() => parseMinor((MAX_MINOR + 1n).toString(), 'CNY')).code).toBe('MONEY.OUT_OF_RANGE');
  });
});

describe('formatMoney', () => {
  it.each([
    [1230n, 'CNY', '12.30'],
    [-5n, 'CNY', '-0.05'],
    [0n, 'CNY', '0.00'],
    [1n, 'USD', '0.01'],
    [-100n, 'EUR', '-1.00'],
    [1500n, 'JPY', '1500'],
    [-7n, 'JPY', '-7'],
    [0n, 'JPY', '0'],
  ] as const)('formats %s %s as %s', (minor, currency, text) => {
    expect(formatMoney(money(minor, currency))).toBe(text);
  });

  it('round-trips parse(format(x)) for every in-range amount', () => {
    fc.assert(
      fc.property(arbMinor, arbCurrency, (minor, currency) => {
        const m = money(minor, currency);
        const text = formatMoney(m);
        expect(parseMoney(text, currency)).toEqual(m);
        // canonical: exactly `scale` decimals
        const scale = CURRENCIES[currency].scale;
        expect(text.split('.')[1]?.length ?? 0).toBe(scale);
      }),
      { numRuns: 500 },
    );
  });

  it('format(parse(s)) is the canonical form of s', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 2 }), fc.boolean(), (n, decimals, neg) => {
        const digits = n.toString().padStart(decimals + 1, '0');
        const text = `${neg ? '-' : ''}${decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`}`;
        const m = parseMoney(text, 'CNY');
        expect(m.minor).toBe((neg ? -1n : 1n) * n * 10n ** BigInt(2 - decimals));
        expect(new Decimal(formatMoney(m)).equals(new Decimal(text))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('arithmetic', () => {
  const cny = (s: string) => parseMoney(s, 'CNY');

  it('adds, subtracts, negates and sums', () => {
    expect(formatMoney(addMoney(cny('0.10'), cny('0.20')))).toBe('0.30');
    expect(formatMoney(subMoney(cny('0.10'), cny('0.20')))).toBe('-0.10');
    expect(formatMoney(negMoney(cny('3.00')))).toBe('-3.00');
    expect(formatMoney(sumMoney([cny('1.01'), cny('2.02'), cny('-0.03')], 'CNY'))).toBe('3.00');
    expect(sumMoney([], 'JPY')).toEqual(zeroMoney('JPY'));
  });

  it('compares and tests sign', () => {
    expect(compareMoney(cny('1.00'), cny('2.00'))).toBe(-1);
    expect(compareMoney(cny('2.00'), cny('2'))).toBe(0);
    expect(compareMoney(cny('2.01'), cny('2.00'))).toBe(1);
    expect(isZero(cny('-0.00'))).toBe(true);
    expect(isZero(cny('0.01'))).toBe(false);
    expect(isNegative(cny('-0.01'))).toBe(true);
    expect(isNegative(cny('0'))).toBe(false);
  });

  it('throws MONEY.CURRENCY_MISMATCH on mixed currencies', () => {
    const usd = parseMoney('1.00', 'USD');
    expect(moneyError(() => addMoney(cny('1.00'), usd)).code).toBe('MONEY.CURRENCY_MISMATCH');
    expect(moneyError(() => subMoney(cny('1.00'), usd)).code).toBe('MONEY.CURRENCY_MISMATCH');
    expect(moneyError(() => compareMoney(cny('1.00'), usd)).code).toBe('MONEY.CURRENCY_MISMATCH');
    expect(moneyError(() => sumMoney([cny('1.00'), usd], 'CNY')).code).toBe('MONEY.CURRENCY_MISMATCH');
    expect(moneyError(() => sumMoney([usd], 'CNY')).code).toBe('MONEY.CURRENCY_MISMATCH');
  });

  it('keeps results in range', () => {
    const max = money(MAX_MINOR, 'CNY');
    expect(moneyError(() => addMoney(max, cny('0.01'))).code).toBe('MONEY.OUT_OF_RANGE');
    expect(moneyError(() => money(-MAX_MINOR - 1n, 'CNY')).code).toBe('MONEY.OUT_OF_RANGE');
    // intermediate overflow is fine when the final sum is in range
    expect(sumMoney([max, max, negMoney(max)], 'CNY')).toEqual(max);
  });

  it('money() guards its inputs', () => {
    expect(moneyError(() => money(5 as unknown as bigint, 'CNY')).code).toBe('MONEY.INVALID_AMOUNT');
    expect(moneyError(() => money(5n, 'ABC')).code).toBe('MONEY.UNKNOWN_CURRENCY');
    expect(Object.isFrozen(money(5n, 'CNY'))).toBe(true);
  });

  it('add/sub agree with bigint arithmetic', () => {
    const small = fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n });
    fc.assert(
      fc.property(small, small, (a, b) => {
        expect(addMoney(money(a, 'EUR'), money(b, 'EUR')).minor).toBe(a + b);
        expect(subMoney(money(a, 'EUR'), money(b, 'EUR')).minor).toBe(a - b);
        expect(compareMoney(money(a, 'EUR'), money(b, 'EUR'))).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
      { numRuns: 200 },
    );
  });
});

describe('schemas', () => {
  it('decimalAmountSchema checks shape only', () => {
    expect(decimalAmountSchema.safeParse('12.345').success).toBe(true);
    expect(decimalAmountSchema.safeParse('-1').success).toBe(true);
    for (const bad of ['1e5', '+1', ' 1', '', '1,0', 'NaN']) expect(decimalAmountSchema.safeParse(bad).success).toBe(false);
    expect(decimalAmountSchema.safeParse(12).success).toBe(false);
  });

  it('moneySchema outputs Money and reports the amount field', () => {
    expect(moneySchema.parse({ currency: 'CNY', amount: '12.30' })).toEqual({ currency: 'CNY', minor: 1230n });
    const tooPrecise = moneySchema.safeParse({ currency: 'CNY', amount: '12.345' });
    expect(tooPrecise.success).toBe(false);
    expect(tooPrecise.error?.issues[0]?.path).toEqual(['amount']);
    const badCurrency = moneySchema.safeParse({ currency: 'XX', amount: '1' });
    expect(badCurrency.error?.issues[0]?.path).toEqual(['currency']);
  });

  it('rateSchema and parseRate accept only non-negative plain decimals', () => {
    expect(parseRate('0.125').equals(new Decimal('0.125'))).toBe(true);
    expect(parseRate('33.3333333333333333333333333').toFixed()).toBe('33.3333333333333333333333333');
    for (const bad of ['-0.1', '1e-3', '', ' 0.1', '+0.1', 'NaN', '.5', 'Infinity']) {
      expect(rateSchema.safeParse(bad).success).toBe(false);
      const e = moneyError(() => parseRate(bad, 'feeRate'));
      expect(e.code).toBe('MONEY.INVALID_AMOUNT');
      expect(e.message).toContain('feeRate');
    }
    expect(rateSchema.safeParse('0.025').success).toBe(true);
  });
});

describe('rounding', () => {
  it.each([
    // n, d, half-even, half-up, down, up
    [5n, 2n, 2n, 3n, 2n, 3n],
    [7n, 2n, 4n, 4n, 3n, 4n],
    [-5n, 2n, -2n, -3n, -2n, -3n],
    [-7n, 2n, -4n, -4n, -3n, -4n],
    [10n, 3n, 3n, 3n, 3n, 4n],
    [-10n, 3n, -3n, -3n, -3n, -4n],
    [20n, 3n, 7n, 7n, 6n, 7n],
    [6n, 3n, 2n, 2n, 2n, 2n],
    [0n, 7n, 0n, 0n, 0n, 0n],
  ])('divRound(%s, %s)', (n, d, he, hu, dn, up) => {
    expect(divRound(n, d, 'half-even')).toBe(he);
    expect(divRound(n, d, 'half-up')).toBe(hu);
    expect(divRound(n, d, 'down')).toBe(dn);
    expect(divRound(n, d, 'up')).toBe(up);
  });

  it('divRound agrees with decimal.js rounding modes', () => {
    const modes: Record<Rounding, Decimal.Rounding> = {
      'half-even': Decimal.ROUND_HALF_EVEN,
      'half-up': Decimal.ROUND_HALF_UP,
      down: Decimal.ROUND_DOWN,
      up: Decimal.ROUND_UP,
    };
    const Exact = Decimal.clone({ precision: 200 });
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.constantFrom(...ROUNDINGS),
        (n, d, r) => {
          // Only test exactly representable quotients (d = 2^a 5^b) so Decimal division is exact.
          const den = d % 2n === 0n ? 2n ** (d % 40n) : 5n ** (d % 25n);
          const expected = new Exact(n.toString()).div(den.toString()).toDecimalPlaces(0, modes[r]).toFixed();
          expect(divRound(n, den, r).toString()).toBe(expected === '-0' ? '0' : expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects a non-positive divisor', () => {
    expect(() => divRound(1n, 0n, 'down')).toThrow(RangeError);
  });
});

describe('decimal conversions', () => {
  it('toDecimal is exact', () => {
    expect(toDecimal(parseMoney('-12.30', 'CNY')).toFixed()).toBe('-12.3');
    expect(toDecimal(money(MAX_MINOR, 'CNY')).toFixed()).toBe('9999999999999999.99');
  });

  it('fromDecimal rounds by the stated rule', () => {
    const d = new Decimal('2.345');
    expect(formatMoney(fromDecimal(d, 'CNY', 'half-even'))).toBe('2.34');
    expect(formatMoney(fromDecimal(d, 'CNY', 'half-up'))).toBe('2.35');
    expect(formatMoney(fromDecimal(d, 'CNY', 'down'))).toBe('2.34');
    expect(formatMoney(fromDecimal(new Decimal('2.341'), 'CNY', 'up'))).toBe('2.35');
    expect(formatMoney(fromDecimal(new Decimal('-2.345'), 'CNY', 'half-up'))).toBe('-2.35');
    expect(formatMoney(fromDecimal(new Decimal('-2.349'), 'CNY', 'down'))).toBe('-2.34');
    expect(formatMoney(fromDecimal(new Decimal('1e-30'), 'CNY', 'up'))).toBe('0.01');
    expect(formatMoney(fromDecimal(new Decimal('1e-30'), 'CNY', 'half-even'))).toBe('0.00');
    expect(formatMoney(fromDecimal(new Decimal('2.5'), 'JPY', 'half-even'))).toBe('2');
    expect(formatMoney(fromDecimal(new Decimal('3.5'), 'JPY', 'half-even'))).toBe('4');
  });

  it('fromDecimal rejects non-finite and out-of-range values', () => {
    expect(moneyError(() => fromDecimal(new Decimal(NaN), 'CNY', 'down')).code).toBe('MONEY.INVALID_AMOUNT');
    expect(moneyError(() => fromDecimal(new Decimal(Infinity), 'CNY', 'down')).code).toBe('MONEY.INVALID_AMOUNT');
    expect(moneyError(() => fromDecimal(new Decimal('1e17'), 'CNY', 'down')).code).toBe('MONEY.OUT_OF_RANGE');
    expect(moneyError(() => fromDecimal(new Decimal('1e1000000'), 'CNY', 'down')).code).toBe('MONEY.OUT_OF_RANGE');
    expect(moneyError(() => fromDecimal(new Decimal('1e-1000000'), 'CNY', 'down')).code).toBe('MONEY.OUT_OF_RANGE');
  });

  it('fromDecimal(toDecimal(m)) is the identity under every rounding', () => {
    fc.assert(
      fc.property(arbMinor, arbCurrency, fc.constantFrom(...ROUNDINGS), (minor, currency, r) => {
        const m = money(minor, currency);
        expect(fromDecimal(toDecimal(m), currency, r)).toEqual(m);
      }),
      { numRuns: 300 },
    );
  });

  it('applyRate computes a 12.5% management fee exactly', () => {
    expect(formatMoney(applyRate(parseMoney('1000.00', 'CNY'), '0.125', 'half-up'))).toBe('125.00');
    // 0.125 × 0.20 = 0.025: the tie shows the rounding rule
    expect(formatMoney(applyRate(parseMoney('0.20', 'CNY'), '0.125', 'half-up'))).toBe('0.03');
    expect(formatMoney(applyRate(parseMoney('0.20', 'CNY'), '0.125', 'half-even'))).toBe('0.02');
    expect(formatMoney(applyRate(parseMoney('0.20', 'CNY'), new Decimal('0.125'), 'down'))).toBe('0.02');
    expect(formatMoney(applyRate(parseMoney('-0.20', 'CNY'), '0.125', 'half-up'))).toBe('-0.03');
    // a rate with more digits than Decimal's default precision (20) stays exact
    expect(formatMoney(applyRate(money(MAX_MINOR, 'CNY'), '0.50000000000000000000000000001', 'up'))).toBe('5000000000000000.00');
    expect(formatMoney(applyRate(money(MAX_MINOR, 'CNY'), '0.5', 'half-even'))).toBe('5000000000000000.00');
    expect(formatMoney(applyRate(money(MAX_MINOR, 'CNY'), '0.5', 'down'))).toBe('4999999999999999.99');
  });

  it('applyRate rejects bad rates and overflow', () => {
    expect(moneyError(() => applyRate(parseMoney('1.00', 'CNY'), '-0.1', 'down')).code).toBe('MONEY.INVALID_AMOUNT');
    expect(moneyError(() => applyRate(parseMoney('1.00', 'CNY'), '1e-2', 'down')).code).toBe('MONEY.INVALID_AMOUNT');
    expect(moneyError(() => applyRate(parseMoney('1.00', 'CNY'), new Decimal(NaN), 'down')).code).toBe('MONEY.INVALID_AMOUNT');
    expect(moneyError(() => applyRate(money(MAX_MINOR, 'CNY'), '2', 'down')).code).toBe('MONEY.OUT_OF_RANGE');
  });

  it('applyRate matches exact rational arithmetic', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 8n), max: 10n ** 8n }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.integer({ min: 0, max: 12 }),
        (minor, rateDigits, places) => {
          const s = rateDigits.toString().padStart(places + 1, '0');
          const rateText = places === 0 ? s : `${s.slice(0, -places)}.${s.slice(-places)}`;
          const den = 10n ** BigInt(places);
          const fee = applyRate(money(minor, 'CNY'), rateText, 'down').minor;
          // truncation toward zero: |fee| <= |exact| < |fee| + 1, with the sign of the product
          const exactTimesDen = minor * rateDigits;
          const absExact = exactTimesDen < 0n ? -exactTimesDen : exactTimesDen;
          const absFee = fee < 0n ? -fee : fee;
          expect(absFee * den <= absExact).toBe(true);
          expect(absExact < (absFee + 1n) * den).toBe(true);
          if (fee !== 0n) expect(fee < 0n).toBe(exactTimesDen < 0n);
        },
      ),
      { numRuns: 300 },
    );
  });
});
