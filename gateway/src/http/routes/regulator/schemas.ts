/**
 * Schemas and small helpers shared by the regulator's routes: query parameters naming a
 * collective or a pool, the receipt link of a transaction, and the OpenAPI security and tag.
 */
import { z } from '@hono/zod-openapi';

/** OpenAPI tag of every regulator route. */
export const TAG = 'regulator';

/** Signed-in callers only: a session token or an API key. Declared wide (see auth/router.ts). */
export const SECURITY: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { apiKeyAuth: [] }];

/** A JSON response of a route. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

/** A collective id as the ledger spells ids. */
export const CollectiveId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a collective id such as MCSC').openapi({ example: 'MCSC' });

/** `?pool=rightType:useType:period`, e.g. `performing:ktv:2026Q3`. */
export const PoolParam = z
  .string()
  .regex(/^(performing|mechanical):[a-z][a-z0-9_]{1,31}:\d{4}(H[12]|Q[1-4]|M(0[1-9]|1[0-2]))?$/, 'expected rightType:useType:period, e.g. performing:ktv:2026Q3')
  .openapi({ example: 'performing:ktv:2026Q3' });

/** A pool: right type, use type and period. */
export const PoolRef = z.object({ rightType: z.string(), useType: z.string(), period: z.string() }).openapi('PoolRef');

/** Where a transaction was committed and where anyone can check it. */
export const TxReceipt = z
  .object({
    txId: z.string(),
    blockNumber: z.string().nullable().openapi({ description: 'Block holding the transaction (decimal string); null while the read model has not seen it' }),
    txIndex: z.number().int().nullable(),
    href: z.string().openapi({ example: '/api/public/receipts/3f2a…', description: 'Public receipt: block hash and validation code, verifiable by anyone' }),
  })
  .openapi('TxReceipt');

/** The public receipt address of a transaction. */
export function receiptHref(txId: string): string {
  return `/api/public/receipts/${encodeURIComponent(txId)}`;
}

/** A receipt from a transaction id and the block position the read model recorded. */
export function txReceipt(txId: string, blockNumber: string | null, txIndex: number | null): z.infer<typeof TxReceipt> {
  return { txId, blockNumber, txIndex, href: receiptHref(txId) };
}

/** Splits a pool account `pool:C:R:U:P` (or `suspense:…`, `billed:…`) into its parts. */
export function poolOfAccount(account: string): { collectiveId: string; rightType: string; useType: string; period: string } {
  const [, collectiveId = '', rightType = '', useType = '', period = ''] = account.split(':');
  return { collectiveId, rightType, useType, period };
}

/** The account of a pool given as `rightType:useType:period`. */
export function poolAccount(kind: 'pool' | 'suspense', collectiveId: string, pool: string): string {
  return `${kind}:${collectiveId}:${pool}`;
}
