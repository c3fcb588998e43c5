// The worker thread of a DSR feed (see dsr-feed.ts, and engine/usage-feed.ts for the other end).
// The parser is TypeScript: the worker starts without inherited flags and registers the same
// TypeScript loader the project runs under, then reads the file it was given and posts batches.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { feedDsr } = await import('./dsr-feed.ts');

let acks = 0;
let wake = null;
parentPort.on('message', () => {
  acks++;
  if (wake) {
    const w = wake;
    wake = null;
    w();
  }
});
const taken = () => {
  if (acks > 0) {
    acks--;
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    wake = () => {
      acks--;
      resolve();
    };
  });
};
await feedDsr(workerData, (m, transfer) => parentPort.postMessage(m, transfer ?? []), taken);
parentPort.close();
