/**
 * Building blocks shared by the routers: an OpenAPIHono factory whose validation failures become
 * `VALIDATION.INVALID_ARGUMENT` with the offending field, the error body schema, money and
 * pagination schemas, and keyset cursors.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AuthEnv } from '../auth/env';
import { HttpError } from './http-error';

/** A router for one audience or feature; validation errors are thrown as `HttpError`s. */
export function newRouter(): OpenAPIHono<AuthEnv> {
  return new OpenAPIHono<AuthEnv>({
    defaultHook: (result) => {
      if (!result.success) throw HttpError.fromZod(result.error, result.target);
    },
  });
}

/** The body of every error response. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'VALIDATION.INVALID_ARGUMENT' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).openapi({ example: { field: 'amount' } }),
    }),
  })
  .openapi('Error');

/** Standard error responses to spread into a route's `responses`. */
export const errorResponses = {
  400: { description: 'Invalid input: `VALIDATION.INVALID_ARGUMENT` with `details.field`', content: { 'application/json': { schema: ErrorBody } } },
  401: { description: 'Not signed in: `AUTH.UNAUTHENTICATED`', content: { 'application/json': { schema: ErrorBody } } },
  403: { description: 'Not allowed: `AUTH.FORBIDDEN` or `ACCESS.DENIED`', content: { 'application/json': { schema: ErrorBody } } },
  404: { description: 'No such record: `NOT_FOUND`', content: { 'application/json': { schema: ErrorBody } } },
  409: { description: 'Conflict with the ledger’s state (idempotency, already exists, invalid state)', content: { 'application/json': { schema: ErrorBody } } },
  422: { description: 'Refused by a ledger rule (unbalanced, insufficient funds, not conserved, shares over 100 %)', content: { 'application/json': { schema: ErrorBody } } },
} as const;

/** A money amount: a decimal string at the currency's scale, never a JSON number. */
export const MoneyString = z.string().regex(/^-?\d+(\.\d+)?$/).openapi({ example: '1234.50', description: 'Decimal string in the currency’s minor-unit scale' });

/** `?limit=&cursor=` of a keyset-paginated list. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ example: 50 }),
  cursor: z.string().max(500).optional().openapi({ description: 'Opaque cursor from the previous page’s `nextCursor`' }),
});

/** A page of a list. */
export function pageOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Encodes a keyset position (the sort key of the last item) as an opaque cursor. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor; a malformed one is a `VALIDATION.INVALID_ARGUMENT` on `cursor`. */
export function decodeCursor(cursor: string | undefined, arity: number): Array<string | number> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === arity && key.every((k) => typeof k === 'string' || typeof k === 'number')) return key;
  } catch {
    // fall through
  }
  throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'cursor: not a cursor this list issued', { field: 'cursor' });
}

/** Builds a page from `limit + 1` fetched rows: the extra row only signals that more follow. */
export function toPage<R, T>(rows: readonly R[], limit: number, map: (r: R) => T, key: (r: R) => readonly (string | number)[]): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(map), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null };
}
