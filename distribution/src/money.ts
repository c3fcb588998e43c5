/**
 * Exact money. An amount is a `bigint` count of minor units (fen for CNY) tied to a currency with a
 * fixed scale; it crosses every boundary as a canonical decimal string. JS `number` never carries
 * money. Rates and shares use `decimal.js`, and come back to minor units only through an explicit
 * rounding rule, which this module implements once, in integer arithmetic.
 */
import Decimal from 'decimal.js';
import { z } from 'zod';

/**
 * Supported currencies and their scale (number of minor-unit decimals, per ISO 4217).
 * Extend here; everything else derives from this table.
 */
export const CURRENCIES = {
  CNY: { scale: 2 },
  HKD: { scale: 2 },
  USD: { scale: 2 },
  EUR: { scale: 2 },
  GBP: { scale: 2 },
  JPY: { scale: 0 },
} as const satisfies Record<string, { readonly scale: number }>;

/** An ISO 4217 code listed in {@link CURRENCIES}. */
export type CurrencyCode = keyof typeof CURRENCIES;

/** The supported currency codes, sorted, for schemas and enumeration. */
export const CURRENCY_CODES = Object.keys(CURRENCIES).sort() as [CurrencyCode, ...CurrencyCode[]];

/** Zod schema for a supported currency code (exact, upper case). */
export const currencySchema = z.enum(CURRENCY_CODES, {
  error: () => `currency must be one of ${CURRENCY_CODES.join(', ')}`,
});

/**
 * Largest absolute amount in minor units: 10^18 - 1. It keeps every amount within a signed 64-bit
 * integer (PostgreSQL `bigint`), with headroom so that sums of in-range amounts are still exact.
 */
export const MAX_MINOR = 10n ** 18n - 1n;

/** An exact amount: `minor` units of `currency`. Immutable; build it with {@link money} or a parser. */
export interface Money {
  readonly currency: CurrencyCode;
  readonly minor: bigint;
}

/**
 * Stable codes of {@link MoneyError}. `ALLOCATION.NO_WEIGHT` is raised by the allocator when every
 * weight is zero: callers treat it differently from bad input (e.g. the money goes to suspense).
 */
export type MoneyErrorCode =
  | 'MONEY.INVALID_AMOUNT'
  | 'MONEY.CURRENCY_MISMATCH'
  | 'MONEY.UNKNOWN_CURRENCY'
  | 'MONEY.OUT_OF_RANGE'
  | 'ALLOCATION.NO_WEIGHT';

/** An error from money parsing or arithmetic. Branch on `code`; `field` names the offending input. */
export class MoneyError extends Error {
  /** Stable code; never match on the message. */
  readonly code: MoneyErrorCode;
  /** The input field at fault, when the caller named one. */
  readonly field: string | undefined;

  /** Creates an error with a stable code and, optionally, the field at fault. */
  constructor(code: MoneyErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'MoneyError';
    this.code = code;
    this.field = field;
  }
}

/** Rounding rules for converting exact values to minor units. `half-up` rounds ties away from zero. */
export type Rounding = 'half-even' | 'half-up' | 'down' | 'up';

const AMOUNT_RE = /^-?\d+(\.\d+)?$/;
const MINOR_RE = /^-?\d+$/;
const RATE_RE = /^\d+(\.\d+)?$/;
/** Far beyond any real rate or amount; stops absurd inputs from costing time before rejection. */
const MAX_TEXT_LENGTH = 200;

const label = (field: string | undefined): string => field ?? 'amount';

/** True when `code` is a supported currency code. */
export function isCurrencyCode(code: unknown): code is CurrencyCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(CURRENCIES, code);
}

/**
 * The currency's scale (decimals of its minor unit).
 * @throws MoneyError `MONEY.UNKNOWN_CURRENCY` for an unsupported code.
 */
export function currencyScale(currency: string, field?: string): number {
  return CURRENCIES[checkCurrency(currency, field)].scale;
}

function checkCurrency(currency: unknown, field?: string): CurrencyCode {
  if (!isCurrencyCode(currency)) {
    throw new MoneyError(
      'MONEY.UNKNOWN_CURRENCY',
      `${field ? `${field}: ` : ''}unknown currency ${JSON.stringify(currency)}; expected one of ${CURRENCY_CODES.join(', ')}`,
      field,
    );
  }
  return currency;
}

function checkRange(minor: bigint, field?: string): bigint {
  if (minor > MAX_MINOR || minor < -MAX_MINOR) {
    throw new MoneyError('MONEY.OUT_OF_RANGE', `${label(field)} is out of range (at most ${MAX_MINOR} minor units)`, field);
  }
  return minor;
}

/**
 * Builds a Money from minor units.
 * @throws MoneyError `MONEY.UNKNOWN_CURRENCY`, `MONEY.INVALID_AMOUNT` (not a bigint) or `MONEY.OUT_OF_RANGE`.
 */
