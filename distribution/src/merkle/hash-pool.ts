/**
 * Parallel SHA-256 for large Merkle trees: one worker thread (`hash-worker.mjs`) shares the hashing
 * with the calling thread through shared memory. Work is split into units (blocks of the bottom
 * tree levels, slots of leaf bytes) that either thread claims atomically (a shared counter, a
 * slot's state), and every unit's output is a pure function of its input, so the bytes are the
 * same whichever thread computes a unit, and a job completes on the calling thread alone when the
 * worker is slow to start, busy or missing. The calling thread blocks (Atomics.wait) only for units
 * the worker has claimed; the API stays synchronous. Trees under {@link PARALLEL_MIN_LEAVES}
 * leaves never start the worker.
 */
import { Buffer } from 'node:buffer';
import { Worker } from 'node:worker_threads';
import { digestInto, hashBlocks, hashLeafRun, hashPairs, leavesHashed } from './hash-kernels.mjs';

// Control words of a job (Int32Array over a SharedArrayBuffer); hash-worker.mjs uses the same indexes.
const CLAIMED = 0;
const DONE = 1;
const PUBLISHED = 2;
const FINISHED = 3;
const BUILT = 4;

/** Fewer leaves than this are hashed on the calling thread alone: starting a worker costs ~30 ms. */
export const PARALLEL_MIN_LEAVES = 1 << 16;
/** Leaf-byte slots of a pipeline (a ring the two threads go round). */
const SLOTS = 8;

/** How work is split; the defaults suit millions of leaves, tests use small units to exercise every path. */
export interface HashingOptions {
  /** Fewer leaves are hashed on the calling thread alone (default {@link PARALLEL_MIN_LEAVES}). */
  minParallel?: number;
  /** log2 of the leaves per block of the bottom tree levels (default 12: a few ms of hashing per unit). */
  blockShift?: number;
  /** Bytes and leaves per pipeline slot (default 1 MiB and 8192). */
  slotBytes?: number;
  slotLeaves?: number;
  /** Whether a pipeline builds the tree's bottom levels as it goes (default true; false when only the leaf hashes are wanted). */
  levels?: boolean;
}
/** The worker is presumed gone after this long without finishing a unit it claimed. */
const STALL_MS = 30_000;
const WAIT_SLICE_MS = 100;

let worker: Worker | null | undefined;

/** The shared hashing worker, started on first use; null where worker threads are unavailable. */
function hashWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    // No inherited flags: the worker is plain JavaScript and needs no loader.
    const w = new Worker(new URL('./hash-worker.mjs', import.meta.url), { execArgv: [] });
    w.unref();
    const gone = () => {
      if (worker === w) worker = null;
    };
    w.on('error', gone);
    w.on('exit', gone);
    worker = w;
  } catch {
    worker = null;
  }
  return worker;
}

/** Gives up on the worker (it stopped making progress); later jobs run on the calling thread. */
function abandonWorker(): void {
  const w = worker;
  worker = null;
  void w?.terminate();
}

/**
 * Waits until the job's DONE counter reaches `target`. If the worker makes no progress for
 * {@link STALL_MS}, it is abandoned and `rescue` redoes, on this thread, the units it held.
 */
function awaitDone(ctrl: Int32Array, target: () => number, rescue: () => void): void {
  let last = Atomics.load(ctrl, DONE);
  let since = performance.now();
  while (last < target()) {
    Atomics.wait(ctrl, DONE, last, WAIT_SLICE_MS);
    const now = performance.now();
    const d = Atomics.load(ctrl, DONE);
    if (d !== last) {
      last = d;
      since = now;
    } else if (now - since > STALL_MS) {
      abandonWorker();
      rescue();
      return;
    }
  }
}

function sharedBuffer(bytes: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(bytes));
}

/** Node counts of the levels of a tree over `size` leaves, leaves first. */
function levelSizes(size: number): number[] {
  const sizes = [size];
  for (let n = size; n > 1; ) sizes.push((n = Math.ceil(n / 2)));
  return sizes;
}

/** Builds levels `levels.length`.. up to the root on this thread, pair by pair. */
function buildUpper(levels: Buffer[], sizes: readonly number[]): Buffer[] {
  for (let l = levels.length; l < sizes.length; l++) {
    const next = Buffer.allocUnsafe(sizes[l]! * 32);
    hashPairs(levels[l - 1]!, sizes[l - 1]!, next, 0, sizes[l - 1]!);
    levels.push(next);
  }
  return levels;
}

