/**
 * The ledger's event stream on Fabric: full blocks from a peer's deliver service (through the
 * gateway's block events), decoded here because chaincode events alone do not tell a transaction's
 * position in its block. Yields the chaincode event of each valid transaction of our chaincode
 * strictly after the checkpoint (blockNumber, txIndex). When the stream breaks (the peer restarts,
 * the connection drops) it reopens from the block of the last event it yielded and skips what it
 * already yielded, so the consumer sees every event exactly once.
 */
import type { CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import { decodeBlock } from './block-decoder';
import type { OrgConnection } from './connections';
import type { Block } from './protos';
import type { Checkpoint, EventSubscription, LedgerEvent } from '../port';

/** How the stream reconnects. */
export interface EventStreamOptions {
  chaincodeName: string;
  /** First wait before reconnecting; doubles up to `maxBackoffMs`, with jitter. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  log: (line: string) => void;
}

function parsePayload(bytes: Uint8Array): unknown {
  if (bytes.length === 0) return null;
  const text = Buffer.from(bytes).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Whether (block, index) lies strictly after a checkpoint. */
function isAfter(blockNumber: bigint, txIndex: number, cp: Checkpoint): boolean {
  return blockNumber > cp.blockNumber || (blockNumber === cp.blockNumber && txIndex > cp.txIndex);
}

/** An event subscription that also tells how often it had to reopen its stream. */
export interface FabricEventSubscription extends EventSubscription {
  /** How many times the stream broke or ended and was reopened. */
  readonly reopened: number;
}

/** Opens a resumable event stream on one organisation's peer. */
export function openEventStream(conn: OrgConnection, after: Checkpoint | undefined, options: EventStreamOptions): FabricEventSubscription {
  // Everything at or before this position has been yielded (or lies before the requested start).
  const position: Checkpoint = after ? { ...after } : { blockNumber: -1n, txIndex: Number.MAX_SAFE_INTEGER };
  let closed = false;
  let current: CloseableAsyncIterable<Block> | undefined;
  let wake: (() => void) | undefined;
  let reopened = 0;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });

  async function* events(): AsyncGenerator<LedgerEvent> {
    let backoff = options.initialBackoffMs;
    while (!closed) {
      // Re-read the checkpoint's block: events later in it may not have been yielded yet.
      const startBlock = position.blockNumber < 0n ? 0n : position.blockNumber;
      try {
        current = await conn.network.getBlockEvents({ startBlock });
        for await (const block of current) {
          backoff = options.initialBackoffMs;
          const decoded = decodeBlock(block);
          for (const tx of decoded.transactions) {
            if (!isAfter(decoded.number, tx.txIndex, position)) continue;
            position.blockNumber = decoded.number;
            position.txIndex = tx.txIndex;
            if (tx.validationCode !== 'VALID' || !tx.event || tx.event.chaincodeId !== options.chaincodeName) continue;
            yield { blockNumber: decoded.number, txIndex: tx.txIndex, txId: tx.txId, name: tx.event.name, payload: parsePayload(tx.event.payload) };
            if (closed) return;
          }
          // A block without transactions after the position still moves it on.
          if (decoded.number > position.blockNumber) {
            position.blockNumber = decoded.number;
            position.txIndex = Number.MAX_SAFE_INTEGER;
          }
        }
        if (closed) return;
        options.log(`fabric events: stream from ${conn.mspId} ended at block ${position.blockNumber}; reopening`);
      } catch (e) {
        if (closed) return;
        options.log(`fabric events: stream from ${conn.mspId} (${conn.peerEndpoint}) failed after block ${position.blockNumber}: ${e instanceof Error ? e.message : String(e)}; retrying in ${backoff} ms`);
      } finally {
        current?.close();
        current = undefined;
      }
      reopened++;
      await pause(backoff * (0.75 + Math.random() * 0.5));
      backoff = Math.min(backoff * 2, options.maxBackoffMs);
    }
  }

  const iterator = events();
  return {
    get reopened() {
      return reopened;
    },
    [Symbol.asyncIterator]: () => iterator,
    close() {
      if (closed) return;
      closed = true;
      current?.close();
      wake?.();
      // Finishes the generator if it is suspended at a yield (no-op while a next() is pending).
      void iterator.return(undefined);
    },
  };
}
