// The inbox appender's thread: owns its own connection, so the commit's fsync blocks this thread, not the host's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection, prepareAppend, type ConnectionOptions } from './connection.ts';

export type AppendRequest = { id: number; rows: unknown[][] } | { id: number; close: true };
export type AppendReply = { id: number; error?: string };

const { connection, columns } = workerData as { connection: ConnectionOptions; columns: string[] };
const sqlite = openConnection(connection);
const append = prepareAppend(sqlite, columns);

parentPort!.on('message', (request: AppendRequest) => {
  if ('close' in request) {
    sqlite.close();
    parentPort!.postMessage({ id: request.id } satisfies AppendReply);
    parentPort!.close();
    return;
  }
  try {
    append(request.rows);
    parentPort!.postMessage({ id: request.id } satisfies AppendReply);
  } catch (error) {
    parentPort!.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies AppendReply);
  }
});
