// The background loop that decodes the inbox after acknowledgement: woken by each commit, polling as a fallback
// (for rows written by other host processes and rows left over from before a restart). It shares the event loop
// with the ingress and paces itself to the time the ingress leaves idle (see pacer.ts).
import type { HostMetrics } from '../ops/metrics.ts';
import type { Logger } from '../ops/logger.ts';
import type { InboxRow, DecodeOutcome, Store } from '../store/types.ts';
import { createIdlePacer, type Pacer } from './pacer.ts';

export interface Decoder {
  start(): void;
  /** Asks for a pass soon (after a commit). */
  wake(): void;
  /** Runs passes, unpaced, until the inbox has nothing pending. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export interface DecoderOptions {
  store: Store;
  decodeRow: (row: InboxRow) => DecodeOutcome;
  metrics: HostMetrics;
  logger: Logger;
  /** Rows per batch: small enough that one batch never holds the loop for long. */
  batchSize?: number;
  pollMs?: number;
  pacer?: Pacer;
  now?: () => number;
  /** Called after a pass stored new events (the router routes them). */
  onEvents?(): void;
}

export function createDecoder(options: DecoderOptions): Decoder {
  const batchSize = options.batchSize ?? 50;
  const pollMs = options.pollMs ?? 500;
  const pacer = options.pacer ?? createIdlePacer();
  const now = options.now ?? Date.now;
  let running = false;
  let loop: Promise<void> | undefined;
  // The pending sleep: stop() always ends it, wake() only when it is a wait for new work (not a pacing pause).
  let endSleep: (() => void) | undefined;
  let sleepIsIdle = false;
  // A commit that lands while a pass is running must not wait for the next poll.
  let wakeRequested = false;

  const pass = async (): Promise<number> => {
    const result = await options.store.decodePending(batchSize, options.decodeRow);
    if (result.processed === 0) return 0;
    const decodedAt = now();
    for (const at of result.receivedAt) options.metrics.decodeLag.observe(Math.max(0, decodedAt - at) / 1000);
    options.metrics.eventsDecoded.inc({ outcome: 'event' }, result.inserted);
    if (result.inserted > 0) options.onEvents?.();
    options.metrics.eventsDecoded.inc({ outcome: 'duplicate' }, result.duplicates);
    options.metrics.eventsDecoded.inc({ outcome: 'dead' }, result.dead);
    if (result.dead > 0) options.logger.warn({ dead: result.dead }, 'inbox rows parked as dead letters');
    return result.processed;
  };

  const sleep = (ms: number, idle: boolean) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    sleepIsIdle = idle;
    endSleep = () => {
      clearTimeout(timer);
      resolve();
    };
  }).finally(() => {
    endSleep = undefined;
  });

  const run = async (): Promise<void> => {
    while (running) {
      const started = performance.now();
      let processed = 0;
      try {
        processed = await pass();
      } catch (error) {
        options.logger.error({ err: error }, 'decode pass failed; retrying after the poll interval');
      }
      if (!running) break;
      if (processed < batchSize) {
        if (wakeRequested) {
          wakeRequested = false;
          continue;
        }
        await sleep(pollMs, true); // caught up: wait for the next commit
      } else {
        await sleep(pacer.pauseAfter(performance.now() - started), false);
      }
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake() {
      if (endSleep && sleepIsIdle) endSleep();
      else wakeRequested = true;
    },
    async drain() {
      while ((await pass()) > 0) { /* keep going until nothing is pending */ }
    },
    async stop() {
      running = false;
      endSleep?.();
      await loop;
    },
  };
}
