// Newline-delimited JSON over a socket, with the writes of one tick sent together.
import type { Socket } from 'node:net';

export interface LineChannel {
  /** Sends one message, already encoded as a single line of JSON (no newline inside). */
  send(line: string): void;
  close(): void;
}

export function openLineChannel(socket: Socket, onMessage: (message: unknown) => void): LineChannel {
  let partial = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    let start = 0;
    let end = chunk.indexOf('\n');
    while (end !== -1) {
      const line = partial + chunk.slice(start, end);
      partial = '';
      if (line) onMessage(JSON.parse(line));
      start = end + 1;
      end = chunk.indexOf('\n', start);
    }
    partial += chunk.slice(start);
  });
  // Coalescing per tick turns many small messages into one write: IPC cost is per syscall.
  let queued: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const lines = queued;
    queued = [];
    if (!socket.destroyed && socket.writable) socket.write(lines.join('\n') + '\n');
  };
  return {
    send(line) {
      queued.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    close() {
      if (queued.length) flush();
      socket.end();
    },
  };
}