export function money(minor: bigint, currency: string): Money {
  const c = checkCurrency(currency);
  // Runtime guard: a JS number sneaking in from untyped code would silently lose precision later.
  if (typeof minor !== 'bigint') {
    throw new MoneyError('MONEY.INVALID_AMOUNT', `minor units must be a bigint, got ${typeof minor}`);
  }
  return Object.freeze({ currency: c, minor: checkRange(minor) });
}

/** Zero in `currency`. */
export function zeroMoney(currency: string): Money {
  return money(0n, currency);
}

/**
 * Parses a decimal amount string such as `'12.30'`, `'-0.05'` or `'7'` into Money.
 * Accepts only `-?\d+(\.\d+)?`: no exponent, sign `+`, whitespace, thousands separators, NaN or
 * Infinity; no more decimals than the currency's scale (even trailing zeros, so a caller sending
 * sub-minor precision learns about it instead of having it dropped). Texts longer than 200
 * characters are rejected as malformed before any conversion.
 * @throws MoneyError naming `field` (default `'amount'`).
 */
export function parseMoney(text: string, currency: string, field?: string): Money {
  const c = checkCurrency(currency, field);
  const scale = CURRENCIES[c].scale;
  if (typeof text !== 'string' || text.length > MAX_TEXT_LENGTH || !AMOUNT_RE.test(text)) {
    throw new MoneyError(
      'MONEY.INVALID_AMOUNT',
      `${label(field)} must be a decimal string like '${scale === 0 ? '1234' : `1234.${'5'.repeat(scale)}`}', got ${JSON.stringify(text)}`,
      field,
    );
  }
  const negative = text.startsWith('-');
  const [intPart = '', fracPart = ''] = (negative ? text.slice(1) : text).split('.');
  if (fracPart.length > scale) {
    throw new MoneyError(
      'MONEY.INVALID_AMOUNT',
      `${label(field)} has ${fracPart.length} decimals but ${c} allows at most ${scale}, got ${JSON.stringify(text)}`,
      field,
    );
  }
  const magnitude = BigInt(intPart + fracPart.padEnd(scale, '0'));
  return Object.freeze({ currency: c, minor: checkRange(negative ? -magnitude : magnitude, field) });
}

/**
 * Parses an integer count of minor units given as a string (`'1230'` is 12.30 CNY).
 * @throws MoneyError naming `field` (default `'amount'`).
 */
export function parseMinor(text: string, currency: string, field?: string): Money {
  const c = checkCurrency(currency, field);
  if (typeof text !== 'string' || text.length > MAX_TEXT_LENGTH || !MINOR_RE.test(text)) {
    throw new MoneyError(
      'MONEY.INVALID_AMOUNT',
      `${label(field)} must be an integer count of minor units like '1230', got ${JSON.stringify(text)}`,
      field,
    );
  }
  return Object.freeze({ currency: c, minor: checkRange(BigInt(text), field) });
}

/**
 * Canonical decimal string: exactly `scale` decimals (`'12.30'`, `'-0.05'`, `'0.00'`), no dot for
 * scale 0, no sign on zero. {@link parseMoney} reads it back to the same value.
 */
