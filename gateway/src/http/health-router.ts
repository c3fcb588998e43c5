/**
 * `GET /health`: liveness plus the ledger's height and head, the read model's checkpoint, and
 * whether the demo seed is done.
 */
import { Hono } from 'hono';
import type { LedgerPort } from '../ledger/port';

/** What the health check reports about start-up work still running. */
export interface StartupState {
  seed: 'pending' | 'running' | 'done' | 'skipped' | 'disabled' | 'failed';
  /** Reads the read model's checkpoint (block number), when there is one. */
  readModelBlock?: () => Promise<bigint | undefined>;
}

/** The health router. */
export function healthRouter(ledger: LedgerPort, startup: StartupState) {
  return new Hono().get('/health', async (c) => {
    const info = await ledger.info();
    const rmBlock = await startup.readModelBlock?.();
    return c.json({
      status: 'ok',
      ledger: { height: info.height.toString(), lastBlockHash: info.lastBlockHash },
      readModel: { block: rmBlock === undefined ? null : rmBlock.toString() },
      seed: startup.seed,
    });
  });
}
