/**
 * What every operator route shares: the caller's own collective, the check that a body naming a
 * collective names that one, multi-step writes with derived command ids, and the small schemas
 * (ids, pools, dates) the routes repeat. Reads are always scoped to the operator's collective; a
 * record of another collective answers 404, so ids of other collectives do not leak.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { z } from '@hono/zod-openapi';
import type { AuthEnv } from '../../../auth/env';
import { ledgerIdentityFor, type AuthUser } from '../../../auth/identity';
import { assertRole } from '../../../auth/middleware';
import type { LedgerFunction, SubmitResult } from '../../../ledger/port';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { commandIdOf, submitAndWait } from '../../writes';

export { submitAndWait };

/** Ledger ids: letters, digits and `._-`, at most 64 (the chaincode's rule). */
export const IdString = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected an id of letters, digits, ".", "_" or "-" (at most 64)');
/** A calendar date `YYYY-MM-DD`. */
export const DateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
/** A pool period such as `2026Q3`. */
export const PeriodString = z.string().regex(/^\d{4}(H[12]|Q[1-4]|M(0[1-9]|1[0-2]))?$/, 'expected a period such as 2026Q3');
/** The right types of a pool or share set. */
export const RightType = z.enum(['performing', 'mechanical']);
/** An income pool of the operator's collective. */
export const Pool = z
  .object({ rightType: RightType, useType: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, 'expected a lower-case use type'), period: PeriodString })
  .strict()
  .openapi('Pool');
/** Currencies the ledger knows. */
export const Currency = z.enum(['CNY', 'EUR', 'GBP', 'HKD', 'JPY', 'USD']);
/** Reason codes of reversals, voids and revocations. */
export const ReasonCode = z.enum(['DUPLICATE', 'WRONG_AMOUNT', 'WRONG_POOL', 'WRONG_PARTY', 'WRONG_PERIOD', 'CLAIM_ACCEPTED', 'CANCELLED', 'FRAUD', 'OTHER']);
/** An optional `collectiveId` in a body: when present it must be the operator's own. */
export const OptionalCollective = z.object({ collectiveId: IdString.optional().openapi({ description: 'Defaults to your collective; naming another one is 403' }) });

/** The signed-in operator and its collective (401/403 otherwise). */
export function operator(c: Context<AuthEnv>): AuthUser & { collectiveId: string } {
  const user = assertRole(c.var.user, 'operator');
  if (!user.collectiveId) throw new HttpError('AUTH.FORBIDDEN', 'this operator account has no collective');
  return user as AuthUser & { collectiveId: string };
}

/** The operator's collective; a different `named` collective is 403 `AUTH.FORBIDDEN`. */
export function ownCollective(c: Context<AuthEnv>, named?: string): string {
  const { collectiveId } = operator(c);
  if (named !== undefined && named !== collectiveId) {
    throw new HttpError('AUTH.FORBIDDEN', `you operate ${collectiveId}, not ${named}`, { field: 'collectiveId' });
  }
  return collectiveId;
}

/** 404 for a record that does not exist or belongs to another collective (the same answer, so ids do not leak). */
export function notFound(what: string, id: string, field = 'id'): HttpError {
  return new HttpError('NOT_FOUND', `no ${what} ${id} in your collective`, { field });
}

/**
 * The command id of step `step` of a multi-step write: the request's command id plus `:<step>`,
 * hashed when that would exceed the ledger's 128 characters. A retried request re-derives the same
 * ids, so steps that already committed return their first result and the rest carry on.
 */
export function stepCommandId(base: string, step: string | number): string {
  const id = `${base}:${step}`;
  return id.length <= 128 ? id : `h:${createHash('sha256').update(id).digest('hex')}`;
}


/**
 * Submits a write of the signed-in operator with the request's command id — or, for step `step`
 * of a multi-step write, a command id derived from it — and waits for the read model.
 */
export async function submitOp<T>(c: Context<AuthEnv>, services: Services, fn: LedgerFunction, args: Record<string, unknown>, step?: string | number): Promise<SubmitResult<T>> {
  const user = operator(c);
  const base = commandIdOf(c);
  const commandId = step === undefined ? base : stepCommandId(base, step);
  const result = await submitAndWait<T>(services, ledgerIdentityFor(user), fn, { ...args, commandId });
  c.set('txId', result.txId);
  return result;
}

/**
 * True when the ledger already holds step `step` of the request's command: the request is a retry,
 * whose checks were passed the first time (the works it registered would now count as duplicates).
 */
export async function stepCommitted(c: Context<AuthEnv>, services: Services, step: string | number): Promise<boolean> {
  const user = operator(c);
  try {
    await services.ledger.evaluate(ledgerIdentityFor(user), 'queries:getRecord', { type: 'cmd', id: [stepCommandId(commandIdOf(c), step)] });
    return true;
  } catch (e) {
    if ((e as { code?: unknown }).code === 'NOT_FOUND') return false;
    throw e;
  }
}

/** A JSON response declaration for `createRoute`. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

/** Request body declaration for `createRoute`. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });

/** Declared once with a wide type: inline literals make zod-openapi infer the route's input as never. */
export const SECURITY: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { apiKeyAuth: [] }];

/** `like` pattern for a free-text query, with `%`/`_` escaped. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}
