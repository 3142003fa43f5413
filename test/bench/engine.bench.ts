// Engine throughput and latency: canonical events already stored → completed 3-step runs of sandboxed no-op actions,
// on SQLite and on PostgreSQL, against the same 3 actions called straight through the sandbox runner (the baseline:
// what the engine adds is routing, claiming, leases and the checkpoints). Then, at half the SQLite rate, the time
// from an event being stored to its run's first action starting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCapabilityRegistry } from '../../core/src/capabilities/registry.ts';
import { createLogCapability } from '../../core/src/capabilities/log.ts';
import { createEngine, type Engine } from '../../core/src/engine/run/engine.ts';
import { newId } from '../../core/src/ids.ts';
import { createLogger } from '../../core/src/ops/logger.ts';
import type { Install } from '../../core/src/plugins/types.ts';
import { createPluginRunner, type PluginRunner } from '../../core/src/sandbox/runner.ts';
import { openStore } from '../../core/src/store/open.ts';
import type { InboxEnvelope, Store } from '../../core/src/store/types.ts';
import { inlinePlugin, testInstall, testManifest } from '../support/plugins.ts';

const tenants = Array.from({ length: 8 }, (_, i) => `t${i}`);
const plugin = inlinePlugin(testManifest('bench.noop', ['noop']), 'lianjie.register({ actions: { noop: (input) => ({ ok: true, n: input.n }) } });');
const workflow = (tenantId: string) => ({
  id: 'bench', name: 'bench', tenantId, trigger: { event: 'message.text' },
  steps: ['one', 'two', 'three'].map((id) => ({ id, action: 'bench.noop/noop', input: { n: '{{ trigger.data.n }}' } })),
});

const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

/** The executor's settings: the host's defaults unless --concurrency / --per-tenant say otherwise. */
const engineSettings = { concurrency: 64, perTenant: 16 };

let counter = 0;
/** Stores `n` canonical events (through the inbox, as the decoder would) spread over the tenants; answers when each was stored. */
async function storeEvents(store: Store, n: number): Promise<Map<string, number>> {
  const envelopes: InboxEnvelope[] = Array.from({ length: n }, (_, i) => ({
    route: 'app', tenantId: tenants[(counter + i) % tenants.length]!, appId: 'app', suiteId: null, msgSignature: 's', timestamp: '1',
    nonce: `n${counter + i}`, encrypt: 'e', receivedAt: Date.now(),
  }));
  counter += n;
  await store.appendInbox(envelopes);
  const storedAt = new Map<string, number>();
  for (let left = n; left > 0;) {
    const result = await store.decodePending(500, (row) => {
      const id = newId('evt');
      return {
        kind: 'event', raw: '<xml/>',
        event: { id, tenantId: row.tenantId, appId: 'app', suiteId: null, type: 'message.text', occurredAt: new Date().toISOString(), receivedAt: new Date().toISOString(), dedupKey: row.nonce, data: { n: row.nonce } },
      };
    });
    const now = Date.now();
    left -= result.processed;
    if (result.processed === 0) break;
    for (const row of await store.listEvents({ limit: result.processed })) storedAt.set(row.id, now);
  }
  return storedAt;
}

