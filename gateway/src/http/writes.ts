/**
 * How routers write to the ledger: every POST carries an `Idempotency-Key` header that becomes the
 * ledger command id (scoped to the caller), the write goes out under the caller's ledger identity,
 * and the response waits until the read model has applied it, so a following GET sees it.
 */
import type { Context } from 'hono';
import { z } from '@hono/zod-openapi';
import { ledgerIdentityFor } from '../auth/identity';
import { assertRole } from '../auth/middleware';
import type { AuthEnv } from '../auth/env';
import type { Role } from '../auth/identity';
import type { LedgerFunction, LedgerIdentity, SubmitResult } from '../ledger/port';
import type { Services } from '../services';
import { HttpError } from './http-error';

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{7,63}$/;

/** The `Idempotency-Key` request header, documented on every write route. */
export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().regex(KEY).openapi({ description: 'Client-chosen key (8–64 of A–Z a–z 0–9 . _ -): the same key and body return the first result; the same key with another body is a conflict', example: 'pay-2026Q3-0001' }),
});

/** The ledger command id of a request: the caller's `Idempotency-Key`, scoped to the caller. */
export function commandIdOf(c: Context<AuthEnv>): string {
  const key = c.req.header('idempotency-key');
  if (!key || !KEY.test(key)) {
    throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'Idempotency-Key: a header of 8–64 letters, digits, ".", "_" or "-" is required on every write', { field: 'Idempotency-Key' });
  }
  const user = c.var.user;
  return `${user ? user.username : 'anonymous'}:${key}`;
}

/** What a write route returns besides its own fields: where the ledger recorded it. */
export const WriteReceipt = z.object({ txId: z.string(), blockNumber: z.string() });

/**
 * Submits a command and waits until the read model shows the transaction that did the work. A
 * repeated command (same id and payload) is answered by the chaincode with the first result, whose
 * `txId` names the original transaction; the repeat's own transaction changes nothing and emits no
 * event, so it is the original that the read model is waited for and reported.
 */
export async function submitAndWait<T>(services: Services, identity: LedgerIdentity, fn: LedgerFunction, args: Record<string, unknown>): Promise<SubmitResult<T>> {
  const res = await services.ledger.submit<T & { txId?: string }>(identity, fn, args);
  const txId = typeof res.result?.txId === 'string' ? res.result.txId : res.txId;
  await services.projector.waitFor(txId);
  if (txId === res.txId) return res;
  const [row] = await services.sql<{ b: string }[]>`select block_number::text as b from rm.transactions where tx_id = ${txId}`;
  return { ...res, txId, blockNumber: row ? BigInt(row.b) : res.blockNumber };
}

/**
 * Submits a command for the signed-in user (who must have one of `roles`), records the
 * transaction for the audit log, and waits until the read model shows it.
 */
export async function submitFor<T>(
  c: Context<AuthEnv>,
  services: Services,
  roles: readonly Role[],
  fn: LedgerFunction,
  args: Record<string, unknown>,
): Promise<SubmitResult<T>> {
  const user = assertRole(c.var.user, ...roles);
  const commandId = commandIdOf(c);
  const result = await submitAndWait<T>(services, ledgerIdentityFor(user), fn, { ...args, commandId });
  c.set('txId', result.txId);
  return result;
}