/** Levels 1..`shift` of a tree (sizes `sizes`) in one SharedArrayBuffer. */
function sharedLower(sizes: readonly number[], shift: number): Buffer[] {
  let bytes = 0;
  for (let k = 1; k <= shift; k++) bytes += sizes[k]! * 32;
  const lower = new SharedArrayBuffer(bytes);
  const out: Buffer[] = [];
  for (let k = 1, at = 0; k <= shift; at += sizes[k]! * 32, k++) out.push(Buffer.from(lower, at, sizes[k]! * 32));
  return out;
}

/** The views of `levels` as the worker rebuilds them. */
function levelRefs(levels: readonly Buffer[]): { buffer: ArrayBufferLike; offset: number; length: number }[] {
  return levels.map((v) => ({ buffer: v.buffer, offset: v.byteOffset, length: v.length }));
}

/**
 * Every level of the RFC 6962 tree over `size` leaf hashes (`level0`, 32 bytes each), leaves
 * first, root last: pairs hashed as H(0x01 ‖ left ‖ right), an unpaired last node promoted
 * unchanged. From `minParallel` leaves on, the bottom levels are built by blocks on two threads.
 */
export function buildLevels(level0: Buffer, size: number, options: HashingOptions = {}): Buffer[] {
  const sizes = levelSizes(size);
  const w = size >= (options.minParallel ?? PARALLEL_MIN_LEAVES) && size > 1 ? hashWorker() : null;
  const levels = [level0];
  if (w) {
    const shift = Math.max(1, Math.min(options.blockShift ?? 12, sizes.length - 1));
    if (!(level0.buffer instanceof SharedArrayBuffer)) {
      const copy = sharedBuffer(size * 32);
      level0.copy(copy, 0, 0, size * 32);
      levels[0] = copy;
    }
    levels.push(...sharedLower(sizes, shift));
    const blocks = Math.ceil(size / 2 ** shift);
    const control = new SharedArrayBuffer(32);
    const doneFlags = new SharedArrayBuffer(blocks * 4);
    const ctrl = new Int32Array(control);
    const done = new Int32Array(doneFlags);
    w.postMessage({ kind: 'blocks', control, doneFlags, size, shift, blocks, levels: levelRefs(levels) });
    for (let b = Atomics.add(ctrl, CLAIMED, 1); b < blocks; b = Atomics.add(ctrl, CLAIMED, 1)) {
      hashBlocks(levels, size, shift, b, b + 1);
      Atomics.store(done, b, 1);
      Atomics.add(ctrl, DONE, 1);
    }
    awaitDone(ctrl, () => blocks, () => {
      for (let b = 0; b < blocks; b++) if (Atomics.load(done, b) === 0) hashBlocks(levels, size, shift, b, b + 1);
    });
  }
  return buildUpper(levels, sizes);
}

// States of a pipeline slot (first word of its head; the second and third hold its leaf count and first leaf).
const FREE = 0;
const READY = 1;
const TAKEN = 2;

/**
 * Where leaf bytes are written: the next leaf goes at `buf[start]` (its 0x00 prefix first) and
 * may use `buf` up to `end`. A writer that needs more room calls {@link grow}, which may move the
 * leaf begun at `start` (then `buf`, `start` and `end` change); {@link endLeaf} ends it.
 */
export interface LeafTarget {
  buf: Buffer;
  start: number;
  end: number;
  /** Room for `more` bytes after the leaf written at `buf[start, pos)`; returns where that leaf now ends. */
  grow(pos: number, more: number): number;
  /** Ends the leaf written at `buf[start, pos)`; the next one starts at the new `start`. */
  endLeaf(pos: number): void;
}

/**
 * Hashes a known number of leaves written one after another, in order, straight into shared
 * slots (each a run of consecutive leaves) that the worker hashes while the caller fills the next.
 * When every slot is full the caller hashes a waiting one itself, so it never idles while there
 * is work. A leaf longer than a slot is hashed by the caller from a private buffer. Below
 * `minParallel` leaves, or without a worker, each leaf is hashed as it ends.
 * Call {@link finish} (or {@link close} on failure) exactly once.
 */
export class LeafHashPipeline implements LeafTarget {
  /** The leaf hashes, 32 bytes each, in leaf order (complete after {@link finish}). */
  readonly hashes: Buffer;
  buf: Buffer;
  start = 0;
  end: number;
  private leaf = 0;
  private readonly ctrl: Int32Array | undefined;
  private readonly heads: Int32Array;
  private readonly ends: Int32Array;
  private readonly bytes: Buffer;
  /** The slot being filled, its leaf count and first leaf. */
  private slot = 0;
  private inSlot = 0;
  private first = 0;
  /** A private buffer: the only one without a worker, else for a leaf longer than a slot. */
  private own: Buffer = Buffer.allocUnsafe(4096);
  private inOwn: boolean;
  private readonly slotBytes: number;
  private readonly slotLeaves: number;
  /**
   * With the worker: the tree's levels 1..shift, built block by block (2^shift leaves) by the thread
   * that hashes a block's last leaves, while the caller still writes leaves; `remaining` counts
   * each block's leaves not yet hashed (−1 once its subtree is built).
   */
  private readonly lower: Buffer[] = [];
  /** [hashes, ...lower]. */
  private readonly bottom: Buffer[] = [];
  private readonly shift: number = 0;
  private readonly blocks: number = 0;
  private readonly remaining: Int32Array = new Int32Array(0);

