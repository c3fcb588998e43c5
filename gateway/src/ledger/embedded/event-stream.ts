/**
 * Chaincode event subscriptions. A subscription is a cursor (last delivered block and tx index)
 * plus the highest block it has fully scanned. It replays from PostgreSQL in pages, and once it
 * has caught up it reads new blocks from an in-memory ring of recent blocks. Because the cursor
 * decides what comes next, the switch from replay to live can neither skip nor repeat an event.
 */
import type { Checkpoint, EventSubscription, LedgerEvent } from '../port';

/** What a subscription needs from the ledger. */
export interface EventSource {
  /** Number of committed blocks (the last block is `height - 1`). */
  height(): bigint;
  /** Events of blocks `from..height-1` if all of them are still in memory; otherwise undefined. */
  recent(from: bigint): LedgerEvent[] | undefined;
  /** Stored events after (block, tx) up to block `through`, at most `limit`. */
  fetch(afterBlock: bigint, afterTx: number, through: bigint, limit: number): Promise<LedgerEvent[]>;
  /** Resolves at the next commit. Take it before reading `height()` so no commit is missed. */
  nextCommit(): Promise<void>;
}

const PAGE = 500;

/** One subscriber's stream. */
export class EventStream implements EventSubscription {
  private closed = false;
  private readonly closedSignal: Promise<void>;
  private signalClosed: () => void = () => {};

  constructor(
    private readonly source: EventSource,
    private readonly after: Checkpoint | undefined,
    private readonly onClose: (s: EventStream) => void,
  ) {
    this.closedSignal = new Promise((resolve) => (this.signalClosed = resolve));
  }

  /** Ends the stream; a pending `next()` resolves as done. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.signalClosed();
    this.onClose(this);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<LedgerEvent> {
    let afterBlock = this.after?.blockNumber ?? -1n;
    let afterTx = this.after?.txIndex ?? -1;
    // Every event in blocks <= scanned has been delivered (or precedes the checkpoint).
    let scanned = afterBlock - 1n;
    try {
      while (!this.closed) {
        const commit = this.source.nextCommit();
        const last = this.source.height() - 1n;
        if (scanned >= last) {
          await Promise.race([commit, this.closedSignal]);
          continue;
        }
        let batch = this.source.recent(scanned + 1n);
        let reached = last;
        if (batch) {
          batch = batch.filter((e) => e.blockNumber > afterBlock || (e.blockNumber === afterBlock && e.txIndex > afterTx));
        } else {
          batch = await this.source.fetch(afterBlock, afterTx, last, PAGE);
          // A full page may have stopped inside a block: only the blocks before it are complete.
          if (batch.length === PAGE) reached = batch[batch.length - 1]!.blockNumber - 1n;
        }
        for (const event of batch) {
          if (this.closed) return;
          yield event;
          afterBlock = event.blockNumber;
          afterTx = event.txIndex;
        }
        if (reached > scanned) scanned = reached;
      }
    } finally {
      this.close();
    }
  }
}
