/**
 * The receiving end of a DSR feed: a worker thread reads, hashes and parses the usage file
 * (`dsr-feed.ts`) while the calling thread matches and aggregates the lines it sends, so a
 * large DSR's usage pass uses two cores. The worker parses at most a window of batches (input
 * megabytes) ahead and holds them itself, sending a few at a time, so memory stays bounded
 * whichever side is slower.
 */
import { Worker } from 'node:worker_threads';
import type { FeedMessage, FeedRequest } from './dsr-feed';

/** Batches the worker may parse ahead of the matching (each is one megabyte of input). */
export const FEED_WINDOW = 16;

/** A running feed: its messages in order. */
export interface DsrFeed {
  /** The next message; a worker that failed or stopped early yields a `crash`. */
  next(): Promise<FeedMessage>;
  /** Tells the worker one batch was taken. */
  ack(): void;
  /** Stops the worker (after the end, or when the caller gives up). */
  close(): Promise<void>;
  /** True until the worker has sent anything: a failure then means it could not start. */
  readonly starting: boolean;
}

/** The worker's script. */
const FEED_WORKER = new URL('./dsr-feed-worker.mjs', import.meta.url);

/**
 * Starts a worker parsing `req.path`; `undefined` where worker threads are unavailable. `script`
 * replaces the worker's script (tests use one that cannot start).
 */
export function startDsrFeed(req: Omit<FeedRequest, 'window'>, window = FEED_WINDOW, script: URL = FEED_WORKER): DsrFeed | undefined {
  let worker: Worker;
  try {
    // No inherited flags: the worker registers its own TypeScript loader.
    worker = new Worker(script, {
      workerData: { ...req, window },
      execArgv: [],
      // The parse makes short-lived strings at a high rate: a young generation this size lets them
      // die there (measured: ~20 % less time than the default).
      resourceLimits: { maxYoungGenerationSizeMb: 192 },
    });
  } catch {
    return undefined;
  }
  const queue: FeedMessage[] = [];
  let waiting: ((m: FeedMessage) => void) | undefined;
  let finished = false;
  let started = false;
  const deliver = (m: FeedMessage) => {
    if (m.t !== 'batch') finished = true;
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(m);
    } else queue.push(m);
  };
  worker.on('message', (m: FeedMessage) => {
    started = true;
    deliver(m);
  });
  worker.on('error', (e: Error) => {
    if (!finished) deliver({ t: 'crash', name: e.name, message: e.message, ...((e as NodeJS.ErrnoException).code ? { code: (e as NodeJS.ErrnoException).code! } : {}) });
  });
  worker.on('exit', (code) => {
    if (!finished) deliver({ t: 'crash', name: 'Error', message: `the usage parsing thread stopped (exit code ${code})` });
  });
  return {
    next: () => {
      const m = queue.shift();
      return m ? Promise.resolve(m) : new Promise((resolve) => (waiting = resolve));
    },
    ack: () => worker.postMessage(0),
    close: async () => {
      finished = true;
      await worker.terminate();
    },
    get starting() {
      return !started;
    },
  };
}
