/**
 * Number and money formatting from the API's decimal strings, per locale, without floating point:
 * the integer part is grouped by `Intl.NumberFormat` as a `bigint` (exact at any size) and the
 * fraction digits are kept as they came. A JS number would silently round amounts beyond 2^53 and
 * turn `0.1 + 0.2` artefacts into figures on a statement.
 */

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** A parsed decimal string. */
interface Parts {
  negative: boolean;
  integer: bigint;
  fraction: string;
}

function parse(value: string): Parts | undefined {
  const m = DECIMAL.exec(value.trim());
  if (!m) return undefined;
  const integer = BigInt(m[2]!);
  const fraction = m[3] ?? '';
  const zero = integer === 0n && /^0*$/.test(fraction);
  return { negative: m[1] === '-' && !zero, integer, fraction };
}

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let nf = cache.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(locale, options);
    cache.set(key, nf);
  }
  return nf;
}

/**
 * Formats with a format whose integer digits come from `integer` and whose fraction digits are
 * `fraction` verbatim. The sign and any currency symbol are placed where the locale puts them,
 * taken from formatting ±1 (so "-¥1.00" or "¥-1.00", whatever the locale says).
 */
function assemble(nf: Intl.NumberFormat, p: Parts, decimalSeparator: string): string {
  const template = nf.formatToParts(p.negative ? -1n : 1n);
  const digits = nf.formatToParts(p.integer).filter((x) => x.type === 'integer' || x.type === 'group');
  let out = '';
  for (const part of template) {
    if (part.type === 'integer') {
      out += digits.map((d) => d.value).join('');
      if (p.fraction) out += decimalSeparator + p.fraction;
    } else if (part.type !== 'decimal' && part.type !== 'fraction') {
      out += part.value;
    }
  }
  return out;
}

function decimalSeparatorOf(locale: string): string {
  return numberFormat(locale, { minimumFractionDigits: 1 }).formatToParts(1.5).find((x) => x.type === 'decimal')?.value ?? '.';
}

/** Formats a decimal string (`"-1234567.50"`) with the locale's grouping, keeping every fraction digit. Non-decimals are returned unchanged. */
export function formatDecimal(value: string | null | undefined, locale: string): string {
  if (value === null || value === undefined) return '—';
  const p = parse(value);
  if (!p) return value;
  return assemble(numberFormat(locale, { maximumFractionDigits: 0 }), p, decimalSeparatorOf(locale));
}

/** Formats a money amount (decimal string in the currency's scale) with its currency, per locale. */
export function formatMoney(value: string | null | undefined, currency: string, locale: string): string {
  if (value === null || value === undefined) return '—';
  const p = parse(value);
  if (!p) return value;
  let nf: Intl.NumberFormat;
  try {
    nf = numberFormat(locale, { style: 'currency', currency, currencyDisplay: 'symbol', maximumFractionDigits: 0, minimumFractionDigits: 0 });
  } catch {
    return `${formatDecimal(value, locale)} ${currency}`;
  }
  return assemble(nf, p, decimalSeparatorOf(locale));
}

/**
 * A ratio as a percentage, by moving the decimal point two places in the string: `"0.150000"` →
 * `"15.00 %"` (per locale), rounded half-up to `digits` places on the digit string.
 */
export function formatRatioAsPercent(ratio: string | null | undefined, locale: string, digits = 2): string {
  if (ratio === null || ratio === undefined) return '—';
  const p = parse(ratio);
  if (!p) return ratio;
  const frac = p.fraction.padEnd(2 + digits + 1, '0');
  // percent = integer*100 + first two fraction digits, then `digits` more, then one rounding digit.
  const scaled = p.integer * 10n ** BigInt(2 + digits) + BigInt(frac.slice(0, 2 + digits) || '0');
  const rounded = scaled + (Number(frac[2 + digits]) >= 5 ? 1n : 0n);
  const s = rounded.toString().padStart(digits + 1, '0');
  const intPart = s.slice(0, s.length - digits);
  const fracPart = digits > 0 ? s.slice(s.length - digits) : '';
  const sign = p.negative && rounded !== 0n ? '-' : '';
  const num = formatDecimal(`${sign}${intPart}${fracPart ? `.${fracPart}` : ''}`, locale);
  return `${num}%`;
}

/** Formats an integer given as a string or number (counts such as plays or lines), grouped per locale. */
export function formatCount(value: string | number | null | undefined, locale: string): string {
  if (value === null || value === undefined) return '—';
  return formatDecimal(String(value), locale);
}

/** A date or timestamp as the locale writes dates (`YYYY-MM-DD` strings are shown as dates, without time-zone shifts). */
export function formatDate(value: string | null | undefined, locale: string): string {
  if (!value) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map((x) => Number(x));
    return numberFormatDate(locale, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' }).format(new Date(Date.UTC(y!, m! - 1, d!)));
  }
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) return value;
  return numberFormatDate(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(t);
}

const dateCache = new Map<string, Intl.DateTimeFormat>();
function numberFormatDate(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = dateCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    dateCache.set(key, f);
  }
  return f;
}

/**
 * A decimal string as a number for chart geometry only (bar heights, line points). Figures shown
 * to people always come from the string through the formatters above; a chart's tooltip shows the
 * exact string it was given.
 */
export function chartValue(value: string | null | undefined): number {
  if (!value || !DECIMAL.test(value)) return 0;
  return Number(value);
}

/** Sums decimal strings exactly (as scaled bigints) and returns a decimal string with the widest scale. */
export function sumDecimals(values: readonly string[]): string {
  let scale = 0;
  const parsed = values.map((v) => parse(v)).filter((p): p is Parts => p !== undefined);
  for (const p of parsed) scale = Math.max(scale, p.fraction.length);
  let total = 0n;
  for (const p of parsed) {
    const units = p.integer * 10n ** BigInt(scale) + BigInt((p.fraction.padEnd(scale, '0')) || '0');
    total += p.negative ? -units : units;
  }
  const neg = total < 0n;
  const abs = (neg ? -total : total).toString().padStart(scale + 1, '0');
  const int = abs.slice(0, abs.length - scale);
  const frac = scale > 0 ? `.${abs.slice(abs.length - scale)}` : '';
  return `${neg ? '-' : ''}${int}${frac}`;
}

/** Fraction digits of each currency the gateway accepts (the ledger's scale). */
const CURRENCY_SCALE: Record<string, number> = { CNY: 2, EUR: 2, GBP: 2, HKD: 2, JPY: 0, USD: 2 };

/** The currencies a form may offer. */
export const CURRENCIES = Object.keys(CURRENCY_SCALE);

/**
 * Checks what a person typed into a money field, as a string (never through a float): digits, an
 * optional point and at most the currency's fraction digits, no sign, exponent, spaces or
 * separators. Returns a regular expression source for the input's `pattern` too.
 */
export function isMoneyInput(value: string, currency: string): boolean {
  return new RegExp(`^${moneyPattern(currency)}$`).test(value);
}

/** The `pattern` of a money input in `currency` (non-negative, at most the currency's scale). */
export function moneyPattern(currency: string): string {
  const scale = CURRENCY_SCALE[currency] ?? 2;
  return scale === 0 ? '\\d+' : `\\d+(\\.\\d{1,${scale}})?`;
}

/** The `pattern` of a non-negative rate such as `0.025` (any number of fraction digits). */
export const RATE_PATTERN = '\\d+(\\.\\d+)?';

/** Checks a non-negative decimal rate typed into a form (`0.025`), as a string. */
export function isRateInput(value: string): boolean {
  return new RegExp(`^${RATE_PATTERN}$`).test(value);
}
