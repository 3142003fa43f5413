// Inbox appends for a SQLite file run on their own thread (append-worker.ts): better-sqlite3 is synchronous, and
// with synchronous=FULL each group commit waits for an fsync that would otherwise stall every request in flight.
import { Worker } from 'node:worker_threads';
import type { AppendReply, AppendRequest } from './append-worker.ts';
import type { ConnectionOptions } from './connection.ts';

export interface Appender {
  append(rows: unknown[][]): Promise<void>;
  /** Set once the thread has died: this appender will never append again and must be replaced. */
  failure(): Error | undefined;
  close(): Promise<void>;
}

export function createThreadAppender(connection: ConnectionOptions, columns: readonly string[]): Appender {
  const worker = new Worker(new URL('./append-worker.ts', import.meta.url), { workerData: { connection, columns } });
  const waiting = new Map<number, { resolve(): void; reject(error: Error): void }>();
  let next = 0;
  let failure: Error | undefined;
  let closing = false;

  const failAll = (error: Error) => {
    failure = error;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  // Referenced only while an append is in flight: an idle appender must not keep the process alive.
  worker.unref();
  worker.on('message', (reply: AppendReply) => {
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (waiting.size === 0 && !closing) worker.unref();
    if (reply.error) pending?.reject(new Error(`inbox append failed: ${reply.error}`));
    else pending?.resolve();
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', (code) => failAll(new Error(`inbox append thread exited (${code})`)));

  const send = (request: Omit<AppendRequest, 'id'>) => new Promise<void>((resolve, reject) => {
    if (failure) return reject(failure);
    const id = next++;
    if (waiting.size === 0) worker.ref();
    waiting.set(id, { resolve, reject });
    worker.postMessage({ ...request, id });
  });

  return {
    append: (rows) => send({ rows }),
    failure: () => failure,
    async close() {
      if (failure) return;
      closing = true;
      worker.ref();
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      await send({ close: true });
      await exited;
    },
  };
}
