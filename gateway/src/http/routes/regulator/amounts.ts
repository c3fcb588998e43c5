/**
 * Exact money for the regulator's figures. PostgreSQL sums `numeric` amounts and hands them over as
 * text; here they become bigint minor units (through `@rtl/distribution/money`, never a JS number)
 * so figures can be combined, bucketed and divided exactly, and leave again as decimal strings.
 */
import { z } from '@hono/zod-openapi';
import { divRound, formatMoney, money, parseMoney } from '@rtl/distribution/money';
import { MoneyString } from '../../openapi';

/** Decimal places of the ratios the regulator sees (management fee / gross, fees / revenue). */
export const RATIO_PLACES = 6;

/** Minor units of a `numeric` sum as PostgreSQL prints it (`'1234.50'`, `'0'`, `'-3.1'`). */
export function minorOf(text: string | null | undefined, currency: string): bigint {
  return parseMoney(text ?? '0', currency).minor;
}

/** A decimal string of `minor` units at the currency's scale. */
export function moneyText(minor: bigint, currency: string): string {
  return formatMoney(money(minor, currency));
}

/**
 * `numerator / denominator` as a decimal string with {@link RATIO_PLACES} places, rounded half-even
 * (the exact operands are always returned beside it); null when the denominator is zero.
 */
export function ratioText(numerator: bigint, denominator: bigint, places = RATIO_PLACES): string | null {
  if (denominator === 0n) return null;
  // divRound wants a positive divisor; move the sign to the numerator.
  const [n, d] = denominator < 0n ? [-numerator, -denominator] : [numerator, denominator];
  const scaled = divRound(n * 10n ** BigInt(places), d, 'half-even');
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/** A ratio string in its scaled integer form (for exact differences between ratios). */
export function ratioUnits(ratio: string): bigint {
  const negative = ratio.startsWith('-');
  const [i = '0', f = ''] = (negative ? ratio.slice(1) : ratio).split('.');
  const units = BigInt(i + f.padEnd(RATIO_PLACES, '0'));
  return negative ? -units : units;
}

/** Formats scaled ratio units back into a ratio string. */
export function ratioFromUnits(units: bigint): string {
  return ratioText(units, 10n ** BigInt(RATIO_PLACES)) ?? '0.000000';
}

/** Sums of minor units per currency, in currency order. */
export class CurrencyTotals {
  private readonly sums = new Map<string, bigint>();

  /** Adds `minor` units in `currency`. */
  add(currency: string, minor: bigint): this {
    this.sums.set(currency, (this.sums.get(currency) ?? 0n) + minor);
    return this;
  }

  /** The total in `currency` (zero when nothing was added). */
  get(currency: string): bigint {
    return this.sums.get(currency) ?? 0n;
  }

  /** Currencies seen, sorted. */
  currencies(): string[] {
    return [...this.sums.keys()].sort();
  }

  /** `[{ currency, amount }]` with decimal strings, sorted by currency. */
  toList(): Array<{ currency: string; amount: string }> {
    return this.currencies().map((currency) => ({ currency, amount: moneyText(this.get(currency), currency) }));
  }
}

/** An amount in one currency. */
export const CurrencyAmount = z.object({ currency: z.string(), amount: MoneyString });
