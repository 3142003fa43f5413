// Which invocation a worker is running guest code for, kept in a small file the host reads when the worker dies.
//
// A worker that aborts (a memory bomb) or hangs in a builtin cannot say why, and the host must not blame
// every install that happened to have work there. Before each call into a guest the worker writes the
// invocation's id at offset 0 of this file (one positional write, about a microsecond); after the death the
// host reads it: the culprit, if it was still in flight.
import { openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const width = 32;

export function tracePath(): string {
  return path.join(tmpdir(), `lianjie-sandbox-${process.pid}-${Math.random().toString(36).slice(2)}.trace`);
}

/** The worker's side: marks the invocation whose guest code runs next. */
export function openTrace(file: string | undefined): (invocationId: string) => void {
  if (!file) return () => {};
  const fd = openSync(file, 'w');
  const buffer = Buffer.alloc(width);
  return (invocationId) => {
    buffer.fill(32);
    buffer.write(invocationId, 0, width, 'latin1');
    writeSync(fd, buffer, 0, width, 0);
  };
}

/** The host's side: the last invocation the worker marked (the file is removed once the worker is gone). */
export function readTrace(file: string, remove: boolean): string | undefined {
  try {
    const id = readFileSync(file, 'latin1').trim();
    return id || undefined;
  } catch {
    return undefined;
  } finally {
    if (remove) rmSync(file, { force: true });
  }
}
