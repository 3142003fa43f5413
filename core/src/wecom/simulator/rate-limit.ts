// WeCom's per-enterprise, per-API frequency limits (doc 90312, REFERENCE.md §4.2): 10,000/min and 150,000/hour, then 45009.
//
// The windows are fixed: one opens with the first call and lasts 60 s (or 60 min). Once a call goes past the limit every
// call fails until the window closes; "a per-minute limit blocks for 60 s, per-hour for 60 min". Blocked calls still count,
// which changes nothing since the window is already over its limit.

export interface RateLimitOptions {
  perMinute?: number;
  perHour?: number;
}

interface Window {
  start: number;
  count: number;
}

export interface RateLimiter {
  /** Counts one call of `path` by `scope` (a corp id, or a suite id for suite APIs); false means answer 45009. */
  hit(scope: string, path: string): boolean;
  /** Calls counted in the current minute window, for tests. */
  count(scope: string, path: string): number;
}

export function createRateLimiter(clock: () => number, options: RateLimitOptions = {}): RateLimiter {
  const limits = [
    { span: 60_000, max: options.perMinute ?? 10_000, windows: new Map<string, Window>() },
    { span: 3_600_000, max: options.perHour ?? 150_000, windows: new Map<string, Window>() },
  ];
  return {
    hit(scope, path) {
      const key = `${scope}|${path}`;
      const now = clock();
      let allowed = true;
      for (const limit of limits) {
        let window = limit.windows.get(key);
        if (!window || now >= window.start + limit.span) {
          window = { start: now, count: 0 };
          limit.windows.set(key, window);
        }
        window.count++;
        if (window.count > limit.max) allowed = false;
      }
      return allowed;
    },
    count(scope, path) {
      const window = limits[0]!.windows.get(`${scope}|${path}`);
      return window && clock() < window.start + 60_000 ? window.count : 0;
    },
  };
}
