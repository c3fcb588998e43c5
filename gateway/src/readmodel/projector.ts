/**
 * The projector: follows the ledger's events from the read model's checkpoint and applies each
 * event together with the new checkpoint in ONE SQL transaction, so a crash never loses or doubles
 * an event. It can rebuild everything from block 0.
 */
import type postgres from 'postgres';
import { LEDGER_EVENT, type LedgerEventPayload } from '@rtl/chaincode';
import type { Checkpoint, EventSubscription, LedgerEvent, LedgerPort } from '../ledger/port';
import { applyChange } from './apply-change';
import { READ_MODEL_TABLES } from './schema';

/** The checkpoint stored in the read model, or undefined before the first event. */
export async function readCheckpoint(sql: postgres.Sql): Promise<Checkpoint | undefined> {
  const [row] = await sql<{ block_number: string; tx_index: number }[]>`select block_number::text, tx_index from rm.checkpoint where id = 1`;
  return row ? { blockNumber: BigInt(row.block_number), txIndex: row.tx_index } : undefined;
}

/**
 * Applies one event and advances the checkpoint, atomically. Events at or before the checkpoint are
 * ignored. `beforeCheckpoint` is a test seam: it runs between the changes and the checkpoint.
 */
export async function applyEvent(sql: postgres.Sql, event: LedgerEvent, beforeCheckpoint?: () => void): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [cp] = await tx<{ block_number: string; tx_index: number }[]>`select block_number::text, tx_index from rm.checkpoint where id = 1 for update`;
    if (cp) {
      const b = BigInt(cp.block_number);
      if (event.blockNumber < b || (event.blockNumber === b && event.txIndex <= cp.tx_index)) return false;
    }
    if (event.name === LEDGER_EVENT) {
      const payload = event.payload as LedgerEventPayload;
      for (const change of payload.changes) await applyChange(tx, change, event.txId, payload.at);
      await tx`insert into rm.transactions ${tx({ tx_id: event.txId, block_number: event.blockNumber.toString(), tx_index: event.txIndex, fn: payload.fn, at: payload.at, change_count: payload.changes.length })}
        on conflict (tx_id) do nothing`;
    }
    beforeCheckpoint?.();
    await tx`insert into rm.checkpoint (id, block_number, tx_index, tx_id, updated_at)
      values (1, ${event.blockNumber.toString()}, ${event.txIndex}, ${event.txId}, now())
      on conflict (id) do update set block_number = excluded.block_number, tx_index = excluded.tx_index, tx_id = excluded.tx_id, updated_at = now()`;
    return true;
  });
}

/** Options of a running projector. */
export interface ProjectorOptions {
  log?: (line: string) => void;
  /** Delay before resubscribing after an error, in ms. */
  retryMs?: number;
}

/** A running projector: follows the ledger until stopped; callers can wait for a transaction. */
export class Projector {
  private sub: EventSubscription | undefined;
  private stopped = false;
  private applied = new Set<string>();
  private waiters = new Map<string, Array<() => void>>();
  private loop: Promise<void> | undefined;
  /** Events applied since start. */
  appliedCount = 0;

  constructor(
    private readonly ledger: LedgerPort,
    private readonly sql: postgres.Sql,
    private readonly options: ProjectorOptions = {},
  ) {}

  /** Starts following the ledger from the stored checkpoint. */
  start(): void {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const after = await readCheckpoint(this.sql);
        this.sub = this.ledger.events(after);
        for await (const event of this.sub) {
          if (this.stopped) break;
          if (await applyEvent(this.sql, event)) this.appliedCount++;
          this.markApplied(event.txId);
        }
      } catch (e) {
        if (this.stopped) break;
        this.options.log?.(`projector: ${e instanceof Error ? e.message : String(e)}; resuming from the checkpoint`);
        await new Promise((r) => setTimeout(r, this.options.retryMs ?? 500));
      }
    }
  }

  private markApplied(txId: string): void {
    this.applied.add(txId);
    if (this.applied.size > 10_000) this.applied = new Set([...this.applied].slice(-5_000));
    const ws = this.waiters.get(txId);
    if (ws) {
      this.waiters.delete(txId);
      for (const w of ws) w();
    }
  }

  /** Resolves once the read model holds the given transaction (read-your-writes for the API). */
  async waitFor(txId: string, timeoutMs = 10_000): Promise<void> {
    if (this.applied.has(txId)) return;
    const [row] = await this.sql`select 1 from rm.transactions where tx_id = ${txId}`;
    if (row) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read model did not see ${txId} within ${timeoutMs} ms`)), timeoutMs);
      const list = this.waiters.get(txId) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.waiters.set(txId, list);
    });
  }

  /** Stops following. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.sub?.close();
    await this.loop?.catch(() => {});
  }
}

/** Empties the read model, so the next projector run replays the ledger from block 0. */
export async function resetReadModel(sql: postgres.Sql): Promise<void> {
  await sql.begin(async (tx) => {
    await tx.unsafe(`truncate ${READ_MODEL_TABLES.map((t) => `rm.${t}`).join(', ')}, rm.checkpoint`);
  });
}

/**
 * Replays every event from block 0 into an emptied read model. It stops once the events of the
 * ledger's height at start are applied: at an event in the last block, or, since the last blocks may
 * carry no event, when no event arrived for `idleMs`.
 */
export async function rebuildReadModel(ledger: LedgerPort, sql: postgres.Sql, log: (line: string) => void = () => {}, idleMs = 1000): Promise<number> {
  await resetReadModel(sql);
  const { height } = await ledger.info();
  if (height <= 1n) return 0;
  const sub = ledger.events();
  let applied = 0;
  let lastBlock = -1n;
  let lastEventAt = Date.now();
  const watchdog = setInterval(() => {
    if (Date.now() - lastEventAt > idleMs) sub.close();
  }, Math.max(50, idleMs / 4));
  try {
    for await (const event of sub) {
      lastEventAt = Date.now();
      if (await applyEvent(sql, event)) applied++;
      if (event.blockNumber / 100n !== lastBlock / 100n) log(`projector: rebuilding, block ${event.blockNumber} of ${height - 1n}`);
      lastBlock = event.blockNumber;
      if (event.blockNumber >= height - 1n) break;
    }
  } finally {
    clearInterval(watchdog);
    sub.close();
  }
  log(`projector: rebuilt ${applied} events up to block ${lastBlock}`);
  return applied;
}
