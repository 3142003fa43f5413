// Group commit for the inbox: envelopes arriving while a write is in flight share the next transaction,
// so each acknowledgement waits for durability without paying a transaction of its own.
import { LianjieError } from '../errors.ts';
import type { InboxEnvelope, Store } from '../store/types.ts';

export interface InboxWriter {
  /** Resolves with the row id once the envelope is durably stored. */
  write(envelope: InboxEnvelope): Promise<string>;
  /** Resolves once everything handed to `write` so far has been written (or failed). */
  flush(): Promise<void>;
}

interface Pending {
  envelope: InboxEnvelope;
  resolve(id: string): void;
  reject(error: unknown): void;
}

export interface InboxWriterOptions {
  /** Most envelopes per transaction. */
  maxBatch?: number;
  /**
   * How long a write may take before its caller is told it failed (default 3000 ms, inside WeCom's 5 s).
   * The write itself may still commit later; the redelivery that follows is then absorbed by deduplication.
   */
  deadlineMs?: number;
  /** Envelopes waiting beyond the batch in flight; past this a write fails at once (default 20,000). */
  maxQueued?: number;
  /** Called after each committed batch (to wake the decoder). */
  onCommitted?: (count: number) => void;
}

export function createInboxWriter(store: Store, options: InboxWriterOptions = {}): InboxWriter {
  const maxBatch = options.maxBatch ?? 512;
  const deadlineMs = options.deadlineMs ?? 3000;
  const maxQueued = options.maxQueued ?? 20_000;
  let queue: Pending[] = [];
  let writing: Promise<void> | undefined;

  const drain = async (): Promise<void> => {
    // Let the requests already read from the sockets join this batch before committing.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const ids = await store.appendInbox(batch.map((p) => p.envelope));
        batch.forEach((p, i) => p.resolve(ids[i]!));
        options.onCommitted?.(batch.length);
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    writing = undefined;
  };

  return {
    write(envelope) {
      if (queue.length >= maxQueued) {
        return Promise.reject(new LianjieError('store.unavailable', `${queue.length} callbacks are already waiting for the database`));
      }
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new LianjieError('store.unavailable', `the database did not confirm the write within ${deadlineMs} ms`));
        }, deadlineMs);
        const settle = <T>(then: (value: T) => void) => (value: T) => {
          clearTimeout(timer);
          then(value);
        };
        queue.push({ envelope, resolve: settle(resolve), reject: settle(reject) });
        writing ??= drain();
      });
    },
    async flush() {
      while (writing) await writing;
    },
  };
}
