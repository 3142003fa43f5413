// Sandbox cost: a warm invocation inside the worker against calling the handler directly, the host → worker →
// host round trip, throughput across the pool, cold starts, and the memory of 1,000 warm installs.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { createCapabilityRegistry } from '../../core/src/capabilities/registry.ts';
import { createLogCapability } from '../../core/src/capabilities/log.ts';
import { createLogger } from '../../core/src/ops/logger.ts';
import { parseManifest } from '../../core/src/plugins/manifest.ts';
import type { Install, LoadedPlugin } from '../../core/src/plugins/types.ts';
import { createPluginRunner } from '../../core/src/sandbox/runner.ts';
import { createWorkerRuntime } from '../../sdk/src/sandbox/worker-runtime.ts';

const handlerSource = `(input) => ({ id: input.id, items: input.items.map((item) => ({ sku: item.sku, qty: item.qty * 2 })), note: input.note })`;
/** A plugin of about `functions` × 70 bytes of code, shaped like a bundle: many small functions, few run. */
const pluginCode = (functions: number, salt = '') =>
  `${salt}var helpers = {\n` +
  Array.from({ length: functions }, (_, i) => `  h${i}: function (list) { return list.map(function (v) { return v + ${i}; }).filter(Boolean).length; },\n`).join('') +
  `};\nlianjie.register({ actions: { transform: ${handlerSource}, size: () => ({ n: Object.keys(helpers).length, first: helpers.h0([1, 2]) }) } });`;

/** About 1 KB of JSON in, about as much out. */
const input = {
  id: 'order-42',
  items: Array.from({ length: 12 }, (_, i) => ({ sku: `SKU-${1000 + i}`, qty: i + 1 })),
  note: 'x'.repeat(500),
};

const manifest = parseManifest({
  id: 'bench.transform', version: '1.0.0', engine: '^1', name: { en: 'bench' }, vendor: 'bench', permissions: [], triggers: [],
  actions: [
    { id: 'transform', input: { type: 'object' }, output: { type: 'object' } },
    { id: 'size', input: { type: 'object' }, output: { type: 'object' } },
  ],
});

function plugin(code: string): LoadedPlugin {
  return { manifest, bundle: { code, sha256: createHash('sha256').update(code).digest('hex') } };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { installs: { type: 'string', default: '1000' }, invocations: { type: 'string', default: '40000' } } });
  const installCount = Number(values.installs);
  const invocations = Number(values.invocations);
  const workers = availableParallelism();
  console.log(`sandbox bench: ${workers} workers, 1 KB JSON in and out, ${installCount} installs for the memory figure`);

  // 1. Inside the worker: the runtime a worker process runs, driven directly, against the handler in plain Node.
  const inIsolate = measureInWorker();
  console.log(`  warm invocation inside the worker: ${round(inIsolate.isolateUs)} µs vs ${round(inIsolate.directUs, 2)} µs direct → overhead ${round(inIsolate.overheadUs)} µs`);
  const cold = await measureColdStart();
  console.log(`  cold start of a new install: ${round(cold.cachedMs, 2)} ms with the code cache, ${round(cold.uncachedMs, 2)} ms without; ` +
    `${round(cold.burstMs, 2)} ms in a burst (no spare isolate ready)`);

  // 2. Through the pool: real worker processes, the runner's boundary checks included.
  const registry = createCapabilityRegistry([createLogCapability(createLogger('warn'))], { logger: createLogger('warn') });
  const runner = createPluginRunner({ size: workers, capabilities: registry });
  try {
    const small = plugin(pluginCode(5));
    const installs = Array.from({ length: workers * 4 }, (_, i): Install => ({ id: `i${i}`, tenantId: `tenant-${i}`, plugin: small, grants: [], config: {} }));
    for (const install of installs) await expectOk(runner.runAction(install, 'transform', input));
    const trips: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const started = process.hrtime.bigint();
      await expectOk(runner.runAction(installs[0]!, 'transform', input));
      trips.push(Number(process.hrtime.bigint() - started) / 1000);
    }
    const roundTripUs = median(trips);
    console.log(`  round trip host → worker → host, one at a time: median ${round(roundTripUs)} µs, p99 ${round(trips.sort((a, b) => a - b)[Math.floor(trips.length * 0.99)]!)} µs`);

    const inFlight = 256;
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next < invocations) {
        const install = installs[next++ % installs.length]!;
        await expectOk(runner.runAction(install, 'transform', input));
      }
    }));
    const invocationsPerSec = invocations / ((performance.now() - started) / 1000);
    console.log(`  throughput, ${inFlight} in flight over ${installs.length} installs: ${Math.round(invocationsPerSec)} invocations/s`);

    // 3. Memory: 1,000 warm installs of a 50 KB plugin.
    const big = plugin(pluginCode(fiftyKbFunctions));
    console.log(`  memory: warming ${installCount} installs of a ${Math.round(big.bundle.code.length / 1024)} KB plugin …`);
    const before = await runner.stats();
    for (let i = 0; i < installCount; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, installCount - i) }, (_, j) =>
        expectOk(runner.runAction({ id: `m${i + j}`, tenantId: `mem-${i + j}`, plugin: big, grants: [], config: {} }, 'size', {}))));
    }
    const after = await runner.stats();
    const rss1000Mb = after.reduce((sum, w) => sum + w.rssBytes, 0) / 2 ** 20;
    const isolates = after.reduce((sum, w) => sum + w.isolates, 0);
    const baseMb = before.reduce((sum, w) => sum + w.rssBytes, 0) / 2 ** 20;
    console.log(`  workers' RSS with ${isolates} isolates: ${round(rss1000Mb)} MB (${round(baseMb)} MB before; ${round((rss1000Mb - baseMb) * 1024 / installCount)} KB per install)`);

    const figures = {
      bench: 'sandbox',
      inIsolateOverheadUs: round(inIsolate.overheadUs, 2),
      directUs: round(inIsolate.directUs, 2),
      roundTripUs: round(roundTripUs),
      invocationsPerSec: Math.round(invocationsPerSec),
      coldStartMs: round(cold.cachedMs, 2),
      coldStartNoCacheMs: round(cold.uncachedMs, 2),
      coldStartBurstMs: round(cold.burstMs, 2),
      rss1000Mb: round(rss1000Mb),
      installs: installCount,
      workers,
    };
    console.log(JSON.stringify(figures));
  } finally {
    await runner.close();
  }
}

