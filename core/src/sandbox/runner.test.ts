// The runner against a real sandbox: config migrations run in the new version's isolate with no capabilities and
// their output checked as an install's config; every invocation the pool ran is reported with its CPU time.
import { afterAll, describe, expect, it } from 'vitest';
import { createCapabilityRegistry } from '../capabilities/registry.ts';
import { createLogCapability } from '../capabilities/log.ts';
import type { Capability } from '../capabilities/types.ts';
import { createLogger } from '../ops/logger.ts';
import { inlinePlugin, testInstall, testManifest } from '../../../test/support/plugins.ts';
import { createPluginRunner, type InvocationEvent } from './runner.ts';

const silent = createLogger('silent');
// Stand-ins with the real methods' names and permissions: what matters here is that a migration cannot reach them.
const store: Capability = { name: 'store', methods: { get: { permission: 'store', run: async () => ({ found: false, value: null }) } } };
const wecom: Capability = { name: 'wecom', methods: { getUser: { permission: 'wecom.user.get', run: async () => ({ userid: 'u' }) } } };
const capabilities = createCapabilityRegistry([createLogCapability(silent), store, wecom], { logger: silent });

const manifest = testManifest('acme.greeter', ['burn', 'fail'], {
  version: '2.1.0',
  permissions: ['store', 'wecom.user.get'],
  config: {
    type: 'object', additionalProperties: false, required: ['greeting'],
    properties: { greeting: { type: 'string' }, times: { type: 'integer', default: 1 } },
  },
  configMigrations: [{ from: 1, description: 'hello is now greeting' }, { from: 0 }],
});

const code = `lianjie.register({
  actions: {
    burn: (input) => { let n = 0; const end = Date.now() + input.ms; while (Date.now() < end) n++; return { n }; },
    fail: () => { throw new Error('refused'); },
  },
  migrations: {
    1: (old, ctx) => {
      if (old.mode === 'throw') throw new Error('cannot read ' + old.hello);
      if (old.mode === 'wrong') return { greeting: 7, colour: 'red' };
      if (old.mode === 'same') return { greeting: JSON.stringify(ctx.config) === JSON.stringify(old) ? 'ctx.config is the old config' : 'differs' };
      if (old.mode === 'peek') {
        return { greeting: ['store', 'wecom', 'log'].map((name) => {
          try { return name + ' ' + typeof ctx[name]; } catch (e) { return name + ' ' + e.code + ': ' + e.message; }
        }).join('; ') };
      }
      return { greeting: old.hello };
    },
    0: async (old) => ({ greeting: 'Hello', times: old.repeat }),
  },
});`;

const plugin = inlinePlugin(manifest, code);
// Granted everything the plugin declares: a migration still gets nothing.
const install = testInstall(plugin, 'acme', ['store', 'wecom.user.get'], { greeting: 'Hi' });

