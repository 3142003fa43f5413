// How much of the event loop the decoder may take: whatever the ingress leaves idle, never less than a floor.
// The acknowledgement is what WeCom times; a burst waits in the durable inbox, not in WeCom's retries.
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface Pacer {
  /** Call after each batch with the milliseconds it took; returns how long to pause before the next one. */
  pauseAfter(spentMs: number): number;
}

export interface PacerOptions {
  /** The share of the loop the decoder always gets, however busy the ingress is. */
  floorShare?: number;
  /** The share kept free for the ingress even when it is quiet, so a new burst is served at once. */
  headroom?: number;
  maxPauseMs?: number;
}

export function createIdlePacer(options: PacerOptions = {}): Pacer {
  const floor = options.floorShare ?? 0.05;
  const headroom = options.headroom ?? 0.1;
  const maxPause = options.maxPauseMs ?? 1000;
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  return {
    pauseAfter(spentMs) {
      const now = performance.eventLoopUtilization();
      const window = performance.eventLoopUtilization(now, last);
      last = now;
      const interval = window.idle + window.active;
      if (interval <= 0) return 0;
      const othersShare = Math.max(0, window.active - spentMs) / interval;
      const allowed = Math.max(floor, Math.min(1, 1 - othersShare - headroom));
      return Math.min(maxPause, spentMs * (1 / allowed - 1));
    },
  };
}