export function formatMoney(m: Money): string {
  const scale = currencyScale(m.currency);
  const negative = m.minor < 0n;
  const digits = (negative ? -m.minor : m.minor).toString().padStart(scale + 1, '0');
  const body = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${body}` : body;
}

function sameCurrency(a: Money, b: Money): CurrencyCode {
  if (a.currency !== b.currency) {
    throw new MoneyError('MONEY.CURRENCY_MISMATCH', `cannot combine ${a.currency} with ${b.currency}`);
  }
  return a.currency;
}

/** a + b. @throws MoneyError `MONEY.CURRENCY_MISMATCH` or `MONEY.OUT_OF_RANGE`. */
export function addMoney(a: Money, b: Money): Money {
  return money(a.minor + b.minor, sameCurrency(a, b));
}

/** a - b. @throws MoneyError `MONEY.CURRENCY_MISMATCH` or `MONEY.OUT_OF_RANGE`. */
export function subMoney(a: Money, b: Money): Money {
  return money(a.minor - b.minor, sameCurrency(a, b));
}

/** -m. */
export function negMoney(m: Money): Money {
  return money(-m.minor, m.currency);
}

/**
 * Sum of `list` in `currency` (zero for an empty list; the currency is explicit so that an empty
 * list still has one). Only the final sum must be in range.
 * @throws MoneyError `MONEY.CURRENCY_MISMATCH` if any element is in another currency.
 */
export function sumMoney(list: Iterable<Money>, currency: string): Money {
  const c = checkCurrency(currency);
  let total = 0n;
  for (const m of list) {
    if (m.currency !== c) {
      throw new MoneyError('MONEY.CURRENCY_MISMATCH', `cannot add ${m.currency} to a ${c} sum`);
    }
    total += m.minor;
  }
  return money(total, c);
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. @throws MoneyError `MONEY.CURRENCY_MISMATCH`. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

/** True when m is zero. */
export function isZero(m: Money): boolean {
  return m.minor === 0n;
}

/** True when m is below zero. */
export function isNegative(m: Money): boolean {
  return m.minor < 0n;
}

/**
 * Zod schema for the shape of a decimal amount string (`-?\d+(\.\d+)?`). It does not know the
 * currency, so scale and range are checked by {@link parseMoney} or {@link moneySchema}.
 */
export const decimalAmountSchema = z
  .string()
  .max(MAX_TEXT_LENGTH)
  .regex(AMOUNT_RE, { error: "must be a decimal string like '1234.50' (no exponent, sign '+', spaces or separators)" });

/**
 * Zod schema for `{ currency, amount }` that validates scale and range and outputs {@link Money}.
 * Issues point at `currency` or `amount`.
 */
export const moneySchema = z
  .object({ currency: currencySchema, amount: decimalAmountSchema })
  .transform((v, ctx): Money => {
    try {
      return parseMoney(v.amount, v.currency, 'amount');
    } catch (e) {
      ctx.issues.push({ code: 'custom', message: e instanceof Error ? e.message : String(e), path: ['amount'], input: v.amount });
      return z.NEVER;
    }
  });

/** Zod schema for a non-negative decimal rate or share string such as `'0.125'` (no exponent). */
export const rateSchema = z
  .string()
  .max(MAX_TEXT_LENGTH)
  .regex(RATE_RE, { error: "must be a non-negative decimal string like '0.125' (no exponent, sign or spaces)" });

/**
 * Parses a non-negative decimal string (`'0.125'` for 12.5%) into a Decimal, exactly.
 * @throws MoneyError `MONEY.INVALID_AMOUNT` naming `field` (default `'rate'`).
 */
export function parseRate(text: string, field?: string): Decimal {
  if (typeof text !== 'string' || text.length > MAX_TEXT_LENGTH || !RATE_RE.test(text)) {
    throw new MoneyError(
      'MONEY.INVALID_AMOUNT',
      `${field ?? 'rate'} must be a non-negative decimal string like '0.125', got ${JSON.stringify(text)}`,
      field ?? 'rate',
    );
  }
  return new Decimal(text);
}

/**
 * Integer division n / d (d > 0) rounded by `rounding`. The single rounding implementation that
 * every conversion from exact values to minor units goes through.
 */
export function divRound(n: bigint, d: bigint, rounding: Rounding): bigint {
  if (d <= 0n) throw new RangeError('divisor must be positive');
  const q = n / d; // truncates toward zero
  const r = n % d; // has the sign of n
  if (r === 0n) return q;
  const away = n < 0n ? q - 1n : q + 1n;
  switch (rounding) {
    case 'down':
      return q;
    case 'up':
      return away;
    case 'half-up':
    case 'half-even': {
      const twice = 2n * (r < 0n ? -r : r);
      if (twice > d) return away;
      if (twice < d) return q;
      return rounding === 'half-up' || q % 2n !== 0n ? away : q;
    }
  }
}

/**
 * A finite Decimal as an exact fraction num / 10^exp. Bounded so a value like 1e-1000000 cannot
 * make us build a million-digit string.
 */
function decimalToFraction(d: Decimal, field: string): { num: bigint; exp: number } {
  if (!Decimal.isDecimal(d) || !d.isFinite()) {
    throw new MoneyError('MONEY.INVALID_AMOUNT', `${field} must be a finite Decimal`, field);
  }
  const exp = d.decimalPlaces();
  if (exp > MAX_TEXT_LENGTH || d.e > MAX_TEXT_LENGTH) {
    throw new MoneyError('MONEY.OUT_OF_RANGE', `${field} has too many digits`, field);
  }
  // toFixed() without arguments is plain notation with every digit: exact.
  return { num: BigInt(d.toFixed().replace('.', '')), exp };
}

/** The exact value of m in major units (12.30 CNY is Decimal 12.3). */
export function toDecimal(m: Money): Decimal {
  return new Decimal(formatMoney(m));
}

/**
 * Converts an exact value in major units to Money, rounding to the minor unit by `rounding`.
 * @throws MoneyError `MONEY.OUT_OF_RANGE` if the result exceeds {@link MAX_MINOR}.
 */
export function fromDecimal(d: Decimal, currency: string, rounding: Rounding): Money {
  const scale = currencyScale(currency);
  const { num, exp } = decimalToFraction(d, 'amount');
  return money(divRound(num * 10n ** BigInt(scale), 10n ** BigInt(exp), rounding), currency);
}

/**
 * m × rate, rounded to the minor unit by `rounding`, computed exactly (e.g. a 12.5% management fee
 * is `applyRate(gross, '0.125', 'half-up')`). A string rate must be a non-negative decimal; a
 * Decimal rate may be any finite value.
 */
export function applyRate(m: Money, rate: Decimal | string, rounding: Rounding): Money {
  const r = typeof rate === 'string' ? parseRate(rate) : rate;
  const { num, exp } = decimalToFraction(r, 'rate');
  return money(divRound(m.minor * num, 10n ** BigInt(exp), rounding), m.currency);
}
