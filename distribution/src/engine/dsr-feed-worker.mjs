// The worker thread of a DSR feed (see dsr-feed.ts, and usage-feed.ts for the other end).
// The parser is TypeScript: the worker starts without inherited flags and registers the same
// TypeScript loader the project runs under, then reads the file it was given and posts batches.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { feedDsr } = await import('./dsr-feed.ts');

await feedDsr(workerData, {
  send: (m, transfer) => parentPort.postMessage(m, transfer),
  onTaken: (listener) => parentPort.on('message', listener),
});
parentPort.close();
