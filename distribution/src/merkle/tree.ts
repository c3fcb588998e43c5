/**
 * RFC 6962 Merkle tree (SHA-256, leaf = H(0x00‖d), node = H(0x01‖l‖r), split at the largest power
 * of two below n) built with node:crypto. Built bottom-up, promoting an unpaired last node unchanged:
 * that yields exactly the RFC's left-balanced tree. Each level is one contiguous buffer (32 bytes per
 * node) so millions of leaves cost ~64 bytes each, not a Buffer object each.
 */
import * as nodeCrypto from 'node:crypto';
import { createHash } from 'node:crypto';
import { buildLevels, LeafHashPipeline, type HashingOptions, type LeafTarget } from './hash-pool';

const EMPTY_ROOT = createHash('sha256').digest();

// One-shot hashing (Node >= 20.12) is several times cheaper per call than a Hash object; millions
// of small hashes are dominated by that per-call cost. Its digest comes back as a 32-character
// latin1 string (cheaper than hex or a Buffer on Node 20) whose char codes are the digest bytes.
const oneShot = (nodeCrypto as unknown as { hash?: (alg: string, data: string | Uint8Array, enc: 'latin1') => string }).hash;

function putDigest(d: string, out: Uint8Array, offset: number): void {
  for (let k = 0; k < 32; k++) out[offset + k] = d.charCodeAt(k);
}

/** Writes SHA-256(0x00 || utf8(text)) into `out` at `offset` (32 bytes): a leaf hash without allocating a Buffer. */
export function hashLeafTextInto(text: string, out: Uint8Array, offset: number): void {
  if (oneShot) putDigest(oneShot('sha256', '\u0000' + text, 'latin1'), out, offset);
  else out.set(hashLeaf(text), offset);
}

/**
 * Writes the leaf hash of bytes already prefixed with 0x00 (`prefixed[0] === 0`, leaf data in
 * `prefixed[1..length)`) into `out` at `offset`: for leaves assembled in a reused buffer.
 */
export function hashLeafBytesInto(prefixed: Uint8Array, length: number, out: Uint8Array, offset: number): void {
  const data = prefixed.subarray(0, length);
  if (oneShot) putDigest(oneShot('sha256', data, 'latin1'), out, offset);
  else out.set(createHash('sha256').update(data).digest(), offset);
}

/**
 * The leaf hashes of `leaves` (strings as UTF-8), 32 bytes each, in order: for large lists the
 * bytes are copied into shared memory here and hashed on a second thread as well.
 */
export function hashLeaves(leaves: readonly (Uint8Array | string)[], options?: HashingOptions): Buffer {
  return leafPipeline(leaves, { ...options, levels: false }).hashes;
}

/** A finished pipeline over `leaves` (its hashes and, on two threads, its bottom levels done). */
function leafPipeline(leaves: readonly (Uint8Array | string)[], options?: HashingOptions): LeafHashPipeline {
  const pipeline = new LeafHashPipeline(leaves.length, options);
  try {
    for (const data of leaves) writeLeafData(pipeline, data);
    pipeline.finish();
    return pipeline;
  } finally {
    pipeline.close();
  }
}

/** Writes 0x00 ‖ data (a string as UTF-8) as the next leaf of `target`. */
function writeLeafData(target: LeafTarget, data: Uint8Array | string): void {
  // Room for the longest encoding: three UTF-8 bytes per UTF-16 unit at most.
  const room = 1 + (typeof data === 'string' ? data.length * 3 : data.length);
  let pos = target.start;
  if (pos + room > target.end) pos = target.grow(pos, room);
  const buf = target.buf;
  buf[pos] = 0;
  let n: number;
  if (typeof data === 'string') n = buf.write(data, pos + 1, room - 1, 'utf8');
  else {
    buf.set(data, pos + 1);
    n = data.length;
  }
  target.endLeaf(pos + 1 + n);
}

/** SHA-256(0x00 || data). */
export function hashLeaf(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(Buffer.of(0)).update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).digest();
}

/** SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(Buffer.of(1)).update(left).update(right).digest();
}

/** A complete tree over a fixed list of leaves, able to produce audit paths. */
export class MerkleTree {
  /** levels[0] = leaf hashes; the last level holds the root. */
  private readonly levels: Buffer[];
  /** Number of leaves. */
  readonly size: number;

  private constructor(levels: Buffer[], size: number) {
    this.size = size;
    this.levels = levels;
  }

