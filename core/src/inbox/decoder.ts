// The background loop that decodes the inbox after acknowledgement: woken by each commit, polling as a fallback
// (for rows written by other host processes and rows left over from before a restart). It shares the event loop
// with the ingress, so while callbacks are arriving it decodes small batches with pauses between them: the
// acknowledgement is what WeCom times, and a burst is meant to wait in the durable inbox, not in WeCom's retries.
import type { HostMetrics } from '../ops/metrics.ts';
import type { Logger } from '../ops/logger.ts';
import type { InboxRow, DecodeOutcome, Store } from '../store/types.ts';

export interface Decoder {
  start(): void;
  /** Asks for a pass soon (after a commit). */
  wake(): void;
  /** Runs passes until the inbox has nothing pending. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

export interface DecoderOptions {
  store: Store;
  decodeRow: (row: InboxRow) => DecodeOutcome;
  metrics: HostMetrics;
  logger: Logger;
  batchSize?: number;
  pollMs?: number;
  /** True while callbacks are arriving; the decoder then takes `busyBatchSize` rows per `busyPauseMs`. */
  ingressBusy?: () => boolean;
  busyBatchSize?: number;
  busyPauseMs?: number;
  now?: () => number;
}

export function createDecoder(options: DecoderOptions): Decoder {
  const batchSize = options.batchSize ?? 200;
  const pollMs = options.pollMs ?? 500;
  const busy = options.ingressBusy ?? (() => false);
  const busyBatchSize = options.busyBatchSize ?? 20;
  const busyPauseMs = options.busyPauseMs ?? 25;
  const now = options.now ?? Date.now;
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;

  const pass = async (limit = batchSize): Promise<number> => {
    const result = await options.store.decodePending(limit, options.decodeRow);
    if (result.processed === 0) return 0;
    const decodedAt = now();
    for (const at of result.receivedAt) options.metrics.decodeLag.observe(Math.max(0, decodedAt - at) / 1000);
    options.metrics.eventsDecoded.inc({ outcome: 'event' }, result.inserted);
    options.metrics.eventsDecoded.inc({ outcome: 'duplicate' }, result.duplicates);
    options.metrics.eventsDecoded.inc({ outcome: 'dead' }, result.dead);
    if (result.dead > 0) options.logger.warn({ dead: result.dead }, 'inbox rows parked as dead letters');
    return result.processed;
  };

  const run = async (): Promise<void> => {
    while (running) {
      const yielding = busy();
      const limit = yielding ? busyBatchSize : batchSize;
      let processed = 0;
      try {
        processed = await pass(limit);
      } catch (error) {
        options.logger.error({ err: error }, 'decode pass failed; retrying after the poll interval');
      }
      if (!running) break;
      if (processed >= limit && !yielding) continue;
      const pause = processed >= limit ? busyPauseMs : pollMs;
      await new Promise<void>((resolve) => {
        // A wake-up during a busy pause is ignored: the pause is the point.
        wakeUp = processed >= limit ? undefined : resolve;
        timer = setTimeout(resolve, pause);
      });
      clearTimeout(timer);
      wakeUp = undefined;
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake() {
      wakeUp?.();
    },
    async drain() {
      while ((await pass()) > 0) { /* keep going until nothing is pending */ }
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}
