/**
 * Building blocks of the chaincode's argument schemas. Every argument is one JSON object,
 * validated here before any state is read.
 */
import { z } from 'zod';
import { currencySchema, decimalAmountSchema, MoneyError, parseMoney, type CurrencyCode } from '@rtl/distribution/money';
import { LedgerError } from './errors';

/** Identifiers: letters, digits and `._-`, which keeps account paths and composite keys unambiguous. */
export const idSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected an id of letters, digits, ".", "_" or "-" (at most 64)');
/** A client-chosen idempotency key. */
export const commandIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'expected a command id (at most 128 safe characters)');
/** A calendar date `YYYY-MM-DD` that exists. */
export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');
/** A pool period: a year, half, quarter or month, e.g. `2026`, `2026H1`, `2026Q3`, `2026M07`. */
export const periodSchema = z.string().regex(/^\d{4}(H[12]|Q[1-4]|M(0[1-9]|1[0-2]))?$/, 'expected a period such as 2026Q3');
/** A use type, e.g. `ktv`, `background_music`, `broadcast`, `streaming`. */
export const useTypeSchema = z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, 'expected a lower-case use type');
export const rightTypeSchema = z.enum(['performing', 'mechanical']);
export const poolSchema = z.object({ rightType: rightTypeSchema, useType: useTypeSchema, period: periodSchema }).strict();
/** Free text that goes on the ledger (names, reasoning); bounded. */
export const textSchema = (max: number) => z.string().trim().min(1).max(max);
export const reasonCodeSchema = z.enum(['DUPLICATE', 'WRONG_AMOUNT', 'WRONG_POOL', 'WRONG_PARTY', 'WRONG_PERIOD', 'CLAIM_ACCEPTED', 'CANCELLED', 'FRAUD', 'OTHER']);
export const iswcSchema = z.string().regex(/^T-?\d{3}\.?\d{3}\.?\d{3}-?\d$/, 'expected an ISWC such as T-123.456.789-0');
export const isrcSchema = z.string().regex(/^[A-Z]{2}-?[A-Z0-9]{3}-?\d{2}-?\d{5}$/, 'expected an ISRC such as CN-A01-26-00001');
export const ipiSchema = z.string().regex(/^\d{9,11}$/, 'expected an IPI name number (9 to 11 digits)');
export const hexDigestSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lower-case hex SHA-256 digest');
export { currencySchema, decimalAmountSchema };

/** Normalises an ISWC to `T-DDD.DDD.DDD-C`. */
export function normaliseIswc(iswc: string): string {
  const d = iswc.replace(/[^0-9]/g, '');
  return `T-${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;
}

/** Normalises an ISRC to its 12-character form without hyphens. */
export function normaliseIsrc(isrc: string): string {
  return isrc.replace(/-/g, '');
}

/** Parses an amount in a currency to minor units, as a validation error naming the field. */
export function amountOf(text: string, currency: CurrencyCode, field: string, opts: { positive?: boolean; nonNegative?: boolean } = {}): bigint {
  let minor: bigint;
  try {
    minor = parseMoney(text, currency, field).minor;
  } catch (e) {
    if (e instanceof MoneyError) throw new LedgerError('VALIDATION.INVALID_ARGUMENT', e.message, { field });
    throw e;
  }
  if (opts.positive && minor <= 0n) throw new LedgerError('VALIDATION.INVALID_ARGUMENT', `${field} must be greater than zero`, { field });
  if (opts.nonNegative && minor < 0n) throw new LedgerError('VALIDATION.INVALID_ARGUMENT', `${field} must not be negative`, { field });
  return minor;
}
