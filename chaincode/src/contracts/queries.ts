/**
 * Read-only queries: balances derived from postings, journal entries, any record and its history.
 * Lists and searches are the read model's job; these answer from world state directly.
 */
import { z } from 'zod';
import { ACCOUNT_PATTERN } from '../accounts';
import { LedgerContract } from '../base-contract';
import { runQuery } from '../command';
import { accountBalances } from '../journal';
import type { LedgerContext } from '../ledger-context';
import type { EntryRecord } from '../records';
import { mustRead, recordKey } from '../state';

/** Record types a caller may read by key. */
export const RECORD_TYPES = [
  'party', 'work', 'share', 'recording', 'tariff', 'licence', 'invoice', 'payment', 'income',
  'entry', 'distribution', 'distribution-batch', 'payout', 'reversal', 'cmd', 'complaint', 'suspense-release',
  'carried-release',
] as const;

const recordRef = z.object({ type: z.enum(RECORD_TYPES), id: z.array(z.string().min(1).max(200)).min(1).max(4) }).strict();
const decoder = new TextDecoder();

/** Balances, entries, records and their history. */
export class QueriesContract extends LedgerContract {
  constructor() {
    super('queries');
  }

  /** An account's balance per currency, summed from its postings. */
  async getBalance(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runQuery(ctx, argsJson, z.object({ account: z.string().regex(ACCOUNT_PATTERN, 'not a ledger account name') }).strict(), async (a) => ({
      account: a.account,
      balances: await accountBalances(ctx, a.account),
    }));
  }

  /** A journal entry by id (the id of the transaction that posted it). */
  async getEntry(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runQuery(ctx, argsJson, z.object({ entryId: z.string().regex(/^[0-9a-f]{64}$/) }).strict(), (a) => mustRead<EntryRecord>(ctx, 'entry', [a.entryId], 'entryId'));
  }

  /** Any record by type and key parts. */
  async getRecord(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runQuery(ctx, argsJson, recordRef, (a) => mustRead<unknown>(ctx, a.type, a.id, 'id'));
  }

  /** Every committed version of a record, oldest first, with the transaction that wrote it. */
  async getHistory(ctx: LedgerContext, argsJson: string): Promise<string> {
    return runQuery(ctx, argsJson, recordRef, async (a) => {
      const it = await ctx.stub.getHistoryForKey(recordKey(ctx, a.type, a.id));
      const versions: Array<{ txId: string; timestamp: string; isDelete: boolean; value: unknown }> = [];
      try {
        for (let r = await it.next(); !r.done; r = await it.next()) {
          const m = r.value;
          const ts = m.timestamp as { seconds: number | { toNumber(): number } | { low: number }; nanos: number };
          const secs = typeof ts.seconds === 'number' ? ts.seconds : 'toNumber' in ts.seconds ? ts.seconds.toNumber() : ts.seconds.low;
          versions.push({
            txId: m.txId,
            timestamp: new Date(secs * 1000 + Math.floor(ts.nanos / 1e6)).toISOString(),
            isDelete: m.isDelete,
            value: m.isDelete || m.value.length === 0 ? null : JSON.parse(decoder.decode(m.value)),
          });
        }
      } finally {
        await it.close();
      }
      // Fabric returns history newest first; present it oldest first.
      versions.sort((x, y) => (x.timestamp < y.timestamp ? -1 : x.timestamp > y.timestamp ? 1 : 0));
      return { type: a.type, id: a.id.join('/'), versions };
    });
  }
}
