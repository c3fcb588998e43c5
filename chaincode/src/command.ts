/**
 * The command envelope: argument parsing with zod (errors name the offending field) and
 * idempotency. Every write carries a client-chosen `commandId`; the first transaction with that id
 * stores a hash of its payload and its result, a repeat with the same payload returns that first
 * result unchanged and writes nothing, and a repeat with another payload is a conflict.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { canonicalJson } from '@rtl/distribution/canonical-json';
import { LedgerError } from './errors';
import type { LedgerContext } from './ledger-context';
import { readRecord, txTime, writeRecord } from './state';

interface CommandRecord {
  commandId: string;
  fn: string;
  payloadHash: string;
  txId: string;
  at: string;
  result: unknown;
}

/** The result every command returns: its own fields plus the transaction that performed it. */
export type CommandResult<R> = R & { commandId: string; txId: string };

/** Parses and validates a JSON argument; failures are `VALIDATION.INVALID_ARGUMENT` with the field path. */
export function parseArgs<S extends z.ZodType>(argsJson: unknown, schema: S): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(typeof argsJson === 'string' ? argsJson : '');
  } catch {
    throw new LedgerError('VALIDATION.INVALID_ARGUMENT', 'the argument must be one JSON object', { field: '' });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.map(String).join('.') : '';
    throw new LedgerError('VALIDATION.INVALID_ARGUMENT', `${field || 'argument'}: ${issue?.message ?? 'invalid'}`, {
      field,
      issues: parsed.error.issues.slice(0, 10).map((i) => ({ field: i.path.map(String).join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

/** Runs an idempotent write command and returns its JSON result. */
export async function runCommand<S extends z.ZodType<{ commandId: string }>, R extends object>(
  ctx: LedgerContext,
  argsJson: unknown,
  schema: S,
  handler: (args: z.infer<S>) => Promise<R>,
): Promise<string> {
  const args = parseArgs(argsJson, schema);
  const payloadHash = createHash('sha256').update(canonicalJson({ fn: ctx.fn, args })).digest('hex');
  const prior = await readRecord<CommandRecord>(ctx, 'cmd', [args.commandId]);
  if (prior) {
    if (prior.payloadHash !== payloadHash) {
      throw new LedgerError('LEDGER.IDEMPOTENCY_CONFLICT', `command ${args.commandId} was already used with a different payload`, {
        field: 'commandId',
        commandId: args.commandId,
        firstTxId: prior.txId,
      });
    }
    ctx.changes = [];
    return canonicalJson(prior.result);
  }
  const txId = ctx.stub.getTxID();
  const result: CommandResult<R> = { ...(await handler(args)), commandId: args.commandId, txId };
  const record: CommandRecord = { commandId: args.commandId, fn: ctx.fn, payloadHash, txId, at: txTime(ctx), result };
  await writeRecord(ctx, 'cmd', [args.commandId], record, 'created', false);
  return canonicalJson(result);
}

/** Runs a read-only query and returns its JSON result. */
export async function runQuery<S extends z.ZodType, R>(ctx: LedgerContext, argsJson: unknown, schema: S, handler: (args: z.infer<S>) => Promise<R>): Promise<string> {
  return canonicalJson(await handler(parseArgs(argsJson, schema)));
}
