import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildLevels, LeafHashPipeline, type LeafTarget } from './hash-pool';
import { hashLeaf, hashLeaves, merkleRoot, MerkleTree } from './tree';

function leafBytes(i: number): Buffer {
  // Lengths vary from 1 to 300 bytes so that slots fill at different points.
  return Buffer.from(`leaf ${i} `.padEnd(1 + ((i * 37) % 300), String.fromCharCode(97 + (i % 26))), 'utf8');
}

function leafHashes(n: number): Buffer {
  const buf = Buffer.allocUnsafe(n * 32);
  for (let i = 0; i < n; i++) hashLeaf(leafBytes(i)).copy(buf, i * 32);
  return buf;
}

/** Levels built one pair at a time with Hash objects: the reference for the kernels. */
function referenceLevels(level0: Buffer, size: number): Buffer[] {
  const levels = [level0.subarray(0, size * 32)];
  for (let n = size; n > 1; n = Math.ceil(n / 2)) {
    const cur = levels[levels.length - 1]!;
    const next = Buffer.alloc(Math.ceil(n / 2) * 32);
    for (let i = 0; i + 1 < n; i += 2) createHash('sha256').update(Buffer.of(1)).update(cur.subarray(i * 32, i * 32 + 64)).digest().copy(next, i * 16);
    if (n % 2 === 1) cur.copy(next, (n - 1) * 16, (n - 1) * 32, n * 32);
    levels.push(next);
  }
  return levels;
}

describe('buildLevels', () => {
  it('builds the same levels on one thread and on two, for any size and block size', () => {
    for (const size of [1, 2, 3, 4, 5, 7, 8, 9, 31, 33, 100, 257]) {
      const level0 = leafHashes(size);
      const expected = referenceLevels(level0, size).map((l) => l.toString('hex'));
      expect(buildLevels(level0, size, { minParallel: Infinity }).map((l) => l.toString('hex')), `serial ${size}`).toEqual(expected);
      for (const blockShift of [1, 2, 3, 5]) {
        expect(buildLevels(level0, size, { minParallel: 1, blockShift }).map((l) => l.toString('hex')), `parallel ${size} / 2^${blockShift}`).toEqual(expected);
      }
    }
  });

  it('gives a large tree the root of the streaming builder', () => {
    const n = 70_001;
    const leaves = Array.from({ length: n }, (_, i) => `leaf-${i}`);
    expect(MerkleTree.fromLeaves(leaves).root().toString('hex')).toBe(merkleRoot(leaves).toString('hex'));
  });
});