  /** Prepares for `count` leaves. */
  constructor(readonly count: number, options: HashingOptions = {}) {
    this.slotBytes = options.slotBytes ?? 1 << 20;
    this.slotLeaves = options.slotLeaves ?? 1 << 13;
    const w = count > 0 && count >= (options.minParallel ?? PARALLEL_MIN_LEAVES) ? hashWorker() : null;
    if (!w) {
      this.hashes = Buffer.allocUnsafe(count * 32);
      this.ctrl = undefined;
      this.heads = new Int32Array(0);
      this.ends = new Int32Array(0);
      this.bytes = Buffer.alloc(0);
      this.inOwn = true;
      this.buf = this.own;
      this.end = this.own.length;
      return;
    }
    this.hashes = sharedBuffer(count * 32);
    const sizes = levelSizes(count);
    let tree: { remaining: SharedArrayBuffer; levels: ReturnType<typeof levelRefs>; size: number; shift: number } | undefined;
    if (sizes.length > 1 && options.levels !== false) {
      this.shift = Math.min(options.blockShift ?? 12, sizes.length - 1);
      this.lower = sharedLower(sizes, this.shift);
      this.blocks = Math.ceil(count / 2 ** this.shift);
      const remaining = new SharedArrayBuffer(this.blocks * 4);
      this.remaining = new Int32Array(remaining);
      for (let b = 0; b < this.blocks; b++) this.remaining[b] = Math.min((b + 1) * 2 ** this.shift, count) - b * 2 ** this.shift;
      this.bottom = [this.hashes, ...this.lower];
      tree = { remaining, levels: levelRefs(this.bottom), size: count, shift: this.shift };
    }
    const control = new SharedArrayBuffer(32);
    const heads = new SharedArrayBuffer(SLOTS * 3 * 4);
    const ends = new SharedArrayBuffer(SLOTS * this.slotLeaves * 4);
    const bytes = new SharedArrayBuffer(SLOTS * this.slotBytes);
    this.ctrl = new Int32Array(control);
    this.heads = new Int32Array(heads);
    this.ends = new Int32Array(ends);
    this.bytes = Buffer.from(bytes);
    this.inOwn = false;
    this.buf = this.bytes;
    this.end = this.slotBytes;
    w.postMessage({ kind: 'leaves', control, heads, ends, bytes, out: this.hashes.buffer, slots: SLOTS, slotBytes: this.slotBytes, slotLeaves: this.slotLeaves, tree });
  }

  /** Adds the next leaf by copying `leaf[0, length)`, whose first byte is the 0x00 leaf prefix. */
  push(leaf: Buffer, length: number): void {
    let pos = this.start;
    if (pos + length > this.end) pos = this.grow(pos, length);
    leaf.copy(this.buf, pos, 0, length);
    this.endLeaf(pos + length);
  }

  grow(pos: number, more: number): number {
    const len = pos - this.start;
    if (!this.inOwn && len + more <= this.slotBytes) {
      // The leaf moves to the start of a fresh slot; the leaves before it are published.
      if (this.own.length < len) this.own = Buffer.allocUnsafe(len);
      this.buf.copy(this.own, 0, this.start, pos);
      this.publish();
      this.acquire(this.leaf);
      this.own.copy(this.buf, this.start, 0, len);
      return this.start + len;
    }
    // Longer than a slot (or no worker): a private buffer, grown as needed.
    const next = Buffer.allocUnsafe(Math.max(2 * (len + more), 4096));
    this.buf.copy(next, 0, this.start, pos);
    this.own = next;
    this.buf = next;
    this.inOwn = true;
    this.start = 0;
    this.end = next.length;
    return len;
  }

  endLeaf(pos: number): void {
    const index = this.leaf++;
    if (index >= this.count) throw new RangeError(`more than ${this.count} leaves`);
    if (this.inOwn) {
      digestInto(new Uint8Array(this.buf.buffer, this.buf.byteOffset + this.start, pos - this.start), this.hashes, index * 32);
      if (!this.ctrl) return;
      this.hashed(index, 1);
      // Back to the slots; a slot holds consecutive leaves, so the next one starts a fresh slot.
      this.inOwn = false;
      this.publish();
      this.acquire(this.leaf);
      return;
    }
    this.ends[this.slot * this.slotLeaves + this.inSlot++] = pos;
    this.start = pos;
    if (this.inSlot === this.slotLeaves) {
      this.publish();
      this.acquire(this.leaf);
    }
  }

