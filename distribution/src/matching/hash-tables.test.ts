import { describe, expect, it } from 'vitest';
import { IntTable, StringTable } from './hash-tables';

describe('StringTable', () => {
  it('numbers strings in insertion order and finds them from a range of a text', () => {
    const t = new StringTable();
    const ids = Array.from({ length: 5000 }, (_, i) => t.intern(`party-${i % 3000}`));
    expect(ids.slice(2998, 3002)).toEqual([2998, 2999, 0, 1]);
    expect(t.size).toBe(3000);
    const line = 'W1,x,party-1234,y';
    expect(t.findRange(line, 5, 15)).toBe(1234);
    expect(t.internRange(line, 5, 15)).toBe(1234);
    expect(t.internRange(line, 0, 2)).toBe(3000);
    expect(t.strings[3000]).toBe('W1');
    expect([t.get('party-7'), t.get('party-3000'), t.get('')]).toEqual([7, undefined, undefined]);
    expect([...t.values()].slice(0, 3)).toEqual([0, 1, 2]);
  });

  it('behaves as a Map for positions added in order', () => {
    const t = new StringTable();
    t.set('a', 0);
    t.set('b', 1);
    expect(() => t.set('a', 2)).toThrow(RangeError);
    expect(() => t.set('c', 5)).toThrow(RangeError);
    expect([t.get('a'), t.get('b'), t.size]).toEqual([0, 1, 2]);
  });
});

describe('IntTable', () => {
  it('maps integer keys, overwriting values and growing', () => {
    const t = new IntTable();
    for (let i = 0; i < 10_000; i++) t.set(i * 7919, i);
    t.set(0, -1);
    expect(t.size).toBe(10_000);
    expect([t.get(0), t.get(7919 * 9999), t.get(5), t.get(2 ** 31 - 2)]).toEqual([-1, 9999, undefined, undefined]);
    t.set(999_999_999, 3);
    expect(t.get(999_999_999)).toBe(3);
  });
});
