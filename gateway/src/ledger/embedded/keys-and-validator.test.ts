import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareKeys, createCompositeKey, splitCompositeKey } from './keys';
import { emptyRwSet, parseRwSet, serializeRwSet } from './rwset';
import { validateBlock } from './validator';
import { newStateTree } from './world-state';
import { BlockCutter } from './block-cutter';

describe('keys', () => {
  it('orders strings exactly as their UTF-8 bytes (LevelDB / bytea order)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        const bytes = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
        expect(Math.sign(compareKeys(a, b))).toBe(bytes);
      }),
      { numRuns: 2000 },
    );
    expect(compareKeys('\uffff', '\u{10000}')).toBeLessThan(0);
  });

  it('builds and splits composite keys in Fabric format', () => {
    const key = createCompositeKey('posting', ['pool:K', 'tx1']);
    expect(key).toBe('\u0000posting\u0000pool:K\u0000tx1\u0000');
    expect(splitCompositeKey(key)).toEqual({ objectType: 'posting', attributes: ['pool:K', 'tx1'] });
    expect(splitCompositeKey('plain')).toEqual({ objectType: null, attributes: [] });
    expect(() => createCompositeKey('posting', [''])).toThrow();
  });
});

describe('validateBlock', () => {
  const rw = (reads: Array<[string, { block: number; tx: number } | null]>, writes: Array<[string, string | null]>) => {
    const s = emptyRwSet();
    for (const [k, v] of reads) s.reads.set(k, v);
    for (const [k, v] of writes) s.writes.set(k, v === null ? null : Buffer.from(v));
    return s;
  };

  it('marks duplicate tx ids, in the block and already committed', () => {
    const state = newStateTree();
    const { codes } = validateBlock(5, [
      { txId: 'a', rwset: rw([], [['k1', 'x']]) },
      { txId: 'a', rwset: rw([], [['k2', 'x']]) },
      { txId: 'old', rwset: rw([], [['k3', 'x']]) },
    ], state, new Set(['old']));
    expect(codes).toEqual(['VALID', 'DUPLICATE_TXID', 'DUPLICATE_TXID']);
    expect([...state.keys()]).toEqual(['k1']);
  });

  it('checks reads against committed state plus earlier valid writes of the block', () => {
    const state = newStateTree();
    state.set('k', { value: Buffer.from('1'), block: 1, tx: 0 });
    const { codes, changes } = validateBlock(2, [
      { txId: 't0', rwset: rw([['k', { block: 1, tx: 0 }]], [['k', '2']]) },
      { txId: 't1', rwset: rw([['k', { block: 1, tx: 0 }]], [['k', '3']]) },
      { txId: 't2', rwset: rw([['absent', null]], [['absent', 'x'], ['k2', null]]) },
      { txId: 't3', rwset: rw([['absent', null]], [['absent', 'y']]) },
    ], state, new Set());
    expect(codes).toEqual(['VALID', 'MVCC_READ_CONFLICT', 'VALID', 'MVCC_READ_CONFLICT']);
    expect(state.get('k')).toMatchObject({ block: 2, tx: 0 });
    expect(changes.get('absent')).toMatchObject({ tx: 2 });
  });

  it('round-trips read/write sets canonically', () => {
    const s = rw([['b', null], ['a', { block: 1, tx: 2 }]], [['\u0000x\u0000', 'v'], ['d', null]]);
    s.ranges.push({ start: 'a', end: 'z', exhausted: true, results: [{ key: 'b', version: { block: 1, tx: 0 } }] });
    const text = serializeRwSet(s);
    expect(serializeRwSet(parseRwSet(text))).toBe(text);
  });
});

describe('BlockCutter', () => {
  it('cuts at maxMessageCount and commits one batch at a time', async () => {
    const batches: number[][] = [];
    let active = 0;
    const cutter = new BlockCutter<number>({ maxMessageCount: 3, batchTimeoutMs: 1 }, async (b) => {
      expect(++active).toBe(1);
      batches.push(b);
      await new Promise((r) => setTimeout(r, 2));
      active--;
    });
    for (let i = 0; i < 10; i++) cutter.enqueue(i);
    await new Promise((r) => setTimeout(r, 5));
    await cutter.drain();
    expect(batches.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batches.every((b) => b.length <= 3)).toBe(true);
  });
});
