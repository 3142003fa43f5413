// Which installs crashed sandbox workers: a suspect runs alone, a repeat offender is refused for a while.

export interface CircuitBreakerOptions {
  /** Crashes within `windowMs` that open the circuit. */
  strikes: number;
  windowMs: number;
  /** How long an open circuit refuses the install. */
  cooldownMs: number;
}

export type InstallHealth =
  | { state: 'healthy' }
  | { state: 'suspect'; strikes: number }
  | { state: 'open'; until: number; reason: string };

export interface QuarantineEntry {
  installKey: string;
  until: string;
  reason: string;
}

export function createCircuitBreaker(options: CircuitBreakerOptions, now: () => number = Date.now) {
  const strikes = new Map<string, number[]>();
  const open = new Map<string, { until: number; reason: string }>();
  /** Installs that were in flight when a worker died of something no one install can be blamed for. */
  const watched = new Map<string, number>();

  function recent(key: string): number[] {
    const cutoff = now() - options.windowMs;
    const list = (strikes.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) strikes.set(key, list);
    else strikes.delete(key);
    return list;
  }

  return {
    health(key: string): InstallHealth {
      const circuit = open.get(key);
      if (circuit) {
        if (circuit.until > now()) return { state: 'open', ...circuit };
        open.delete(key); // cool-down over: half-open, it runs alone until it behaves
      }
      const count = recent(key).length;
      if (count) return { state: 'suspect', strikes: count };
      const until = watched.get(key);
      if (until !== undefined && until > now()) return { state: 'suspect', strikes: 0 };
      if (until !== undefined) watched.delete(key);
      return { state: 'healthy' };
    },

    /** Records that a worker died while running this install; returns true when that opened its circuit. */
    strike(key: string, why: string): boolean {
      const list = recent(key);
      list.push(now());
      strikes.set(key, list);
      if (list.length < options.strikes) return false;
      const reason = `${list.length} sandbox worker crashes within ${Math.round(options.windowMs / 1000)} s, the last: ${why}`;
      const until = now() + options.cooldownMs;
      open.set(key, { until, reason });
      // After the cool-down the install is on probation: one strike, so it runs alone for a window.
      strikes.set(key, [until]);
      return true;
    },

    /** Runs the install alone for a window without counting a strike: it may have caused a crash or merely been there. */
    watch(key: string): void {
      watched.set(key, now() + options.windowMs);
    },

    /**
     * Pins a worker's death on the install whose guest code it was running (`culprit`), or on the only install
     * with work there; when neither is known, every install that was there is watched and none is struck, so a
     * repeat is pinned exactly and tenants who were merely there are not punished. Answers the install whose
     * circuit this opened, if any.
     */
    blame(culprit: string | undefined, present: Set<string>, why: string): string | undefined {
      const key = culprit ?? (present.size === 1 ? [...present][0] : undefined);
      if (key === undefined) {
        for (const each of present) this.watch(each);
        return undefined;
      }
      return this.strike(key, why) ? key : undefined;
    },

    quarantined(): QuarantineEntry[] {
      const t = now();
      return [...open].filter(([, c]) => c.until > t).map(([installKey, c]) => ({ installKey, until: new Date(c.until).toISOString(), reason: c.reason }));
    },
  };
}
