/**
 * Tariff formulas as published by collectives, and exact quotes from them.
 *
 * Rounding rule: each quote line is computed exactly (rational arithmetic on bigints) and rounded
 * half-up to the currency's minor unit once; the total is the exact sum of the rounded lines, so a
 * licensee can re-add the lines and get the total. Amount fields that are money (fees, caps,
 * minimums, declared revenue) must fit the currency's scale; unit prices (`ratePerUnit`,
 * `feePerExtraUse`) and rates may carry more decimals, because real tariffs publish sub-cent prices.
 */
import Decimal from 'decimal.js';
import { z } from 'zod';
import {
  CURRENCIES,
  currencySchema,
  decimalAmountSchema,
  divRound,
  formatMoney,
  isCurrencyCode,
  money,
  MoneyError,
  parseMoney,
  rateSchema,
  type CurrencyCode,
} from './money';

/** What a flat tariff charges per: a hotel room, a square metre of shop floor, a cinema seat, ... */
export const TARIFF_UNITS = ['room', 'square_metre', 'seat', 'terminal', 'device', 'venue'] as const;
/** A tariff unit. */
export type TariffUnit = (typeof TARIFF_UNITS)[number];

/** The period a fee or minimum applies to. */
export const TARIFF_PERIODS = ['day', 'month', 'year'] as const;
/** A tariff period. */
export type TariffPeriod = (typeof TARIFF_PERIODS)[number];

/** Bounds on a per-use quote's detail: ten thousand terminals over a leap year is plenty. */
export const MAX_TERMINALS = 10_000;
/** At most this many daily counts per terminal in one quote. */
export const MAX_DAYS_PER_TERMINAL = 366;

const count = z.int().min(0);

/**
 * Adds an issue at `path` unless `text` is a non-negative amount within the currency's scale and range.
 * Zod runs refinements even after continuable issues (a failed regex), so a value whose shape or
 * currency is already reported is skipped here rather than reported twice.
 */
function checkAmount(ctx: z.RefinementCtx, currency: unknown, text: unknown, path: (string | number)[]): bigint | undefined {
  if (!isCurrencyCode(currency) || !decimalAmountSchema.safeParse(text).success) return undefined;
  const field = path.join('.');
  try {
    const m = parseMoney(text as string, currency, field);
    if (m.minor < 0n) throw new MoneyError('MONEY.INVALID_AMOUNT', `${field} must not be negative`, field);
    return m.minor;
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : String(e), path, input: text });
    return undefined;
  }
}

/** Flat fee per unit per period, e.g. 0.50 CNY per room per day, or 2.40 per square metre per year. */
export const flatFormulaSchema = z
  .strictObject({
    kind: z.literal('flat'),
    currency: currencySchema,
    ratePerUnit: rateSchema,
    unit: z.enum(TARIFF_UNITS),
    period: z.enum(TARIFF_PERIODS),
  });

/**
 * Per-use fee with a daily cap, per terminal (e.g. a KTV room's terminal): each day costs
 * `baseFeePerDay` + max(0, uses − `includedUsesPerDay`) × `feePerExtraUse`, at most `dailyCap`.
 */
export const perUseCappedFormulaSchema = z
  .strictObject({
    kind: z.literal('per_use_capped'),
    currency: currencySchema,
    baseFeePerDay: decimalAmountSchema,
    includedUsesPerDay: count,
    feePerExtraUse: rateSchema,
    dailyCap: decimalAmountSchema,
  })
  .superRefine((f, ctx) => {
    const base = checkAmount(ctx, f.currency, f.baseFeePerDay, ['baseFeePerDay']);
    const cap = checkAmount(ctx, f.currency, f.dailyCap, ['dailyCap']);
    if (base !== undefined && cap !== undefined && cap < base) {
      ctx.addIssue({ code: 'custom', message: 'dailyCap must not be less than baseFeePerDay', path: ['dailyCap'], input: f.dailyCap });
    }
  });