  /** Builds a tree from leaf data (each item is hashed with {@link hashLeaf}). */
  static fromLeaves(leaves: Iterable<Uint8Array | string>): MerkleTree {
    const list = Array.isArray(leaves) ? (leaves as readonly (Uint8Array | string)[]) : [...leaves];
    const pipeline = leafPipeline(list);
    return MerkleTree.fromLevels(pipeline.levels(), list.length);
  }

  /** Builds a tree from `size` leaf hashes laid out contiguously (32 bytes each) in `buf`, which the tree keeps. */
  static fromLeafHashBuffer(buf: Buffer, size: number): MerkleTree {
    if (buf.length < size * 32) throw new RangeError(`buffer holds fewer than ${size} leaf hashes`);
    return new MerkleTree(buildLevels(buf.subarray(0, size * 32), size), size);
  }

  /**
   * A tree from its complete levels (leaf hashes first, root last, 32 bytes per node), as
   * `LeafHashPipeline.levels()` returns them; the tree keeps them.
   */
  static fromLevels(levels: Buffer[], size: number): MerkleTree {
    const sizes = [size];
    for (let n = size; n > 1; ) sizes.push((n = Math.ceil(n / 2)));
    if (levels.length !== sizes.length) throw new RangeError(`a tree of ${size} leaves has ${sizes.length} levels, not ${levels.length}`);
    levels.forEach((l, i) => {
      if (l.length < sizes[i]! * 32) throw new RangeError(`level ${i} holds fewer than ${sizes[i]} nodes`);
    });
    return new MerkleTree(levels, size);
  }

  /** Builds a tree from precomputed 32-byte leaf hashes. */
  static fromLeafHashes(hashes: readonly Uint8Array[]): MerkleTree {
    const buf = Buffer.allocUnsafe(hashes.length * 32);
    hashes.forEach((h, i) => {
      if (h.length !== 32) throw new RangeError(`leaf hash ${i} is not 32 bytes`);
      buf.set(h, i * 32);
    });
    return new MerkleTree(buildLevels(buf, hashes.length), hashes.length);
  }

  /** The root (Merkle Tree Hash); SHA-256 of the empty string for an empty tree. */
  root(): Buffer {
    if (this.size === 0) return Buffer.from(EMPTY_ROOT);
    return Buffer.from(this.levels[this.levels.length - 1]!.subarray(0, 32));
  }

  /** Hash of leaf `index`. */
  leafHash(index: number): Buffer {
    this.checkIndex(index);
    return Buffer.from(this.levels[0]!.subarray(index * 32, index * 32 + 32));
  }

  /** RFC 6962 audit path for leaf `index`, leaf side first. */
  proof(index: number): Buffer[] {
    this.checkIndex(index);
    const path: Buffer[] = [];
    let i = index;
    let n = this.size;
    for (let level = 0; n > 1; level++) {
      const sib = i ^ 1;
      // An unpaired last node has no sibling at this level: it is promoted, so no path entry.
      if (sib < n) path.push(Buffer.from(this.levels[level]!.subarray(sib * 32, sib * 32 + 32)));
      i >>= 1;
      n = Math.ceil(n / 2);
    }
    return path;
  }

  private checkIndex(index: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) throw new RangeError(`leaf index ${index} outside a tree of ${this.size}`);
  }
}

/**
 * Computes the root of a stream of leaves in O(log n) memory (a stack of perfect subtrees), for
 * anchoring very large statement runs without keeping the tree.
 */
export class MerkleRootBuilder {
  private readonly stack: { hash: Buffer; size: number }[] = [];
  private count = 0;

  /** Adds one leaf's data. */
  add(data: Uint8Array | string): void {
    this.addHash(hashLeaf(data));
  }

  /** Adds one precomputed leaf hash. */
  addHash(hash: Buffer): void {
    let node = { hash, size: 1 };
    for (let top = this.stack[this.stack.length - 1]; top && top.size === node.size; top = this.stack[this.stack.length - 1]) {
      this.stack.pop();
      node = { hash: hashChildren(top.hash, node.hash), size: top.size * 2 };
    }
    this.stack.push(node);
    this.count++;
  }

  /** Number of leaves added. */
  get size(): number {
    return this.count;
  }

  /** The root of the leaves added so far. */
  root(): Buffer {
    if (this.stack.length === 0) return Buffer.from(EMPTY_ROOT);
    // Fold right to left: the smaller subtrees on the right join first, as in the RFC's split.
    let acc = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) acc = hashChildren(this.stack[i]!.hash, acc);
    return acc;
  }
}

/** Root of `leaves` without keeping the tree. */
export function merkleRoot(leaves: Iterable<Uint8Array | string>): Buffer {
  const b = new MerkleRootBuilder();
  for (const l of leaves) b.add(l);
  return b.root();
}
