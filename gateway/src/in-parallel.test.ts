import { describe, expect, it } from 'vitest';
import { inParallel } from './in-parallel';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('inParallel', () => {
  it('runs every item once with at most `limit` in flight, and counts them done', async () => {
    let inFlight = 0, most = 0;
    const seen: number[] = [];
    const counts: number[] = [];
    await inParallel(Array.from({ length: 25 }, (_, i) => i), 4, async (x, i) => {
      expect(i).toBe(x);
      inFlight++;
      most = Math.max(most, inFlight);
      await tick(x % 3);
      seen.push(x);
      inFlight--;
    }, (d) => counts.push(d));
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(most).toBe(4);
    expect(counts).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('starts nothing after a failure, lets the steps in flight finish, then throws the first failure', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = inParallel([0, 1, 2, 3, 4, 5, 6, 7], 3, async (x) => {
      started.push(x);
      if (x === 1) throw new Error('step 1 failed');
      await tick(5);
      if (x === 2) throw new Error('step 2 failed too');
      finished.push(x);
    });
    await expect(run).rejects.toThrow('step 1 failed');
    expect(started).toEqual([0, 1, 2]);
    expect(finished).toEqual([0]);
  });

  it('does nothing for no items', async () => {
    let called = false;
    await inParallel([], 8, async () => void (called = true));
    expect(called).toBe(false);
  });
});