describe('LeafHashPipeline', () => {
  const n = 2_000;
  const expected = leafHashes(n).toString('hex');
  const prefixed = (i: number) => Buffer.concat([Buffer.of(0), leafBytes(i)]);

  it('hashes every leaf into its place, on two threads or one', () => {
    for (const options of [{ minParallel: Infinity }, { minParallel: 1 }, { minParallel: 1, slotBytes: 512, slotLeaves: 3 }, { minParallel: 1, slotBytes: 4096, slotLeaves: 64 }]) {
      const p = new LeafHashPipeline(n, options);
      for (let i = 0; i < n; i++) {
        const b = prefixed(i);
        p.push(b, b.length);
      }
      expect(p.finish().toString('hex'), JSON.stringify(options)).toBe(expected);
    }
  });

  it('hashes a leaf longer than a slot on the calling thread', () => {
    const big = Buffer.concat([Buffer.of(0), Buffer.alloc(5000, 120)]);
    const p = new LeafHashPipeline(3, { minParallel: 1, slotBytes: 1024, slotLeaves: 4 });
    p.push(prefixed(0), prefixed(0).length);
    p.push(big, big.length);
    p.push(prefixed(2), prefixed(2).length);
    const h = p.finish();
    expect(h.subarray(32, 64).toString('hex')).toBe(hashLeaf(big.subarray(1)).toString('hex'));
    expect(h.subarray(64, 96).toString('hex')).toBe(expected.slice(128, 192));
  });

  it('takes leaves written in pieces that outgrow their slot, or any slot', () => {
    // Writes like the statement writer: a few bytes at a time, asking for room when out of it.
    const write = (t: LeafTarget, bytes: Buffer) => {
      let pos = t.start;
      for (let k = 0; k < bytes.length; k += 7) {
        const piece = bytes.subarray(k, k + 7);
        if (pos + piece.length > t.end) pos = t.grow(pos, piece.length);
        piece.copy(t.buf, pos);
        pos += piece.length;
      }
      t.endLeaf(pos);
    };
    const leaves = Array.from({ length: 600 }, (_, i) => (i % 97 === 5 ? Buffer.concat([Buffer.of(0), Buffer.alloc(3000 + i, 65 + (i % 26))]) : prefixed(i)));
    const want = Buffer.concat(leaves.map((l) => hashLeaf(l.subarray(1)))).toString('hex');
    for (const options of [{ minParallel: Infinity }, { minParallel: 1, slotBytes: 1024, slotLeaves: 5 }, { minParallel: 1, slotBytes: 700, slotLeaves: 64 }]) {
      const p = new LeafHashPipeline(leaves.length, options);
      for (const l of leaves) write(p, l);
      expect(p.finish().toString('hex'), JSON.stringify(options)).toBe(want);
    }
  });

  it('builds the tree levels block by block as leaves are hashed, equal to the reference', () => {
    for (const size of [1, 2, 3, 17, 64, 100, 333]) {
      const leaves = Array.from({ length: size }, (_, i) => (i % 41 === 40 ? Buffer.concat([Buffer.of(0), Buffer.alloc(900, 66)]) : prefixed(i)));
      const level0 = Buffer.concat(leaves.map((l) => hashLeaf(l.subarray(1))));
      const want = referenceLevels(level0, size).map((l) => l.toString('hex'));
      for (const options of [{ minParallel: Infinity }, { minParallel: 1, blockShift: 2, slotBytes: 700, slotLeaves: 5 }, { minParallel: 1, blockShift: 3, slotBytes: 4096, slotLeaves: 64 }, { minParallel: 1 }]) {
        const p = new LeafHashPipeline(size, options);
        for (const l of leaves) p.push(l, l.length);
        p.finish();
        expect(p.levels().map((l) => l.toString('hex')), `${size} ${JSON.stringify(options)}`).toEqual(want);
        expect(MerkleTree.fromLevels(p.levels(), size).root().toString('hex')).toBe(want[want.length - 1]);
      }
    }
    expect(() => MerkleTree.fromLevels([Buffer.alloc(64)], 2)).toThrow(RangeError);
  });

  it('counts its leaves', () => {
    const p = new LeafHashPipeline(1, { minParallel: Infinity });
    expect(() => p.finish()).toThrow(RangeError);
    p.push(prefixed(0), prefixed(0).length);
    expect(() => p.push(prefixed(1), prefixed(1).length)).toThrow(RangeError);
  });
});

describe('hashLeaves', () => {
  it('hashes strings as UTF-8 and bytes as they are, on one thread or two', () => {
    const leaves: (string | Uint8Array)[] = [];
    for (let i = 0; i < 500; i++) {
      if (i % 7 === 0) leaves.push(new Uint8Array([i & 255, 0, 255, 1]));
      else if (i % 11 === 0) leaves.push(`月亮 ${i} \ud800 ${'é'.repeat(i)}`);
      else if (i === 250) leaves.push('x'.repeat(5000));
      else leaves.push(`leaf ${i}`);
    }
    const want = Buffer.concat(leaves.map((l) => hashLeaf(l))).toString('hex');
    for (const options of [{ minParallel: Infinity }, { minParallel: 1, slotBytes: 1024, slotLeaves: 9 }, { minParallel: 1 }]) {
      expect(hashLeaves(leaves, options).toString('hex'), JSON.stringify(options)).toBe(want);
    }
    expect(hashLeaves([]).length).toBe(0);
  });
});
