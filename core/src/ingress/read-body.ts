// Reads a request body as text within a byte limit. A declared Content-Length is checked before reading and
// lets @hono/node-server take its fast path; Hono's bodyLimit middleware forces a web stream on every request
// (measured: about a third of the ack path's CPU).
import { readCappedStream } from '../read-capped-stream.ts';
import type { Context } from 'hono';
import { LianjieError } from '../errors.ts';

export async function readBodyText(c: Context, limit: number): Promise<string> {
  return (await readBody(c, limit, () => c.req.text())).toString();
}

/** The body's bytes exactly as sent (what a signature covers), within `limit`. */
export async function readBodyBytes(c: Context, limit: number): Promise<Buffer> {
  return readBody(c, limit, async () => Buffer.from(await c.req.arrayBuffer()));
}

async function readBody<T extends { toString(): string }>(c: Context, limit: number, whole: () => Promise<T>): Promise<T | Buffer> {
  // Under @hono/node-server the Node request is at hand; building a Headers object just to read one costs more.
  const incoming = (c.env as { incoming?: { headers: Record<string, string | string[] | undefined> } } | undefined)?.incoming;
  const header = incoming ? incoming.headers['content-length'] : c.req.header('content-length');
  const declared = Array.isArray(header) ? header[0] : header;
  if (declared !== undefined) {
    if (!/^\d+$/.test(declared)) throw new LianjieError('request.invalid', 'Content-Length is not a number');
    if (Number(declared) > limit) throw tooLarge(limit);
    return whole();
  }
  const stream = c.req.raw.body;
  if (!stream) return Buffer.alloc(0);
  const bytes = await readCappedStream(stream, limit);
  if (bytes === null) throw tooLarge(limit);
  return bytes;
}

function tooLarge(limit: number): LianjieError {
  return new LianjieError('request.too_large', `body exceeds ${limit} bytes`);
}
