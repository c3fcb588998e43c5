import { describe, expect, it } from 'vitest';
import { LoginRateLimiter } from './rate-limit';

const MIN = 60_000;

function limiter(perIp = 20) {
  const clock = { now: 1_000_000 };
  const l = new LoginRateLimiter({
    perUsername: { maxFailures: 5, windowMs: 15 * MIN },
    perIp: { maxFailures: perIp, windowMs: 15 * MIN },
    now: () => clock.now,
  });
  return { l, clock };
}

describe('login rate limiter', () => {
  it('allows five failures per username, then blocks until the oldest leaves the window', () => {
    const { l, clock } = limiter();
    for (let i = 0; i < 5; i++) {
      expect(l.retryAfterSeconds('alice', '10.0.0.1')).toBe(0);
      l.recordFailure('alice', '10.0.0.1');
      clock.now += MIN;
    }
    // Failures at t0, t0+1, …, t0+4 min; now is t0+5 min: the first leaves the window at t0+15 min.
    expect(l.retryAfterSeconds('alice', '10.0.0.1')).toBe(10 * 60);
    expect(l.retryAfterSeconds('ALICE', '10.0.0.9')).toBe(10 * 60);
    expect(l.retryAfterSeconds('bob', '10.0.0.9')).toBe(0);
    clock.now += 10 * MIN;
    expect(l.retryAfterSeconds('alice', '10.0.0.1')).toBe(0);
  });

  it('a success clears the username count but not the IP count', () => {
    const { l } = limiter(6);
    for (let i = 0; i < 4; i++) l.recordFailure('alice', '10.0.0.1');
    l.recordSuccess('alice');
    for (let i = 0; i < 4; i++) l.recordFailure('alice', '10.0.0.2');
    expect(l.retryAfterSeconds('alice', '10.0.0.2')).toBe(0);
    l.recordFailure('alice', '10.0.0.2');
    expect(l.retryAfterSeconds('alice', '10.0.0.3')).toBeGreaterThan(0);
    // 10.0.0.1 had 4 failures; 2 more from any usernames reach its limit of 6.
    l.recordFailure('carol', '10.0.0.1');
    expect(l.retryAfterSeconds('dave', '10.0.0.1')).toBe(0);
    l.recordFailure('erin', '10.0.0.1');
    expect(l.retryAfterSeconds('dave', '10.0.0.1')).toBeGreaterThan(0);
  });

  it('forgets the stalest keys beyond its memory bound', () => {
    const clock = { now: 0 };
    const l = new LoginRateLimiter({ perUsername: { maxFailures: 1, windowMs: MIN }, perIp: { maxFailures: 1000, windowMs: MIN }, now: () => clock.now, maxKeys: 3 });
    for (const u of ['a', 'b', 'c', 'd']) l.recordFailure(u, 'ip');
    expect(l.retryAfterSeconds('a', 'other')).toBe(0);
    expect(l.retryAfterSeconds('d', 'other')).toBeGreaterThan(0);
  });
});