async function expectOk(pending: Promise<{ ok: boolean }>): Promise<void> {
  const result = await pending;
  if (!result.ok) throw new Error(`invocation failed: ${JSON.stringify(result)}`);
}

/** A worker runtime in this process, so the clock sees only what happens inside the worker. */
function workerHarness() {
  let last = '';
  const runtime = createWorkerRuntime({
    send: (line) => {
      if (line.startsWith('{"t":"done"')) last = line;
    },
    maxIsolates: 10_000, maxCallsPerInvocation: 1000, watchdogMs: 10,
  });
  let seq = 0;
  const sent = new Set<string>();
  /** Prepares one invocation (what the host would send); calling the result runs it and returns the result line. */
  return (code: string, key: string, action = 'transform', payload: unknown = input) => {
    const sha256 = createHash('sha256').update(code).digest('hex');
    const id = `b${++seq}`;
    const request = JSON.stringify({ id, kind: 'action', handler: action, config: {}, capabilities: {}, denied: {}, outputLimit: 262_144 });
    const bundle = sent.has(sha256) ? { sha256, name: 'bench' } : { sha256, name: 'bench', code };
    sent.add(sha256);
    const message = { t: 'invoke' as const, id, key, bundle, memoryMb: 32, cpuMs: 100, wallMs: 2000, methods: {}, request };
    const inputJson = JSON.stringify(payload);
    return () => {
      runtime.handle(message, inputJson);
      if (!last.includes('"ok":true')) throw new Error(`invocation failed: ${last.slice(0, 300)}`);
      return last;
    };
  };
}

function measureInWorker() {
  const invoke = workerHarness();
  const code = pluginCode(5);
  const handler = new Function(`return ${handlerSource}`)() as (x: unknown) => unknown;
  const encoded = JSON.stringify(input);
  for (let i = 0; i < 2000; i++) invoke(code, 'warm')();
  const isolate: number[] = [];
  const direct: number[] = [];
  // Interleaved, so both see the same machine.
  for (let i = 0; i < 20_000; i++) {
    const run = invoke(code, 'warm');
    let t = process.hrtime.bigint();
    run();
    isolate.push(Number(process.hrtime.bigint() - t) / 1000);
    t = process.hrtime.bigint();
    JSON.stringify({ ok: true, output: handler(JSON.parse(encoded)) });
    direct.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  const isolateUs = median(isolate);
  const directUs = median(direct);
  return { isolateUs, directUs, overheadUs: isolateUs - directUs };
}

const fiftyKbFunctions = 500;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** New installs arriving one by one (the worker refills its spare isolate in between), then in a burst. */
async function measureColdStart() {
  const invoke = workerHarness();
  const big = pluginCode(fiftyKbFunctions);
  invoke(big, 'prime')(); // the first compile produces the code cache
  const cached: number[] = [];
  const uncached: number[] = [];
  const burst: number[] = [];
  for (let i = 0; i < 60; i++) {
    const warmRun = invoke(big, `cold-${i}`, 'size', {});
    await nextTurn();
    let t = performance.now();
    warmRun();
    cached.push(performance.now() - t);
    const freshRun = invoke(pluginCode(fiftyKbFunctions, `// variant ${i}\n`), `fresh-${i}`, 'size', {});
    await nextTurn();
    t = performance.now();
    freshRun();
    uncached.push(performance.now() - t);
  }
  for (let i = 0; i < 60; i++) {
    const run = invoke(big, `burst-${i}`, 'size', {});
    const t = performance.now();
    run();
    burst.push(performance.now() - t);
  }
  return { cachedMs: median(cached), uncachedMs: median(uncached), burstMs: median(burst) };
}