async function untilCompleted(store: Store, total: number): Promise<void> {
  for (;;) {
    const counts = await store.runs().countByStatus();
    if ((counts.completed ?? 0) + (counts.failed ?? 0) >= total) {
      if (counts.failed) throw new Error(`${counts.failed} runs failed`);
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function prepare(url: string, runner: PluginRunner): Promise<{ store: Store; engine: Engine; installs: Install[] }> {
  const store = openStore(url);
  await store.migrate();
  const installs = tenants.map((t) => testInstall(plugin, t));
  for (const t of tenants) await store.workflows().apply(t, 'bench', JSON.stringify(workflow(t)));
  const engine = createEngine({
    store, installs: () => installs, runner, logger: createLogger('warn'), timezone: () => 'Asia/Shanghai',
    config: { ...engineSettings, leaseMs: 30_000, retentionDays: 30 },
  });
  return { store, engine, installs };
}

/** Runs/s for `runs` events stored before the engine starts. */
async function throughput(url: string, runner: PluginRunner, runs: number): Promise<number> {
  const { store, engine } = await prepare(url, runner);
  try {
    await storeEvents(store, runs);
    const started = performance.now();
    engine.start();
    await untilCompleted(store, runs);
    return runs / ((performance.now() - started) / 1000);
  } finally {
    await engine.stop();
    await store.close();
  }
}

/** Event stored → first action started, with events arriving at `perSec` for `seconds`. */
async function latency(url: string, runner: PluginRunner, perSec: number, seconds: number): Promise<number[]> {
  const { store, engine } = await prepare(url, runner);
  try {
    engine.start();
    const storedAt = new Map<string, number>();
    const tickMs = 20;
    const perTick = Math.max(1, Math.round((perSec * tickMs) / 1000));
    const end = performance.now() + seconds * 1000;
    let total = 0;
    while (performance.now() < end) {
      const tickEnd = performance.now() + tickMs;
      for (const [id, at] of await storeEvents(store, perTick)) storedAt.set(id, at);
      total += perTick;
      engine.wake();
      await new Promise((r) => setTimeout(r, Math.max(0, tickEnd - performance.now())));
    }
    await untilCompleted(store, total);
    const runs = await store.runs().list({ limit: total });
    const latencies: number[] = [];
    for (const run of runs) {
      const first = (await store.runs().steps(run.id))[0]!;
      const at = storedAt.get(run.triggerKey);
      if (at !== undefined) latencies.push(first.startedAt - at);
    }
    return latencies;
  } finally {
    await engine.stop();
    await store.close();
  }
}

/** The same three actions per "run", straight through the runner, 64 at a time. */
async function baseline(runner: PluginRunner, runs: number, install: Install): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < runs) {
      const n = next++;
      for (const step of ['one', 'two', 'three']) {
        const result = await runner.runAction(install, 'noop', { n: String(n) }, { runId: `run${n}`, idempotencyKey: `run${n}:${step}` });
        if (!result.ok) throw new Error(result.failure.message);
      }
    }
  }));
  return runs / ((performance.now() - started) / 1000);
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '3000' }, seconds: { type: 'string', default: '5' }, pg: { type: 'string' },
      concurrency: { type: 'string', default: '64' }, 'per-tenant': { type: 'string', default: '16' },
    },
  });
  engineSettings.concurrency = Number(values.concurrency);
  engineSettings.perTenant = Number(values['per-tenant']);
  const runs = Number(values.runs);
  const seconds = Number(values.seconds);
  const pgUrl = values.pg ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  process.env.DATABASE_URL ??= pgUrl;
  // Read at import: imported once DATABASE_URL is set.
  const { freshPostgresDatabase } = await import('../support/postgres.ts');
  const registry = createCapabilityRegistry([createLogCapability(createLogger('warn'))], { logger: createLogger('warn') });
  const runner = createPluginRunner({ size: 2, capabilities: registry });
  const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-bench-engine-'));
  console.log(`engine bench: ${runs} runs of 3 sandboxed no-op actions, 8 tenants, 2 sandbox workers, ` +
    `executor concurrency ${engineSettings.concurrency} (${engineSettings.perTenant} per tenant)`);
  try {
    await baseline(runner, 200, testInstall(plugin, 'warm')); // warm the workers and the isolate cache
    const baselinePerSec = await baseline(runner, runs, testInstall(plugin, 'base'));
    console.log(`  baseline (3 actions straight through the runner): ${round(baselinePerSec)} runs/s`);
    const sqliteUrl = (name: string) => `file:${path.join(dir, `${name}.db`)}`;
    const sqliteRunsPerSec = await throughput(sqliteUrl('throughput'), runner, runs);
    console.log(`  SQLite (synchronous FULL): ${round(sqliteRunsPerSec)} runs/s (${round(sqliteRunsPerSec / baselinePerSec, 2)} of baseline)`);
    const pg = await freshPostgresDatabase();
    let pgRunsPerSec: number;
    try {
      pgRunsPerSec = await throughput(pg.url, runner, runs);
    } finally {
      await pg.drop();
    }
    console.log(`  PostgreSQL: ${round(pgRunsPerSec)} runs/s (${round(pgRunsPerSec / baselinePerSec, 2)} of baseline)`);
    const rate = Math.max(1, Math.round(sqliteRunsPerSec / 2));
    const latencies = await latency(sqliteUrl('latency'), runner, rate, seconds);
    const p50 = percentile(latencies, 0.5);
    const p99 = percentile(latencies, 0.99);
    console.log(`  event stored → first action, SQLite at ${rate} events/s for ${seconds} s: p50 ${p50} ms, p99 ${p99} ms (${latencies.length} runs)`);
    console.log(JSON.stringify({
      bench: 'engine', runs, baselinePerSec: round(baselinePerSec), sqliteRunsPerSec: round(sqliteRunsPerSec), pgRunsPerSec: round(pgRunsPerSec),
      sqliteRatio: round(sqliteRunsPerSec / baselinePerSec, 3), pgRatio: round(pgRunsPerSec / baselinePerSec, 3),
      latencyLoadPerSec: rate, p50FirstActionMs: p50, p99FirstActionMs: p99,
    }));
  } finally {
    await runner.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
