// The http capability against a real loopback HTTP server: allow-list, headers, redirects, time and size limits.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../../../test/support/log-capture.ts';
import { createHttpCapability } from './http.ts';
import { createCapabilityRegistry } from './registry.ts';
import type { CallScope } from './types.ts';
import type { EffectLedger, RecordedEffect } from '../store/types.ts';

const twoMb = 2 * 1024 * 1024;

interface Seen {
  redirectTargetHits: number;
  /** Resolves when /big's connection closes. A client that read to the end would keep it alive for reuse. */
  bigClosed?: Promise<void>;
}

function route(seen: Seen) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://loopback');
    if (url.pathname === '/echo') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.setHeader('X-Reply', 'Yes');
        res.setHeader('Set-Cookie', ['a=1', 'b=2']);
        res.end(JSON.stringify({ method: req.method, headers: req.headers, body }));
      });
    } else if (url.pathname === '/redirect') {
      res.writeHead(302, { location: '/target' }).end('moved');
    } else if (url.pathname === '/target') {
      seen.redirectTargetHits++;
      res.end('followed');
    } else if (url.pathname === '/slow') {
      setTimeout(() => res.end('late'), 2000).unref();
    } else if (url.pathname === '/trickle') {
      res.writeHead(200);
      res.write('a');
      setTimeout(() => res.end('b'), 2000).unref();
    } else if (url.pathname === '/big') {
      // 2 MB streamed in 64 KB chunks without a content-length, honouring backpressure.
      const socket = req.socket;
      seen.bigClosed = new Promise((resolve) => socket.once('close', () => resolve()));
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const pump = () => {
        while (sent < twoMb && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
    } else if (url.pathname === '/declared-big') {
      res.writeHead(200, { 'content-length': String(twoMb) });
      res.write('x');
    } else if (url.pathname === '/utf8') {
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end('你好 😀');
    } else {
      res.writeHead(404).end('no');
    }
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('http capability', () => {
  const seen: Seen = { redirectTargetHits: 0 };
  const server = createServer(route(seen));
  let port = 0;
  let base = '';
  let scope: CallScope;
  const log = captureLogger();
  const registry = createCapabilityRegistry([createHttpCapability({ maxResponseBytes: 1_048_576, defaultTimeoutMs: 1000 })], { logger: log.logger });
  const fetch = (args: unknown, s: CallScope = scope) => registry.call(s, ['http'], 'http', 'fetch', args);

  beforeAll(async () => {
    port = await listen(server);
    base = `http://127.0.0.1:${port}`;
    scope = { tenantId: 't', installId: 'i', pluginId: 'acme.x', pluginVersion: '1.0.0', httpHosts: [`127.0.0.1:${port}`] };
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetches from a listed host:port, sending method, headers and body, answering status, lower-case headers and text', async () => {
    const result = await fetch({ url: `${base}/echo?q=1`, method: 'POST', headers: { 'X-Custom': 'one', 'Content-Type': 'application/json' }, body: '{"a":1}' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const output = result.output as { status: number; headers: Record<string, string>; body: string };
    expect(output.status).toBe(200);
    expect(output.headers).toMatchObject({ 'x-reply': 'Yes', 'set-cookie': 'a=1, b=2' });
    for (const [name, value] of Object.entries(output.headers)) {
      expect(name).toBe(name.toLowerCase());
      expect(typeof value).toBe('string');
    }
    const echoed = JSON.parse(output.body) as { method: string; headers: Record<string, string>; body: string };
    expect(echoed).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { 'x-custom': 'one', 'content-type': 'application/json' } });
  });

  it('strips host, content-length, connection and transfer-encoding from the request', async () => {
    const result = await fetch({
      url: `${base}/echo`, method: 'POST', body: 'hello',
      headers: { Host: 'evil.example', 'Content-Length': '1', Connection: 'upgrade', 'Transfer-Encoding': 'chunked', 'Keep-Alive': '1' },
    });
    expect(result.ok).toBe(true);
    const echoed = JSON.parse((result as { output: { body: string } }).output.body) as { headers: Record<string, string>; body: string };
    expect(echoed.body).toBe('hello');
    expect(echoed.headers.host).toBe(`127.0.0.1:${port}`);
    expect(echoed.headers['content-length']).toBe('5');
    expect(echoed.headers['transfer-encoding']).toBeUndefined();
    expect(echoed.headers['keep-alive']).toBeUndefined();
  });

  it('decodes the body as UTF-8 and answers HEAD with an empty body', async () => {
    expect(await fetch({ url: `${base}/utf8` })).toMatchObject({ ok: true, output: { status: 200, body: '你好 😀' } });
    expect(await fetch({ url: `${base}/utf8`, method: 'HEAD' })).toMatchObject({ ok: true, output: { status: 200, body: '' } });
  });

  it('refuses a host that is not listed, naming it, before any request', async () => {
    const other = await fetch({ url: `http://localhost:${port}/echo` });
    expect(other).toEqual({ ok: false, failure: { code: 'http.host_not_allowed', message: expect.stringContaining(`"localhost:${port}"`), retryable: false } });
    // A listed host without a port allows its default ports only.
    const portless = await fetch({ url: `${base}/echo` }, { ...scope, httpHosts: ['127.0.0.1'] });
    expect(portless).toMatchObject({ ok: false, failure: { code: 'http.host_not_allowed' } });
  });

  it('returns a redirect as it is instead of following it', async () => {
    const result = await fetch({ url: `${base}/redirect` });
    expect(result).toMatchObject({ ok: true, output: { status: 302, body: 'moved', headers: { location: '/target' } } });
    expect(seen.redirectTargetHits).toBe(0);
  });

  it('times out waiting for headers and while the body trickles', async () => {
    const started = Date.now();
    expect(await fetch({ url: `${base}/slow`, timeoutMs: 150 })).toEqual({
      ok: false, failure: { code: 'http.timeout', message: expect.stringContaining('150 ms'), retryable: true },
    });
    expect(await fetch({ url: `${base}/trickle`, timeoutMs: 150 })).toMatchObject({ ok: false, failure: { code: 'http.timeout' } });
    // The host's default (1 s here) applies when the call names no timeout.
    expect(await fetch({ url: `${base}/slow` })).toMatchObject({ ok: false, failure: { code: 'http.timeout', message: expect.stringContaining('1000 ms') } });
    expect(Date.now() - started).toBeLessThan(1900);
  });

  it('stops a fetch when the invocation that asked for it ends', async () => {
    const ended = new AbortController();
    const started = performance.now();
    const pending = fetch({ url: `${base}/slow`, timeoutMs: 10_000 }, { ...scope, signal: ended.signal });
    setTimeout(() => ended.abort(), 100);
    expect(await pending).toMatchObject({ ok: false, failure: { code: 'http.failed' } });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('stops reading a response past the size cap and drops the connection', async () => {
    const result = await fetch({ url: `${base}/big` });
    expect(result).toEqual({ ok: false, failure: { code: 'http.response_too_large', message: expect.stringContaining('1048576'), retryable: false } });
    // Kernel buffers on loopback may take all 2 MB from the server, but the client dropped the connection.
    const closedSoon = await Promise.race([seen.bigClosed!.then(() => true), new Promise((r) => setTimeout(() => r(false), 1000))]);
    expect(closedSoon).toBe(true);
    expect(await fetch({ url: `${base}/declared-big` })).toMatchObject({ ok: false, failure: { code: 'http.response_too_large' } });
  });

  it('fails a refused connection as http.failed with a short reason', async () => {
    const closed = createServer();
    const closedPort = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const result = await fetch({ url: `http://127.0.0.1:${closedPort}/` }, { ...scope, httpHosts: [`127.0.0.1:${closedPort}`] });
    expect(result).toEqual({ ok: false, failure: { code: 'http.failed', message: `GET http://127.0.0.1:${closedPort} failed: ECONNREFUSED`, retryable: true } });
  });

  it('refuses bad arguments: a body on GET, an invalid header, a non-http URL, credentials in the URL', async () => {
    expect(await fetch({ url: `${base}/echo`, body: 'x' })).toMatchObject({ ok: false, failure: { code: 'capability.args_invalid' } });
    expect(await fetch({ url: `${base}/echo`, headers: { 'bad header': 'x' } })).toMatchObject({ ok: false, failure: { code: 'capability.args_invalid' } });
    expect(await fetch({ url: 'ftp://127.0.0.1/' })).toMatchObject({ ok: false, failure: { code: 'capability.args_invalid', details: [{ pointer: '/url' }] } });
    expect(await fetch({ url: `http://user:pw@127.0.0.1:${port}/echo` })).toMatchObject({ ok: false, failure: { code: 'capability.args_invalid' } });
  });

  it('is denied without the http grant', async () => {
    expect(await registry.call(scope, [], 'http', 'fetch', { url: `${base}/echo` })).toMatchObject({
      ok: false, failure: { code: 'capability.denied', message: expect.stringContaining('"http" permission') },
    });
  });
});

describe('http effects inside a run', () => {
  let hits = 0;
  const statuses: number[] = [];
  const keys: (string | undefined)[] = [];
  const server = createServer((request, response) => {
    hits += 1;
    keys.push(request.headers['idempotency-key'] as string | undefined);
    response.statusCode = statuses.shift() ?? 200;
    response.end(`hit ${hits}`);
  });
  const rows = new Map<string, RecordedEffect>();
  const effects: EffectLedger = {
    async find(key) {
      return rows.get(key);
    },
    async record(effect) {
      const recorded = !rows.has(effect.key);
      if (recorded) rows.set(effect.key, { ...effect, recordedAt: new Date().toISOString() });
      return { recorded, effect: rows.get(effect.key)! };
    },
  };
  const registry = createCapabilityRegistry([createHttpCapability({ effects })], { logger: captureLogger().logger });
  let url = '';
  let hosts: string[] = [];
  // A fresh scope per invocation, as the runner makes one; the same idempotency key on every attempt of the step.
  const attempt = (args: Record<string, unknown>, idempotencyKey = 'run_1:send') =>
    registry.call({ tenantId: 't', installId: 'i', pluginId: 'acme.x', pluginVersion: '1.0.0', httpHosts: hosts, runId: 'run_1', idempotencyKey }, ['http'], 'http', 'fetch', { url, ...args });

  beforeAll(async () => {
    const port = await listen(server);
    url = `http://127.0.0.1:${port}/effect`;
    hosts = [`127.0.0.1:${port}`];
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('sends a POST once under its key; a repeat of the step gets the recorded response', async () => {
    const first = await attempt({ method: 'POST', body: '{}' }, 'run_1:once');
    const second = await attempt({ method: 'POST', body: '{}' }, 'run_1:once');
    expect(second).toEqual(first);
    expect(keys.at(-1)).toBe('run_1:once#http.fetch#1');
    expect(hits).toBe(1);
    expect(rows.get('run_1:once#http.fetch#1')?.effect).toBe('http.fetch');
  });

  it('sends GET every time and records nothing', async () => {
    const before = hits;
    await attempt({ method: 'GET' }, 'run_1:read');
    await attempt({ method: 'GET' }, 'run_1:read');
    expect(hits - before).toBe(2);
    expect([...rows.keys()].some((k) => k.startsWith('run_1:read'))).toBe(false);
  });

  it('does not record a 503: the retry sends again, with the same key', async () => {
    const before = hits;
    statuses.push(503);
    const first = await attempt({ method: 'POST' }, 'run_1:busy');
    const second = await attempt({ method: 'POST' }, 'run_1:busy');
    expect([first.ok && (first.output as { status: number }).status, second.ok && (second.output as { status: number }).status]).toEqual([503, 200]);
    expect(hits - before).toBe(2);
    expect(keys.slice(-2)).toEqual(['run_1:busy#http.fetch#1', 'run_1:busy#http.fetch#1']);
  });
});
