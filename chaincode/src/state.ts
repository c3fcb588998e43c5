/**
 * Typed access to world state: records are canonical JSON under composite keys
 * `\0type\0id...\0`. Every write is recorded as a change for the transaction's event.
 */
import { canonicalJson } from '@rtl/distribution/canonical-json';
import { LedgerError } from './errors';
import type { LedgerChange, LedgerContext } from './ledger-context';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The composite key of a record. */
export function recordKey(ctx: LedgerContext, type: string, ids: readonly string[]): string {
  return ctx.stub.createCompositeKey(type, [...ids]);
}

/** Reads a record, or undefined when absent. */
export async function readRecord<T>(ctx: LedgerContext, type: string, ids: readonly string[]): Promise<T | undefined> {
  const bytes = await ctx.stub.getState(recordKey(ctx, type, ids));
  if (!bytes || bytes.length === 0) return undefined;
  return JSON.parse(decoder.decode(bytes)) as T;
}

/** Reads a record that must exist; `NOT_FOUND` names the argument field that referred to it. */
export async function mustRead<T>(ctx: LedgerContext, type: string, ids: readonly string[], field: string): Promise<T> {
  const rec = await readRecord<T>(ctx, type, ids);
  if (rec === undefined) {
    throw new LedgerError('NOT_FOUND', `${type} ${ids.join('/')} does not exist`, { field, type, id: ids.join('/') });
  }
  return rec;
}

/** Writes a record and records the change for the event. */
export async function writeRecord(
  ctx: LedgerContext,
  type: string,
  ids: readonly string[],
  data: unknown,
  action: LedgerChange['action'] = 'created',
  emit = true,
): Promise<void> {
  await ctx.stub.putState(recordKey(ctx, type, ids), encoder.encode(canonicalJson(data)));
  if (emit) ctx.changes.push({ type, id: ids.join('/'), action, data });
}

/** Writes a record that must not exist yet (`ALREADY_EXISTS` otherwise). */
export async function createRecord(ctx: LedgerContext, type: string, ids: readonly string[], data: unknown, field: string): Promise<void> {
  if ((await readRecord(ctx, type, ids)) !== undefined) {
    throw new LedgerError('ALREADY_EXISTS', `${type} ${ids.join('/')} already exists`, { field, type, id: ids.join('/') });
  }
  await writeRecord(ctx, type, ids, data, 'created');
}

/** Every record under a partial composite key, in key order. */
export async function scanRecords<T>(ctx: LedgerContext, type: string, prefix: readonly string[]): Promise<Array<{ key: string; value: T }>> {
  const out: Array<{ key: string; value: T }> = [];
  const it = await ctx.stub.getStateByPartialCompositeKey(type, [...prefix]);
  try {
    for (let r = await it.next(); !r.done; r = await it.next()) {
      out.push({ key: r.value.key, value: JSON.parse(decoder.decode(r.value.value)) as T });
    }
  } finally {
    await it.close();
  }
  return out;
}

/** The transaction's timestamp as an ISO-8601 string (identical on every endorsing peer). */
export function txTime(ctx: LedgerContext): string {
  return ctx.stub.getDateTimestamp().toISOString();
}

/** The transaction's date, `YYYY-MM-DD` in UTC. */
export function txDate(ctx: LedgerContext): string {
  return txTime(ctx).slice(0, 10);
}
