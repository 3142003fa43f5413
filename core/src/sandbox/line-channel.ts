// Newline-delimited JSON over a socket, with the writes of one tick sent together. A message may carry a
// payload of raw JSON text after a tab (JSON.stringify never writes a raw tab), passed on as text: a plugin's
// input and output cross without being escaped into a string and parsed back at every hop.
import type { Socket } from 'node:net';

export interface LineChannel {
  /** Sends one message, encoded as single-line JSON, with an optional payload of single-line JSON text. */
  send(line: string, payload?: string): void;
  close(): void;
}

export function openLineChannel(socket: Socket, onMessage: (message: unknown, payload: string | undefined) => void): LineChannel {
  let partial = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    let start = 0;
    let end = chunk.indexOf('\n');
    while (end !== -1) {
      const line = partial + chunk.slice(start, end);
      partial = '';
      if (line) {
        const tab = line.indexOf('\t');
        if (tab === -1) onMessage(JSON.parse(line), undefined);
        else onMessage(JSON.parse(line.slice(0, tab)), line.slice(tab + 1));
      }
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
    send(line, payload) {
      queued.push(payload === undefined ? line : `${line}\t${payload}`);
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