/** Share of declared revenue with a minimum per period: max(rate × revenue, minimum × periods). */
export const revenueShareFormulaSchema = z
  .strictObject({
    kind: z.literal('revenue_share'),
    currency: currencySchema,
    rate: rateSchema,
    minimum: decimalAmountSchema,
    period: z.enum(TARIFF_PERIODS),
  })
  .superRefine((f, ctx) => {
    checkAmount(ctx, f.currency, f.minimum, ['minimum']);
    if (rateSchema.safeParse(f.rate).success && new Decimal(f.rate).gt(1)) {
      ctx.addIssue({ code: 'custom', message: "rate is a fraction of revenue and must not exceed 1 (e.g. '0.025' for 2.5%)", path: ['rate'], input: f.rate });
    }
  });

/** A published tariff formula, discriminated by `kind`. */
export const tariffFormulaSchema = z.discriminatedUnion('kind', [flatFormulaSchema, perUseCappedFormulaSchema, revenueShareFormulaSchema]);
/** A validated tariff formula. */
export type TariffFormula = z.infer<typeof tariffFormulaSchema>;

/** Usage for a flat tariff: how many units (a decimal string for e.g. square metres) over how many periods. */
export const flatQuoteInputSchema = z.strictObject({
  kind: z.literal('flat'),
  units: z.union([count, rateSchema], { error: "units must be a non-negative integer or decimal string like '120.5'" }),
  /** Number of the formula's periods (days, months or years). */
  periods: count,
});

/**
 * Usage for a per-use tariff, given one of two ways: `dailyUses[t][d]` is the use count of terminal
 * t on day d; or `uniform` is terminals × days at the same uses per day.
 */