describe('runMigration', () => {
  const events: InvocationEvent[] = [];
  const runner = createPluginRunner({ size: 1, capabilities, onInvocation: (event) => events.push(event) });
  afterAll(() => runner.close());

  it('answers the old config migrated, checked against the new config schema with its defaults applied', async () => {
    expect(await runner.runMigration(install, 1, { hello: 'Ni hao' })).toEqual({ ok: true, output: { greeting: 'Ni hao', times: 1 } });
    expect(await runner.runMigration(install, 0, { repeat: 3 })).toEqual({ ok: true, output: { greeting: 'Hello', times: 3 } });
    expect(await runner.runMigration(install, 1, { mode: 'same', extra: [1, 2] })).toEqual({ ok: true, output: { greeting: 'ctx.config is the old config', times: 1 } });
  });

  it('denies every capability while it runs, whatever the install was granted', async () => {
    const result = await runner.runMigration(install, 1, { mode: 'peek' });
    expect(result.ok && result.output.greeting).toBe([
      'store capability.denied: ctx.store is not available while a config migration runs',
      'wecom capability.denied: ctx.wecom is not available while a config migration runs',
      'log capability.denied: ctx.log is not available while a config migration runs',
    ].join('; '));
  });

  it('a migration that throws is install.migration_failed, naming the plugin, version and major', async () => {
    expect(await runner.runMigration(install, 1, { mode: 'throw', hello: 'hi' })).toEqual({
      ok: false,
      failure: { code: 'install.migration_failed', message: 'the config migration of acme.greeter@2.1.0 from major 1 failed: Error: cannot read hi (plugin.error)', retryable: false },
    });
  });

  it('an output the new config schema refuses is install.migration_failed with the schema\'s details', async () => {
    expect(await runner.runMigration(install, 1, { mode: 'wrong' })).toEqual({
      ok: false,
      failure: {
        code: 'install.migration_failed',
        message: 'the config migration of acme.greeter@2.1.0 from major 1 answered a config this version refuses: /config/colour is not an allowed key here; /config/greeting must be string',
        retryable: false,
        details: [{ pointer: '/config/colour', message: 'is not an allowed key here' }, { pointer: '/config/greeting', message: 'must be string' }],
      },
    });
  });

  it('no migration from that major is install.migration_failed, and nothing runs', async () => {
    const before = events.length;
    expect(await runner.runMigration(install, 2, { hello: 'Ni hao' })).toEqual({
      ok: false,
      failure: { code: 'install.migration_failed', message: 'the config migration of acme.greeter@2.1.0 from major 2 does not exist: plugin.json declares none from that major', retryable: false },
    });
    expect(events.length).toBe(before);
  });

  it('a bundle that does not register a declared migration is refused as for actions', async () => {
    const stale = inlinePlugin({ ...manifest, version: '2.2.0' }, 'lianjie.register({ actions: { burn: () => ({}), fail: () => ({}) }, migrations: { 1: () => ({}) } });');
    const result = await runner.runMigration(testInstall(stale, 'acme'), 1, {});
    expect(result.ok === false && result.failure).toMatchObject({
      code: 'install.migration_failed',
      message: expect.stringMatching(/^the config migration of acme\.greeter@2\.2\.0 from major 1 failed: .*\/configMigrations\/1\/from has no handler in the bundle \(manifest\.invalid\)$/),
      details: [{ pointer: '/configMigrations/1/from', message: 'has no handler in the bundle' }],
    });
  });

  it('is reported as an invocation of kind migration', async () => {
    events.length = 0;
    await runner.runMigration(install, 1, { hello: 'Ni hao' });
    await runner.runMigration(install, 1, { mode: 'throw' });
    expect(events).toEqual([
      { scope: expect.objectContaining({ tenantId: 'acme', installId: install.id, pluginId: 'acme.greeter', pluginVersion: '2.1.0' }), kind: 'migration', handler: '1', ok: true, cpuMs: expect.any(Number) },
      expect.objectContaining({ kind: 'migration', handler: '1', ok: false }),
    ]);
  });
});

describe('onInvocation', () => {
  const events: InvocationEvent[] = [];
  const runner = createPluginRunner({ size: 1, capabilities, onInvocation: (event) => events.push(event) });
  afterAll(() => runner.close());

  it('reports each invocation once with the CPU time it used in its isolate, failed ones too', async () => {
    events.length = 0;
    expect((await runner.runAction(install, 'burn', { ms: 40 })).ok).toBe(true);
    expect((await runner.runAction(install, 'fail', {})).ok).toBe(false);
    const limited = await runner.runAction(install, 'burn', { ms: 1500 });
    expect(limited.ok === false && limited.failure.code).toBe('sandbox.cpu_limit');
    expect(events.map(({ kind, handler, ok }) => ({ kind, handler, ok }))).toEqual([
      { kind: 'action', handler: 'burn', ok: true },
      { kind: 'action', handler: 'fail', ok: false },
      { kind: 'action', handler: 'burn', ok: false },
    ]);
    const [burnt, failed, stopped] = events.map((e) => e.cpuMs);
    expect(burnt).toBeGreaterThan(20);
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(burnt!);
    // Stopped at the manifest's default CPU limit of 100 ms.
    expect(stopped).toBeGreaterThan(60);
    expect(events[0]!.scope).toMatchObject({ tenantId: 'acme', installId: install.id, pluginId: 'acme.greeter' });
  });

  it('reports nothing for an invocation refused before the sandbox, and 0 ms for one whose worker died', async () => {
    expect((await runner.runAction(install, 'burn', { ms: 1 })).ok).toBe(true); // verified and loaded: what follows runs at once
    events.length = 0;
    expect((await runner.runAction(install, 'nope', {})).ok).toBe(false);
    expect(events).toEqual([]);
    const running = runner.runAction(install, 'burn', { ms: 1500 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    process.kill(runner.pids()[0]!, 'SIGKILL');
    const result = await running;
    expect(result.ok === false && result.failure.code).toBe('sandbox.crashed');
    expect(events).toEqual([expect.objectContaining({ kind: 'action', handler: 'burn', ok: false, cpuMs: 0 })]);
  });
});
