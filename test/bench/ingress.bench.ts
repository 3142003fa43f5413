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
import { contactAddedXml } from '../../core/src/wecom/simulator/messages.ts';
import { openStore } from '../../core/src/store/open.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const keys = { token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wx5823bf96d3bd56c7' };
const route = '/wecom/callback/acme/crm';

interface Figures { perSec: number; p50Ms: number; p99Ms: number; ok: number; errors: number; non2xx: number }

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: {
    seconds: { type: 'string', default: '5' }, rounds: { type: 'string', default: '3' }, connections: { type: 'string', default: '50' },
    database: { type: 'string' }, synchronous: { type: 'string', default: 'FULL' },
  } });
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const connections = Number(values.connections);
  const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-bench-'));
  const database = values.database ?? `file:${path.join(dir, 'bench.db')}`;
  const requests = makeCallbacks(2000);
  console.log(`ingress bench: ${rounds} alternating rounds of ${seconds}s per target, ${connections} connections, ` +
    `${requests.length} distinct callbacks, database ${database.startsWith('file:') ? `SQLite (synchronous=${values.synchronous})` : 'PostgreSQL'}`);

  const config = path.join(dir, 'lianjie.config.json');
  writeFileSync(config, JSON.stringify({
    database, host: '127.0.0.1', port: 0, logLevel: 'warn', sqlite: { synchronous: values.synchronous },
    tenants: [{ id: 'acme', corpId: keys.receiveId, apps: [{ id: 'crm', agentId: 218, token: keys.token, encodingAesKey: keys.encodingAesKey }] }],
  }));
  // Both servers run side by side and the rounds alternate, so drift in the machine's speed hits both alike.
  const baselineServer = await startServer(['test/bench/bare-hono.ts']);
  const hostServer = await startServer(['core/src/cli/main.ts', 'serve', '--config', config]);
  const baselineRuns: Figures[] = [];
  const ingressRuns: Figures[] = [];
  const drains: { rows: number; seconds: number }[] = [];
  try {
    for (const url of [baselineServer.url, hostServer.url]) await autocannon({ url, connections, duration: 2, requests }); // warm-up
    await drained(hostServer.url);
    for (let n = 1; n <= rounds; n++) {
      baselineRuns.push(await measure(`bare Hono #${n}`, baselineServer.url, requests, seconds, connections));
      ingressRuns.push(await measure(`lianjie #${n}`, hostServer.url, requests, seconds, connections));
      // The host decodes its backlog after the load; the next baseline round must not share the CPU with that.
      const drain = await drained(hostServer.url);
      drains.push(drain);
      console.log(`  decoded the ${drain.rows} rows left after the round in ${drain.seconds.toFixed(1)} s (${round(drain.rows / Math.max(drain.seconds, 0.001))} rows/s)`);
    }
  } finally {
    await Promise.all([baselineServer.stop(), hostServer.stop()]);
  }

  const store = openStore(database);
  const stored = (await store.countInbox('pending')) + (await store.countInbox('done'));
  await store.close();
  const decodedPerSec = drains.reduce((sum, d) => sum + d.rows, 0) / drains.reduce((sum, d) => sum + d.seconds, 0);
  if (!values.database) rmSync(dir, { recursive: true, force: true });

  const baseline = median(baselineRuns);
  const ingress = median(ingressRuns);
  const acknowledged = ingressRuns.reduce((sum, r) => sum + r.ok, 0);
  const ratio = ingress.perSec / baseline.perSec;
  console.log(`median: lianjie ${round(ingress.perSec)} req/s (p99 ${ingress.p99Ms} ms), bare Hono ${round(baseline.perSec)} req/s (p99 ${baseline.p99Ms} ms)`);
  console.log(`inbox rows stored: ${stored} (acknowledged in measured rounds: ${acknowledged}, plus warm-up); decoding after load: ${round(decodedPerSec)} rows/s`);
  console.log(`ratio ingress/baseline: ${ratio.toFixed(3)}`);
  console.log(JSON.stringify({
    bench: 'ingress', acceptedPerSec: round(ingress.perSec), baselinePerSec: round(baseline.perSec), ratio: round(ratio, 3),
    p50Ms: ingress.p50Ms, p99Ms: ingress.p99Ms, baselineP50Ms: baseline.p50Ms, baselineP99Ms: baseline.p99Ms,
    decodedPerSecAfterLoad: round(decodedPerSec), rounds, seconds, connections, stored, errors: ingressRuns.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
  }));
}

/** Waits until the host's inbox is empty; returns how many rows were pending at first and how long it took. */
async function drained(url: string): Promise<{ rows: number; seconds: number }> {
  const started = performance.now();
  let first: number | undefined;
  for (;;) {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const depth = Number(/^lianjie_inbox_depth (\d+)$/m.exec(metrics)?.[1] ?? NaN);
    first ??= depth;
    if (depth === 0) return { rows: first, seconds: (performance.now() - started) / 1000 };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}


/** The run with the median rate. */
function median(runs: Figures[]): Figures {
  return [...runs].sort((a, b) => a.perSec - b.perSec)[Math.floor(runs.length / 2)]!;
}

function makeCallbacks(count: number): autocannon.Request[] {
  return Array.from({ length: count }, (_, i) => {
    const message = contactAddedXml({
      corpId: keys.receiveId, userId: `staff${i % 50}`, externalUserId: `wmBench${i}`, createTime: 1700000000 + i,
      state: `store${i % 7}`, welcomeCode: `W${i}`,
    });
    const cb = signedCallback(keys, message, { agentId: 218 });
    return { method: 'POST', path: `${route}?${cb.query}`, body: cb.body, headers: { 'content-type': 'text/xml' } };
  });
}

async function measure(label: string, url: string, requests: autocannon.Request[], seconds: number, connections: number): Promise<Figures> {
  const result = await autocannon({ url, connections, duration: seconds, requests });
  const figures: Figures = {
    perSec: result['2xx'] / seconds, p50Ms: result.latency.p50, p99Ms: result.latency.p99,
    ok: result['2xx'], errors: result.errors + result.timeouts, non2xx: result.non2xx,
  };
  console.log(`${label.padEnd(14)} ${round(figures.perSec)} req/s  p50 ${figures.p50Ms} ms  p99 ${figures.p99Ms} ms  non-2xx ${figures.non2xx}  errors ${figures.errors}`);
  return figures;
}

/** Starts a server process from this repository and waits for the port it announces. */
async function startServer(args: string[]): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--no-node-snapshot', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await listeningPort(child);
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
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
