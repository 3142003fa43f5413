// Newline-delimited JSON over a socket, with the writes of one tick sent together. A message may carry a
// payload of raw JSON text after a tab (JSON.stringify never writes a raw tab), passed on as text: a plugin's
// input and output cross without being escaped into a string and parsed back at every hop.
import type { Socket } from 'node:net';

export interface LineChannel {
  /** Sends one message, encoded as single-line JSON, with an optional payload of single-line JSON text. */
  send(line: string, payload?: string): void;
  close(): void;
}

/** The longest line accepted; past it the peer is broken and `onBroken` is called. */
const maxLineChars = 128 * 1024 * 1024;
/** A message waits at most this long for others to share its write, even while the sender stays busy. */
const maxDelayMs = 25;

export function openLineChannel(
  socket: Socket,
  onMessage: (message: unknown, payload: string | undefined) => void,
  onBroken: (why: string) => void = () => socket.destroy(),
): LineChannel {
  let partial = '';
  let broken = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    if (broken) return;
    let start = 0;
    let end = chunk.indexOf('\n');
    while (end !== -1) {
      const line = partial + chunk.slice(start, end);
      partial = '';
      if (line) {
        const tab = line.indexOf('\t');
        let message: unknown;
        try {
          message = JSON.parse(tab === -1 ? line : line.slice(0, tab));
        } catch {
          broken = true;
          return onBroken('the peer sent a line that is not JSON');
        }
        onMessage(message, tab === -1 ? undefined : line.slice(tab + 1));
      }
      start = end + 1;
      end = chunk.indexOf('\n', start);
    }
    partial += chunk.slice(start);
    if (partial.length > maxLineChars) {
      broken = true;
      onBroken('the peer sent a line longer than the limit');
    }
  });
  // Coalescing per tick turns many small messages into one write: IPC cost is per syscall.
  let queued: string[] = [];
  let scheduled = false;
  let oldest = 0;
  const flush = () => {
    scheduled = false;
    if (queued.length === 0) return;
    const lines = queued;
    queued = [];
    if (!socket.destroyed && socket.writable) socket.write(lines.join('\n') + '\n');
  };
  return {
    send(line, payload) {
      if (queued.length === 0) oldest = performance.now();
      queued.push(payload === undefined ? line : `${line}\t${payload}`);
      // A sender busy for long (a worker running one plugin after another) still gets its answers out.
      if (performance.now() - oldest > maxDelayMs) flush();
      else if (!scheduled) {
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
