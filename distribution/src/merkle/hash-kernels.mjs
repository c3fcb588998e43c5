// SHA-256 kernels of the RFC 6962 tree, shared by the main thread (tree.ts imports this file) and
// the hashing worker (hash-worker.mjs). Plain JavaScript so that a worker thread loads it without a
// TypeScript loader; the types are in hash-kernels.d.mts.
import * as nodeCrypto from 'node:crypto';

// One-shot hashing (Node >= 20.12) costs a fraction of a Hash object per call; the digest comes back
// as a 32-character latin1 string whose char codes are the digest bytes.
const oneShot = nodeCrypto.hash;

/** SHA-256 of `data` (a byte view) written into `out` (a Buffer) at `at`. */
export function digestInto(data, out, at) {
  if (oneShot) out.latin1Write(oneShot('sha256', data, 'latin1'), at, 32);
  else nodeCrypto.createHash('sha256').update(data).digest().copy(out, at);
}

/**
 * Hashes leaves laid out back to back in `bytes`: leaf k occupies `[ends[k - 1], ends[k])` (leaf 0
 * starts at `start`) and already begins with the 0x00 leaf prefix. Leaf k's hash goes to
 * `out[(first + k) * 32]`.
 */
export function hashLeafRun(bytes, start, ends, count, out, first) {
  const buffer = bytes.buffer;
  const base = bytes.byteOffset;
  let from = start;
  for (let k = 0; k < count; k++) {
    const to = ends[k];
    digestInto(new Uint8Array(buffer, base + from, to - from), out, (first + k) * 32);
    from = to;
  }
}

/**
 * Writes the parents of nodes `[from, to)` of a level (`cur`, `n` nodes, 32 bytes each; `from`
 * even) into `next`: H(0x01 ‖ left ‖ right) for each pair, and an unpaired last node copied up.
 */
export function hashPairs(cur, n, next, from, to) {
  // Reused input: 0x01 at byte 3, the two children at bytes 4..67, so that whole-word copies are aligned.
  const scratch = new ArrayBuffer(68);
  const input = new Uint8Array(scratch, 3, 65);
  input[0] = 1;
  const words = new Int32Array(scratch, 4, 16);
  const aligned = cur.byteOffset % 4 === 0;
  const src = aligned ? new Int32Array(cur.buffer, cur.byteOffset, (n * 32) >> 2) : undefined;
  const end = Math.min(to, n);
  let i = from;
  for (; i + 1 < end; i += 2) {
    if (src) {
      const w = i * 8;
      for (let k = 0; k < 16; k++) words[k] = src[w + k];
    } else {
      for (let k = 0; k < 64; k++) input[1 + k] = cur[i * 32 + k];
    }
    digestInto(input, next, i * 16);
  }
  if (i < end) cur.copy(next, (i >> 1) * 32, i * 32, i * 32 + 32);
}

/**
 * Builds levels 1..`levels.length - 1` of the subtrees over leaf blocks `[fromBlock, toBlock)`
 * of 2^`shift` leaves each (`size` leaves in all). Blocks never share a parent below level
 * `shift`, so blocks can be built in any order, by any thread, with the same bytes.
 */
export function hashBlocks(levels, size, shift, fromBlock, toBlock) {
  for (let b = fromBlock; b < toBlock; b++) {
    let n = size;
    let from = b << shift;
    let to = Math.min((b + 1) << shift, size);
    for (let l = 1; l < levels.length && l <= shift; l++) {
      hashPairs(levels[l - 1], n, levels[l], from, to);
      n = Math.ceil(n / 2);
      from >>= 1;
      to = Math.ceil(to / 2);
    }
  }
}

/**
 * Leaves `[first, first + count)` have been hashed: counts them off their blocks of 2^`shift`
 * leaves (`remaining`, an Int32Array over shared memory, set to each block's size at the start).
 * The thread that hashed a block's last leaves builds its subtree (levels 1..`shift`) at once and
 * marks the block −1. Returns the number of subtrees built.
 */
export function leavesHashed(first, count, remaining, levels, size, shift) {
  const blockSize = 2 ** shift;
  let built = 0;
  for (let i = first, end = first + count; i < end; ) {
    const b = Math.floor(i / blockSize);
    const to = Math.min((b + 1) * blockSize, end);
    const k = to - i;
    if (Atomics.sub(remaining, b, k) === k) {
      hashBlocks(levels, size, shift, b, b + 1);
      Atomics.store(remaining, b, -1);
      built++;
    }
    i = to;
  }
  return built;
}
