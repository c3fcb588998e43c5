/**
 * Distribution parameters: the zod schema every caller (CLI, gateway job) goes through, their
 * resolved integer form, and the digest that the ledger records as `inputs.parametersDigest`.
 */
import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import { z } from 'zod';
import { canonicalJson } from '../canonical-json';
import { currencySchema, decimalAmountSchema, parseMoney, rateSchema, type CurrencyCode } from '../money';
import { decimalToUnits, UNIT_WEIGHT, WEIGHT_DECIMALS } from './units';

/** The right whose share set applies (performing: PR shares; mechanical: MR shares). */
export const RIGHT_TYPES = ['performing', 'mechanical'] as const;
/** A right type. */
export type RightType = (typeof RIGHT_TYPES)[number];

/** Allocation methods, named as the ledger names them. */
export const METHODS = ['pro_rata_points', 'per_line_amounts'] as const;
/** An allocation method. */
export type Method = (typeof METHODS)[number];

const fractionSchema = rateSchema.refine((s) => new Decimal(s).lte(1), { error: 'must be a decimal fraction between 0 and 1' });
const weightSchema = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,6})?$/, { error: "weight must be a non-negative decimal like '1' or '0.5' (at most 6 decimals)" });

/** Zod schema of the parameters as they come from outside (all money and rates as decimal strings). */
export const distributionParametersSchema = z
  .object({
    currency: currencySchema,
    /** Pool gross amount; required for `pro_rata_points`. For `per_line_amounts` it is optional and, when given, must equal the sum of the lines. */
    gross: decimalAmountSchema.optional(),
    right: z.enum(RIGHT_TYPES),
    method: z.enum(METHODS),
    /** Management fee as a fraction of the gross (`'0.15'`). */
    managementFeeRate: fractionSchema,
    /** Social/cultural deduction as a fraction of the gross (`'0.05'`). */
    deductionRate: fractionSchema,
    /** Minimum payout; a holder whose net is below it is carried forward instead of paid. */
    threshold: decimalAmountSchema.default('0'),
    /** Weight of a play per use type (`{ "OnDemandStream": "1", "Download": "3" }`); others get `defaultWeight`. */
    useTypeWeights: z.record(z.string().min(1).max(64), weightSchema).default({}),
    defaultWeight: weightSchema.default('1'),
    /** Period shown on statement lines whose usage file does not state one (usage.csv). */
    period: z.string().min(1).max(64).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (new Decimal(p.managementFeeRate).plus(p.deductionRate).gt(1)) {
      ctx.addIssue({ code: 'custom', path: ['deductionRate'], message: 'management fee rate + deduction rate must not exceed 1' });
    }
    if (p.method === 'pro_rata_points' && p.gross === undefined) ctx.addIssue({ code: 'custom', path: ['gross'], message: 'the pro_rata_points method needs the pool gross amount' });
    for (const [field, v] of [['gross', p.gross], ['threshold', p.threshold]] as const) {
      if (v === undefined) continue;
      try {
        if (parseMoney(v, p.currency, field).minor < 0n) ctx.addIssue({ code: 'custom', path: [field], message: `${field} must not be negative` });
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: [field], message: e instanceof Error ? e.message : String(e) });
      }
    }
  });

/** Parameters as accepted from outside. */
export type DistributionParameters = z.input<typeof distributionParametersSchema>;
/** Parameters after validation and defaults. */
export type ValidParameters = z.output<typeof distributionParametersSchema>;

/** Parameters in the engine's integer form. */
export interface ResolvedParameters {
  readonly params: ValidParameters;
  readonly currency: CurrencyCode;
  /** Gross in minor units, when given. */
  readonly gross: bigint | undefined;
  readonly threshold: bigint;
  readonly feeRate: string;
  readonly deductionRate: string;
  /** Weight units per use type (1 = {@link UNIT_WEIGHT}). */
  readonly useTypeWeights: ReadonlyMap<string, number>;
  readonly defaultWeight: number;
  /** SHA-256 (hex) of the canonical JSON of the validated parameters, defaults included. */
  readonly digest: string;
}

/** Converts a weight string (already validated) to weight units. */
export function weightUnits(w: string): number {
  const u = decimalToUnits(w, WEIGHT_DECIMALS);
  if (u === undefined) throw new RangeError(`bad weight ${w}`);
  return Number(u);
}

/**
 * Validates parameters and resolves them to integers.
 * @throws z.ZodError on bad input (callers map issues to their own error format).
 */
export function resolveParameters(input: unknown): ResolvedParameters {
  const params = distributionParametersSchema.parse(input);
  const w = new Map<string, number>();
  for (const k of Object.keys(params.useTypeWeights).sort()) w.set(k, weightUnits(params.useTypeWeights[k]!));
  return {
    params,
    currency: params.currency,
    gross: params.gross === undefined ? undefined : parseMoney(params.gross, params.currency, 'gross').minor,
    threshold: parseMoney(params.threshold, params.currency, 'threshold').minor,
    feeRate: params.managementFeeRate,
    deductionRate: params.deductionRate,
    useTypeWeights: w,
    defaultWeight: weightUnits(params.defaultWeight),
    digest: createHash('sha256').update(canonicalJson(params)).digest('hex'),
  };
}

export { UNIT_WEIGHT };