export const perUseCappedQuoteInputSchema = z
  .strictObject({
    kind: z.literal('per_use_capped'),
    dailyUses: z.array(z.array(count).max(MAX_DAYS_PER_TERMINAL)).max(MAX_TERMINALS).optional(),
    uniform: z.strictObject({ terminals: count.max(MAX_TERMINALS), days: count, usesPerDay: count }).optional(),
  })
  .superRefine((u, ctx) => {
    if ((u.dailyUses === undefined) === (u.uniform === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of dailyUses or uniform', path: ['dailyUses'], input: u.dailyUses });
    }
  });

/**
 * Usage for a revenue-share tariff: revenue declared for the whole span of `periods` periods. The
 * minimum applies to the span (minimum × periods); quote each period separately to apply it per period.
 */
export const revenueShareQuoteInputSchema = z.strictObject({
  kind: z.literal('revenue_share'),
  revenue: decimalAmountSchema,
  periods: count.min(1),
});

/** Usage to quote, discriminated by `kind`, which must match the formula's. */
export const quoteInputSchema = z.discriminatedUnion('kind', [flatQuoteInputSchema, perUseCappedQuoteInputSchema, revenueShareQuoteInputSchema]);
/** Validated usage for a quote. */
export type QuoteInput = z.infer<typeof quoteInputSchema>;

/**
 * A formula and usage together, with the checks that need both: the kinds match, and declared
 * revenue fits the formula's currency. Issues are at `formula.*` or `usage.*`.
 */
export const quoteRequestSchema = z
  .strictObject({ formula: tariffFormulaSchema, usage: quoteInputSchema })
  .superRefine(({ formula, usage }, ctx) => {
    if (formula.kind !== usage.kind) {
      ctx.addIssue({ code: 'custom', message: `usage.kind '${usage.kind}' does not match formula.kind '${formula.kind}'`, path: ['usage', 'kind'], input: usage.kind });
    } else if (usage.kind === 'revenue_share') {
      checkAmount(ctx, formula.currency, usage.revenue, ['usage', 'revenue']);
    }
  });

/** One line of a quote; `amount` is a canonical decimal string. */
export interface QuoteLine {
  readonly label: string;
  readonly amount: string;
}

/** A quote: `total` is the exact sum of the lines' amounts. */
export interface TariffQuote {
  readonly currency: CurrencyCode;
  readonly total: string;
  readonly lines: QuoteLine[];
}

/** A non-negative decimal string as num / 10^exp (exact). */
function fraction(text: string): { num: bigint; den: bigint } {
  const [intPart = '', fracPart = ''] = text.split('.');
  return { num: BigInt(intPart + fracPart), den: 10n ** BigInt(fracPart.length) };
}

const plural = (n: number | bigint | string, word: string): string => `${n} ${word}${String(n) === '1' ? '' : 's'}`;

/** For labels only: shows a rate as a percentage without the default 20-digit precision. */
const ExactDecimal = Decimal.clone({ precision: 1_000 });

/**
 * Quotes what `usage` costs under `formula`, exactly: every line is rounded half-up to the minor
 * unit, and the total is the sum of the lines.
 * @throws ZodError when formula or usage is invalid; issue paths name the field (`usage.revenue`, `formula.dailyCap`, ...).
 * @throws MoneyError `MONEY.OUT_OF_RANGE` if an amount exceeds the money range.
 */
export function quoteTariff(formula: TariffFormula, usage: QuoteInput): TariffQuote {
  const req = quoteRequestSchema.parse({ formula, usage });
  const f = req.formula;
  const u = req.usage;
  const currency = f.currency;
  const minorPerMajor = 10n ** BigInt(CURRENCIES[currency].scale);
  const lines: { label: string; minor: bigint }[] = [];

  if (f.kind === 'flat' && u.kind === 'flat') {
    const rate = fraction(f.ratePerUnit);
    const units = fraction(String(u.units));
    const exact = rate.num * units.num * BigInt(u.periods) * minorPerMajor;
    lines.push({
      label: `${u.units} ${f.unit} × ${plural(u.periods, f.period)} at ${f.ratePerUnit} ${currency} per ${f.unit} per ${f.period}`,
      minor: divRound(exact, rate.den * units.den, 'half-up'),
    });
  } else if (f.kind === 'per_use_capped' && u.kind === 'per_use_capped') {
    // Work in minor units × fee.den so that base, cap and sub-minor per-use fees add up exactly.
    const fee = fraction(f.feePerExtraUse);
    const base = parseMoney(f.baseFeePerDay, currency).minor * fee.den;
    const cap = parseMoney(f.dailyCap, currency).minor * fee.den;
    const perExtra = fee.num * minorPerMajor;
    const included = BigInt(f.includedUsesPerDay);
    const day = (uses: bigint): bigint => {
      const extra = uses > included ? uses - included : 0n;
      const charge = base + extra * perExtra;
      return charge < cap ? charge : cap;
    };
    if (u.uniform) {
      const { terminals, days, usesPerDay } = u.uniform;
      lines.push({
        label: `${plural(terminals, 'terminal')} × ${plural(days, 'day')} at ${plural(usesPerDay, 'use')} per day`,
        minor: divRound(BigInt(terminals) * BigInt(days) * day(BigInt(usesPerDay)), fee.den, 'half-up'),
      });
    } else {
      (u.dailyUses ?? []).forEach((days, t) => {
        const exact = days.reduce((acc, uses) => acc + day(BigInt(uses)), 0n);
        const uses = days.reduce((acc, n) => acc + BigInt(n), 0n);
        lines.push({
          label: `terminal ${t + 1}: ${plural(days.length, 'day')}, ${plural(uses, 'use')}`,
          minor: divRound(exact, fee.den, 'half-up'),
        });
      });
    }
  } else if (f.kind === 'revenue_share' && u.kind === 'revenue_share') {
    const rate = fraction(f.rate);
    const revenue = parseMoney(u.revenue, currency, 'revenue');
    const share = divRound(revenue.minor * rate.num, rate.den, 'half-up');
    const floor = parseMoney(f.minimum, currency).minor * BigInt(u.periods);
    lines.push({ label: `${new ExactDecimal(f.rate).times(100).toFixed()}% of revenue ${formatMoney(revenue)} ${currency}`, minor: share });
    if (share < floor) {
      lines.push({
        label: `top-up to the minimum of ${f.minimum} ${currency} per ${f.period} × ${plural(u.periods, f.period)}`,
        minor: floor - share,
      });
    }
  }

  const out = lines.map((l) => ({ label: l.label, amount: formatMoney(money(l.minor, currency)) }));
  const total = money(lines.reduce((acc, l) => acc + l.minor, 0n), currency);
  return { currency, total: formatMoney(total), lines: out };
}