  /** Waits for every leaf hash and returns {@link hashes}. */
  finish(): Buffer {
    if (this.leaf !== this.count) throw new RangeError(`${this.leaf} leaves given, ${this.count} expected`);
    const ctrl = this.ctrl;
    if (!ctrl) return this.hashes;
    this.publish();
    this.close();
    for (let s = 0; s < SLOTS; s++) this.take(s);
    awaitDone(ctrl, () => (this.allFree() ? -1 : Infinity), () => this.rescue());
    // Every leaf is counted now; a subtree still missing is being built by the worker.
    awaitDone(ctrl, () => (Atomics.load(ctrl, BUILT) >= this.blocks ? -1 : Infinity), () => {
      for (let b = 0; b < this.blocks; b++) {
        if (Atomics.load(this.remaining, b) === 0) {
          hashBlocks(this.bottom, this.count, this.shift, b, b + 1);
          Atomics.store(this.remaining, b, -1);
          Atomics.add(ctrl, BUILT, 1);
        }
      }
    });
    return this.hashes;
  }

  /** Every level of the tree over the leaves, leaves first, root last (after {@link finish}). */
  levels(): Buffer[] {
    if (this.blocks > 0) return buildUpper([...this.bottom], levelSizes(this.count));
    return buildLevels(this.hashes, this.count);
  }

  /** Releases the worker from this pipeline (also after a failure; {@link finish} calls it). */
  close(): void {
    if (!this.ctrl) return;
    Atomics.store(this.ctrl, FINISHED, 1);
    Atomics.notify(this.ctrl, PUBLISHED);
  }

  private publish(): void {
    if (this.inSlot === 0) return;
    const h = this.slot * 3;
    this.heads[h + 1] = this.inSlot;
    this.heads[h + 2] = this.first;
    Atomics.store(this.heads, h, READY);
    Atomics.add(this.ctrl!, PUBLISHED, 1);
    Atomics.notify(this.ctrl!, PUBLISHED, 1);
    this.inSlot = 0;
  }

  /** Picks a free slot to fill with leaves from `first` on, hashing a ready one here if none is free. */
  private acquire(first: number): void {
    let slot = -1;
    while (slot < 0) {
      for (let s = 0; s < SLOTS && slot < 0; s++) if (Atomics.load(this.heads, s * 3) === FREE) slot = s;
      // Take the newest ready slot: the worker takes the oldest, so the two rarely collide.
      for (let s = SLOTS - 1; s >= 0 && slot < 0; s--) if (this.take(s)) slot = s;
      if (slot < 0) awaitDone(this.ctrl!, () => (this.anyFree() ? -1 : Infinity), () => this.rescue());
    }
    this.slot = slot;
    this.buf = this.bytes;
    this.start = slot * this.slotBytes;
    this.end = this.start + this.slotBytes;
    this.inSlot = 0;
    this.first = first;
  }

  /** Hashes slot `s` here if it is ready; true if it did. */
  private take(s: number): boolean {
    if (Atomics.compareExchange(this.heads, s * 3, READY, TAKEN) !== READY) return false;
    this.hashSlot(s);
    return true;
  }

  private hashSlot(s: number): void {
    const h = s * 3;
    const count = this.heads[h + 1]!, first = this.heads[h + 2]!;
    hashLeafRun(this.bytes, s * this.slotBytes, this.ends.subarray(s * this.slotLeaves), count, this.hashes, first);
    this.hashed(first, count);
    Atomics.store(this.heads, h, FREE);
    Atomics.add(this.ctrl!, DONE, 1);
  }

  /** Counts leaves hashed here off their blocks, building the subtrees they complete. */
  private hashed(first: number, count: number): void {
    if (this.blocks === 0) return;
    const built = leavesHashed(first, count, this.remaining, this.bottom, this.count, this.shift);
    if (built > 0) Atomics.add(this.ctrl!, BUILT, built);
  }

  private anyFree(): boolean {
    for (let s = 0; s < SLOTS; s++) if (Atomics.load(this.heads, s * 3) === FREE) return true;
    return false;
  }

  private allFree(): boolean {
    for (let s = 0; s < SLOTS; s++) if (Atomics.load(this.heads, s * 3) !== FREE) return false;
    return true;
  }

  /** Hashes here the slots the worker took and did not finish (it is presumed gone). */
  private rescue(): void {
    for (let s = 0; s < SLOTS; s++) if (Atomics.load(this.heads, s * 3) === TAKEN) this.hashSlot(s);
  }
}
