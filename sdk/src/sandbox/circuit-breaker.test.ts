import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from './circuit-breaker.ts';

describe('circuit breaker', () => {
  const options = { strikes: 3, windowMs: 60_000, cooldownMs: 300_000 };

  it('makes an install suspect after one crash and opens after three in the window', () => {
    let now = 1_000_000;
    const breaker = createCircuitBreaker(options, () => now);
    expect(breaker.health('a')).toEqual({ state: 'healthy' });
    expect(breaker.strike('a', 'killed by SIGABRT')).toBe(false);
    expect(breaker.health('a')).toEqual({ state: 'suspect', strikes: 1 });
    now += 1000;
    expect(breaker.strike('a', 'killed by SIGABRT')).toBe(false);
    now += 1000;
    expect(breaker.strike('a', 'killed by SIGABRT')).toBe(true);
    const health = breaker.health('a');
    expect(health.state).toBe('open');
    expect(health.state === 'open' && health.reason).toContain('3 sandbox worker crashes within 60 s, the last: killed by SIGABRT');
    expect(breaker.quarantined()).toEqual([{ installKey: 'a', until: new Date(now + 300_000).toISOString(), reason: expect.any(String) }]);
    expect(breaker.health('b')).toEqual({ state: 'healthy' });
  });

  it('forgets strikes outside the window', () => {
    let now = 0;
    const breaker = createCircuitBreaker(options, () => now);
    breaker.strike('a', 'x');
    breaker.strike('a', 'x');
    now += 60_001;
    expect(breaker.health('a')).toEqual({ state: 'healthy' });
    expect(breaker.strike('a', 'x')).toBe(false);
  });

  it('after the cool-down the install is on probation: suspect, then healthy after a clean window', () => {
    let now = 0;
    const breaker = createCircuitBreaker(options, () => now);
    for (let i = 0; i < 3; i++) breaker.strike('a', 'x');
    now += 300_001;
    expect(breaker.health('a').state).toBe('suspect');
    expect(breaker.quarantined()).toEqual([]);
    now += 60_000;
    expect(breaker.health('a')).toEqual({ state: 'healthy' });
  });
});

describe('circuit breaker: unattributed crashes', () => {
  it('watching an install makes it run alone for a window without counting towards quarantine', () => {
    let now = 0;
    const breaker = createCircuitBreaker({ strikes: 3, windowMs: 60_000, cooldownMs: 300_000 }, () => now);
    for (let i = 0; i < 5; i++) breaker.watch('a');
    expect(breaker.health('a')).toEqual({ state: 'suspect', strikes: 0 });
    expect(breaker.quarantined()).toEqual([]);
    now += 60_001;
    expect(breaker.health('a')).toEqual({ state: 'healthy' });
  });
});
