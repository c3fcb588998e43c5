/**
 * The ordering service's block cutter: collects transactions and cuts a block when
 * `maxMessageCount` are pending or `batchTimeoutMs` has passed since the oldest arrived. Blocks
 * are committed one at a time; while one commits, the next fills up, which is what makes
 * concurrent submits cheap (one PostgreSQL transaction per block, not per submit).
 */

/** Batch settings, named after Fabric's `BatchSize.MaxMessageCount` and `BatchTimeout`. */
export interface BatchOptions {
  /** Most transactions in one block (default 500). */
  maxMessageCount?: number;
  /** Longest a transaction waits for more to join its block, in ms (default 2). */
  batchTimeoutMs?: number;
}

/** Cuts batches and hands them, one at a time, to a committer. */
export class BlockCutter<T> {
  private pending: Array<{ item: T; at: number }> = [];
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private idleWaiters: Array<() => void> = [];
  readonly maxMessageCount: number;
  readonly batchTimeoutMs: number;

  /** @param commit processes one batch; must not throw (it settles its own items) */
  constructor(
    options: BatchOptions,
    private readonly commit: (batch: T[]) => Promise<void>,
  ) {
    this.maxMessageCount = Math.max(1, Math.floor(options.maxMessageCount ?? 500));
    this.batchTimeoutMs = Math.max(0, options.batchTimeoutMs ?? 2);
  }

  /** Queues an item for the next block. */
  enqueue(item: T): void {
    this.pending.push({ item, at: performance.now() });
    this.schedule();
  }

  /** Number of items waiting for a block. */
  get backlog(): number {
    return this.pending.length;
  }

  /** Resolves once nothing is pending and no batch is committing. */
  async drain(): Promise<void> {
    if (!this.busy && this.pending.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.busy || this.pending.length === 0) return;
    const oldest = this.pending[0]!.at;
    const wait = this.batchTimeoutMs - (performance.now() - oldest);
    if (this.pending.length >= this.maxMessageCount || wait <= 0) {
      this.cut();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.schedule();
    }, wait);
  }

  private cut(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.busy = true;
    const batch = this.pending.splice(0, this.maxMessageCount).map((p) => p.item);
    void this.commit(batch).finally(() => {
      this.busy = false;
      if (this.pending.length === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      } else this.schedule();
    });
  }
}
