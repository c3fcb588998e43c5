// The hashing worker of hash-pool.ts. It takes jobs from the main thread (messages that carry
// shared memory) and claims work units from shared counters exactly as the main thread does, so a
// job finishes whether or not this thread ever gets to it. See hash-pool.ts for the layouts.
import { Buffer } from 'node:buffer';
import { parentPort } from 'node:worker_threads';
import { hashBlocks, hashLeafRun, leavesHashed } from './hash-kernels.mjs';

// Control words (Int32Array over a SharedArrayBuffer); the same indexes as in hash-pool.ts.
const CLAIMED = 0;
const DONE = 1;
const PUBLISHED = 2;
const FINISHED = 3;
const BUILT = 4;
const IDLE_WAIT_MS = 200;

function runBlocks(job) {
  const ctrl = new Int32Array(job.control);
  const done = new Int32Array(job.doneFlags);
  const levels = job.levels.map((l) => Buffer.from(l.buffer, l.offset, l.length));
  for (let b = Atomics.add(ctrl, CLAIMED, 1); b < job.blocks; b = Atomics.add(ctrl, CLAIMED, 1)) {
    hashBlocks(levels, job.size, job.shift, b, b + 1);
    Atomics.store(done, b, 1);
    Atomics.add(ctrl, DONE, 1);
    Atomics.notify(ctrl, DONE);
  }
}

// Slot states of a leaf pipeline (first word of a slot's head).
const FREE = 0;
const READY = 1;
const TAKEN = 2;

function runLeafSlots(job) {
  const ctrl = new Int32Array(job.control);
  const heads = new Int32Array(job.heads);
  const ends = new Int32Array(job.ends);
  const bytes = new Uint8Array(job.bytes);
  const out = Buffer.from(job.out);
  // With a tree: the bottom levels, built block by block as their leaves are hashed.
  const tree = job.tree;
  const remaining = tree && new Int32Array(tree.remaining);
  const levels = tree && tree.levels.map((l) => Buffer.from(l.buffer, l.offset, l.length));
  for (;;) {
    const published = Atomics.load(ctrl, PUBLISHED);
    // The oldest ready slot (lowest first leaf): the caller takes the newest when it helps.
    let slot = -1;
    for (let s = 0; s < job.slots; s++) {
      if (Atomics.load(heads, s * 3) === READY && (slot < 0 || heads[s * 3 + 2] < heads[slot * 3 + 2])) slot = s;
    }
    if (slot >= 0) {
      const h = slot * 3;
      if (Atomics.compareExchange(heads, h, READY, TAKEN) !== READY) continue;
      const count = heads[h + 1], first = heads[h + 2];
      hashLeafRun(bytes, slot * job.slotBytes, ends.subarray(slot * job.slotLeaves), count, out, first);
      if (tree) Atomics.add(ctrl, BUILT, leavesHashed(first, count, remaining, levels, tree.size, tree.shift));
      Atomics.store(heads, h, FREE);
      Atomics.add(ctrl, DONE, 1);
      Atomics.notify(ctrl, DONE);
    } else if (Atomics.load(ctrl, FINISHED) === 1) return;
    else Atomics.wait(ctrl, PUBLISHED, published, IDLE_WAIT_MS);
  }
}

parentPort.on('message', (job) => {
  if (job.kind === 'blocks') runBlocks(job);
  else if (job.kind === 'leaves') runLeafSlots(job);
});
