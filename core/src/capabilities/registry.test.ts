// The registry's own rules: lookups, grants, argument copies, failures as data, sanitised errors, plain JSON out.
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../../test/support/log-capture.ts';
import type { PluginKv } from '../store/types.ts';
import { createCapabilityRegistry } from './registry.ts';
import { createStoreCapability } from './store.ts';
import { CapabilityFailure, type CallScope, type Capability } from './types.ts';

const scope: CallScope = { tenantId: 't', installId: 'inst_1', pluginId: 'acme.x', pluginVersion: '1.0.0', httpHosts: [], runId: 'run_1' };

/** A PluginKv whose every method runs `behave`; the registry cannot tell it from a database. */
function fakeKv(behave: (method: string, args: unknown[]) => unknown): PluginKv {
  const method = (name: string) => async (...args: unknown[]) => behave(name, args);
  return { get: method('get'), set: method('set'), delete: method('delete'), list: method('list'), usage: method('usage') } as PluginKv;
}

function setup(capabilities: Capability[]) {
  const log = captureLogger();
  return { log, registry: createCapabilityRegistry(capabilities, { logger: log.logger }) };
}

describe('capability registry', () => {
  it('denies names that are not its own methods, inherited ones included', async () => {
    const { registry } = setup([createStoreCapability(fakeKv(() => null))]);
    for (const [capability, method] of [['store', '__proto__'], ['store', 'toString'], ['store', 'constructor'], ['wecom', 'send'], ['__proto__', 'get']] as const) {
      const result = await registry.call(scope, ['store'], capability, method, {});
      expect(result).toEqual({ ok: false, failure: { code: 'capability.denied', message: `${capability}.${method} is not a capability method of this host`, retryable: false } });
    }
  });

  it('validates a copy of the arguments, filling in defaults without touching the caller\'s object', async () => {
    const seen: unknown[] = [];
    const { registry } = setup([createStoreCapability(fakeKv((_, args) => (seen.push(args), [])))]);
    const args = { prefix: 'p' };
    expect(await registry.call(scope, ['store'], 'store', 'list', args)).toEqual({ ok: true, output: { keys: [] } });
    expect(args).toEqual({ prefix: 'p' });
    expect(seen).toEqual([['inst_1', { prefix: 'p', limit: 100 }]]);
    // No arguments at all are an empty object.
    expect(await registry.call(scope, ['store'], 'store', 'list', undefined)).toEqual({ ok: true, output: { keys: [] } });
  });

  it('refuses arguments JSON cannot carry', async () => {
    const { registry } = setup([createStoreCapability(fakeKv(() => null))]);
    const cyclic: Record<string, unknown> = { key: 'k' };
    cyclic.value = cyclic;
    expect(await registry.call(scope, ['store'], 'store', 'set', cyclic)).toMatchObject({ ok: false, failure: { code: 'capability.args_invalid', details: [{ pointer: '/' }] } });
    expect(await registry.call(scope, ['store'], 'store', 'set', { key: 'k', value: 1n })).toMatchObject({ ok: false, failure: { code: 'capability.args_invalid' } });
  });

  it('passes a CapabilityFailure through as the failure', async () => {
    const { registry } = setup([createStoreCapability(fakeKv(() => {
      throw new CapabilityFailure('store.quota_exceeded', 'full', false);
    }))]);
    expect(await registry.call(scope, ['store'], 'store', 'get', { key: 'k' })).toEqual({ ok: false, failure: { code: 'store.quota_exceeded', message: 'full', retryable: false } });
  });

  it('sanitises any other error to capability.failed and logs the real one with its attribution', async () => {
    const { registry, log } = setup([createStoreCapability(fakeKv(() => {
      throw new Error('SQLITE_CANTOPEN: /var/lib/lianjie/host.db');
    }))]);
    const result = await registry.call(scope, ['store'], 'store', 'get', { key: 'k' });
    expect(result).toEqual({ ok: false, failure: { code: 'capability.failed', message: 'store.get failed inside the host', retryable: true } });
    expect(JSON.stringify(result)).not.toContain('/var/lib');
    const [record] = log.records();
    expect(record).toMatchObject({ msg: 'capability call failed', tenantId: 't', installId: 'inst_1', pluginId: 'acme.x', runId: 'run_1', capability: 'store', method: 'get' });
    expect(JSON.stringify(record)).toContain('/var/lib/lianjie/host.db');
  });

  it('fails an output JSON cannot carry rather than handing it over', async () => {
    const odd: Capability = { name: 'log', methods: { info: { permission: null, run: async () => ({ n: 1n }) } } };
    const { registry, log } = setup([odd]);
    expect(await registry.call(scope, [], 'log', 'info', { message: 'x' })).toMatchObject({ ok: false, failure: { code: 'capability.failed' } });
    expect(log.records()[0]).toMatchObject({ msg: 'capability returned a value that is not JSON' });
  });

  it('hands out plain JSON copies: undefined becomes null, a Date its ISO text', async () => {
    const when = new Date(0);
    const odd: Capability = { name: 'log', methods: { info: { permission: null, run: async () => undefined }, warn: { permission: null, run: async () => ({ when, gone: undefined }) } } };
    const { registry } = setup([odd]);
    expect(await registry.call(scope, [], 'log', 'info', { message: 'x' })).toEqual({ ok: true, output: null });
    expect(await registry.call(scope, [], 'log', 'warn', { message: 'x' })).toEqual({ ok: true, output: { when: '1970-01-01T00:00:00.000Z' } });
  });

  it('refuses at creation a method without an argument schema or a permission the schema does not list', () => {
    const noSchema: Capability = { name: 'store', methods: { drop: { permission: 'store', run: async () => null } } };
    expect(() => createCapabilityRegistry([noSchema])).toThrow(/store\.drop has no argument schema/);
    const wrongPermission: Capability = { name: 'store', methods: { get: { permission: 'stor', run: async () => null } } };
    expect(() => createCapabilityRegistry([wrongPermission])).toThrow(/"stor"/);
  });
});
