// The marketplace's costs on the paths that run all the time: metering (every invocation and capability call counted)
// against the same invocations unmetered, in the same run; the catalog (a callback's target looked up in the live
// snapshot against a directory built once from the config, and a full reload with many run-time tenants and installs
// on SQLite); and usage written once a second for many installs.
import { createHash, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { createCapabilityRegistry } from '../../core/src/capabilities/registry.ts';
import { createLogCapability } from '../../core/src/capabilities/log.ts';
import { createCatalog } from '../../core/src/catalog/catalog.ts';
import { liveDirectory } from '../../core/src/catalog/live-directory.ts';
import { createDirectory } from '../../core/src/ingress/directory.ts';
import { createTenantAdmin } from '../../core/src/marketplace/tenant-admin.ts';
import { createMeter, meteredCapabilities } from '../../core/src/marketplace/metering.ts';
import { createLogger } from '../../core/src/ops/logger.ts';
import { parseManifest } from '../../core/src/plugins/manifest.ts';
import type { Install } from '../../core/src/plugins/types.ts';
import { createPluginRunner } from '../../core/src/sandbox/runner.ts';
import { createSealer } from '../../core/src/secrets/seal.ts';
import { createSqliteStore } from '../../core/src/store/sqlite/store.ts';
import { freshTempDir } from '../support/tmp.ts';

const keys = { token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const code = `lianjie.register({ actions: { touch: async (input, ctx) => { ctx.log.info({ message: 'touched' }); return { n: input.n + 1 }; } } });`;
const manifest = parseManifest({
  id: 'bench.touch', version: '1.0.0', engine: '^1', name: { en: 'bench' }, vendor: 'bench', permissions: [], triggers: [],
  actions: [{ id: 'touch', input: { type: 'object' }, output: { type: 'object' } }],
});
const plugin = { manifest, bundle: { code, sha256: createHash('sha256').update(code).digest('hex') } };
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { invocations: { type: 'string', default: '20000' }, tenants: { type: 'string', default: '1000' } } });
  const invocations = Number(values.invocations);
  const tenantCount = Number(values.tenants);
  const dir = await freshTempDir('lianjie-bench-');
  const store = createSqliteStore({ file: dir.file('bench.db'), synchronous: 'FULL' });
  await store.migrate();
  const logger = createLogger('warn');
  try {
    console.log(`marketplace bench: ${availableParallelism()} cores, ${invocations} invocations each way, ${tenantCount} run-time tenants`);

    // 1. Metering: the same invocations (each making one log call) with and without the meter, alternated.
    const meter = createMeter({ usage: store.usage(), timezone: () => 'Asia/Shanghai', logger });
    meter.start();
    const plain = createCapabilityRegistry([createLogCapability(createLogger('silent'))]);
    const bare = createPluginRunner({ capabilities: plain });
    const metered = createPluginRunner({ capabilities: meteredCapabilities(plain, meter), onInvocation: ({ scope, cpuMs }) => meter.invocation(scope, cpuMs) });
    const installs = Array.from({ length: 16 }, (_, i): Install => ({ id: `i${i}`, tenantId: `t${i % 4}`, plugin, grants: [], config: {} }));
    const rate = async (runner: typeof bare, n: number) => {
      const started = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: 128 }, async () => {
        while (next < n) {
          const install = installs[next++ % installs.length]!;
          const result = await runner.runAction(install, 'touch', { n: 1 });
          if (!result.ok) throw new Error(JSON.stringify(result.failure));
        }
      }));
      return (n / (performance.now() - started)) * 1000;
    };
    await rate(bare, 2000);
    await rate(metered, 2000);
    const bareRates: number[] = [];
    const meteredRates: number[] = [];
    for (let i = 0; i < 4; i++) {
      bareRates.push(await rate(bare, invocations / 4));
      meteredRates.push(await rate(metered, invocations / 4));
    }
    await bare.close();
    await metered.close();
    await meter.close();
    const bareRate = bareRates.reduce((a, b) => a + b) / bareRates.length;
    const meteredRate = meteredRates.reduce((a, b) => a + b) / meteredRates.length;
    const [usage] = await store.usage().list({ installId: 'i0' });
    console.log(`  invocations/s: ${Math.round(meteredRate)} metered vs ${Math.round(bareRate)} unmetered → ratio ${round(meteredRate / bareRate, 3)}` +
      ` (install i0 counted ${usage?.invocations ?? 0} invocations, ${usage?.cpuMs ?? 0} CPU ms)`);

    // 2. Usage writes: one flush of many installs' counters.
    const flushMeter = createMeter({ usage: store.usage(), timezone: () => 'Asia/Shanghai', logger });
    for (let i = 0; i < tenantCount; i++) {
      const scope = { tenantId: `t${i}`, installId: `flush-${i}`, pluginId: 'bench.touch', pluginVersion: '1.0.0', httpHosts: [] };
      flushMeter.invocation(scope, 1.5);
      flushMeter.capabilityCall(scope, 'wecom', 'getExternalContact', { externalUserId: `wm${i}` }, { ok: true, output: {} });
    }
    let started = performance.now();
    await flushMeter.flush();
    const flushMs = performance.now() - started;
    console.log(`  one usage write of ${tenantCount} installs' counters and contacts: ${round(flushMs)} ms`);

    // 3. The catalog: many run-time tenants, each with an app; a full reload, and lookups in the live snapshot.
    const sealer = createSealer(randomBytes(32));
    const config = { tenants: [{ id: 'acme', corpId: 'wwacme', timezone: 'Asia/Shanghai', apps: [{ id: 'crm', ...keys }] }], suites: [], installs: [] };
    const catalog = createCatalog({ config, configInstalls: [], store, sealer: () => sealer, logger });
    const admin = createTenantAdmin({ store, catalog, secrets: () => sealer });
    for (let i = 0; i < tenantCount; i++) {
      await store.tenants().create({ id: `tenant-${i}`, name: null, corpId: `wwcorp${i}`, timezone: 'Asia/Shanghai', contactQuota: null, origin: 'api', suiteId: null, permanentCode: null, suiteAgentId: null }, Date.now());
      await store.tenants().putApp({ tenantId: `tenant-${i}`, id: 'crm', agentId: null, secret: sealer.seal(`secret-${i}`), token: sealer.seal(keys.token), encodingAesKey: sealer.seal(keys.encodingAesKey) }, Date.now());
    }
    await admin.create({ id: 'last', corpId: 'wwlast', apps: [{ id: 'crm', ...keys }] });
    const reloads: number[] = [];
    for (let i = 0; i < 5; i++) {
      started = performance.now();
      await catalog.refresh(true);
      reloads.push(performance.now() - started);
    }
    const reloadMs = [...reloads].sort((a, b) => a - b)[2]!;
    started = performance.now();
    for (let i = 0; i < 1000; i++) await catalog.refresh();
    const revisionCheckUs = ((performance.now() - started) / 1000) * 1000;
    const live = liveDirectory(catalog);
    const fixed = createDirectory({ tenants: [...catalog.current().tenants.values()], suites: [] });
    const lookups = 1_000_000;
    const time = (directory: typeof live) => {
      const t0 = performance.now();
      let found = 0;
      for (let i = 0; i < lookups; i++) if (directory.app(`tenant-${i % tenantCount}`, 'crm')) found++;
      if (found !== lookups) throw new Error('lookup missed');
      return ((performance.now() - t0) / lookups) * 1e6;
    };
    time(live);
    time(fixed);
    const liveNs = time(live);
    const fixedNs = time(fixed);
    console.log(`  catalog of ${tenantCount + 2} tenants: full reload ${round(reloadMs)} ms (median of 5), revision check ${round(revisionCheckUs)} µs`);
    console.log(`  callback target lookup: ${round(liveNs)} ns in the live snapshot vs ${round(fixedNs)} ns in a fixed directory → ratio ${round(liveNs / fixedNs, 2)}`);

    console.log(JSON.stringify({
      bench: 'marketplace', tenants: tenantCount, invocations,
      meteredPerSec: Math.round(meteredRate), unmeteredPerSec: Math.round(bareRate), meteredRatio: round(meteredRate / bareRate, 3),
      usageFlushMs: round(flushMs), catalogReloadMs: round(reloadMs), revisionCheckUs: round(revisionCheckUs),
      lookupNs: round(liveNs), fixedLookupNs: round(fixedNs),
    }));
  } finally {
    await store.close();
    await dir.remove();
  }
}
