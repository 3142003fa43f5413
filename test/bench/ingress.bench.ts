// Ingress throughput: signed, encrypted callbacks against a real host process, and a bare Hono route as the baseline,
// both driven by autocannon from this (separate) process over loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { signedCallback } from '../../core/src/wecom/simulator/callbacks.ts';
import { openStore } from '../../core/src/store/open.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const keys = { token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wx5823bf96d3bd56c7' };
const route = '/wecom/callback/acme/crm';

interface Figures { perSec: number; p50Ms: number; p99Ms: number; ok: number; errors: number; non2xx: number }

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: {
    seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' },
    database: { type: 'string' }, synchronous: { type: 'string', default: 'FULL' },
  } });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-bench-'));
  const database = values.database ?? `file:${path.join(dir, 'bench.db')}`;
  const requests = makeCallbacks(2000);
  console.log(`ingress bench: ${seconds}s per target, ${connections} connections, ${requests.length} distinct callbacks, database ${database.startsWith('file:') ? `SQLite (synchronous=${values.synchronous})` : 'PostgreSQL'}`);

  const baseline = await measure('bare Hono route', ['test/bench/bare-hono.ts'], requests, seconds, connections);

  const config = path.join(dir, 'lianjie.config.json');
  writeFileSync(config, JSON.stringify({
    database, host: '127.0.0.1', port: 0, logLevel: 'warn', sqlite: { synchronous: values.synchronous },
    tenants: [{ id: 'acme', corpId: keys.receiveId, apps: [{ id: 'crm', agentId: 218, token: keys.token, encodingAesKey: keys.encodingAesKey }] }],
  }));
  const ingress = await measure('lianjie ingress', ['core/src/cli/main.ts', 'serve', '--config', config], requests, seconds, connections);

  const store = openStore(database);
  const stored = (await store.listInbox('pending', 1_000_000)).length + (await store.listInbox('done', 1_000_000)).length;
  await store.close();
  if (!values.database) rmSync(dir, { recursive: true, force: true });

  const ratio = ingress.perSec / baseline.perSec;
  console.log(`inbox rows stored: ${stored} (acknowledged: ${ingress.ok})`);
  console.log(`ratio ingress/baseline: ${ratio.toFixed(3)}`);
  console.log(JSON.stringify({
    bench: 'ingress', acceptedPerSec: round(ingress.perSec), baselinePerSec: round(baseline.perSec), ratio: round(ratio, 3),
    p50Ms: ingress.p50Ms, p99Ms: ingress.p99Ms, baselineP50Ms: baseline.p50Ms, baselineP99Ms: baseline.p99Ms,
    acknowledged: ingress.ok, stored, errors: ingress.errors + ingress.non2xx, connections, seconds,
  }));
}

function makeCallbacks(count: number): autocannon.Request[] {
  return Array.from({ length: count }, (_, i) => {
    const message = `<xml><ToUserName><![CDATA[${keys.receiveId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
      `<CreateTime>${1700000000 + i}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event>` +
      `<ChangeType><![CDATA[add_external_contact]]></ChangeType><UserID><![CDATA[staff${i % 50}]]></UserID>` +
      `<ExternalUserID><![CDATA[wmBench${i}]]></ExternalUserID><State><![CDATA[store${i % 7}]]></State><WelcomeCode><![CDATA[W${i}]]></WelcomeCode></xml>`;
    const cb = signedCallback(keys, message, { agentId: 218 });
    return { method: 'POST', path: `${route}?${cb.query}`, body: cb.body, headers: { 'content-type': 'text/xml' } };
  });
}

async function measure(label: string, args: string[], requests: autocannon.Request[], seconds: number, connections: number): Promise<Figures> {
  const child = spawn(process.execPath, ['--no-node-snapshot', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await listeningPort(child);
    const url = `http://127.0.0.1:${port}`;
    await autocannon({ url, connections, duration: 2, requests }); // warm-up
    const result = await autocannon({ url, connections, duration: seconds, requests });
    const figures: Figures = {
      perSec: result['2xx'] / seconds, p50Ms: result.latency.p50, p99Ms: result.latency.p99,
      ok: result['2xx'], errors: result.errors + result.timeouts, non2xx: result.non2xx,
    };
    console.log(`${label.padEnd(16)} ${round(figures.perSec)} req/s  p50 ${figures.p50Ms} ms  p99 ${figures.p99Ms} ms  non-2xx ${figures.non2xx}  errors ${figures.errors}`);
    return figures;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/** Reads the port from the child's first line: `{"port":n}` (baseline) or `lianjie listening on http://…:n`. */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /"port":(\d+)|listening on http:\/\/[^:]+:(\d+)/.exec(seen);
      if (match) resolve(Number(match[1] ?? match[2]));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
  });
}

function round(value: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
