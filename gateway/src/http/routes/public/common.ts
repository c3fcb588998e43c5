/**
 * Pieces shared by the public routes: parameter schemas, "today", and exact formatting of the
 * amounts PostgreSQL returns as text.
 */
import { z } from '@hono/zod-openapi';
import { formatMoney, isCurrencyCode, parseMoney } from '@rtl/distribution/money';
import { errorResponses } from '../../openapi';

/** OpenAPI tag of every public route. */
export const PUBLIC_TAG = 'public';

/** Ids as the ledger accepts them (letters, digits, `._-`, at most 64). */
export const LedgerId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected an id of letters, digits, ".", "_" or "-" (at most 64)');

/** A collective id filter. */
export const CollectiveQuery = LedgerId.optional().openapi({ example: 'MCSC', description: 'Only this collective' });

/** A pool period: a year, half, quarter or month, as the ledger names them. */
export const PeriodString = z.string().regex(/^\d{4}(H[12]|Q[1-4]|M(0[1-9]|1[0-2]))?$/, 'expected a period such as 2026Q3');

/** A calendar date `YYYY-MM-DD` that exists. */
export const DateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');

/** Error responses a public read can give: bad input or no such record (never 401/403). */
export const publicErrors = { 400: errorResponses[400], 404: errorResponses[404] } as const;

/** JSON response entry for `createRoute`. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

/** Today's date (UTC), as the chaincode dates transactions. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * An amount PostgreSQL computed in `numeric` and sent as text, printed at the currency's full
 * scale (`0` → `0.00` for CNY). Parsed into bigint minor units and back, never through a number;
 * a value with more decimals than the currency allows is refused rather than rounded.
 */
export function moneyText(text: string | null | undefined, currency: string): string {
  if (!isCurrencyCode(currency)) return text ?? '0';
  return formatMoney(parseMoney(text ?? '0', currency));
}
