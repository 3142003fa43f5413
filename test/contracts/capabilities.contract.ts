// The `store` capability through the registry, as a plugin sees it, on every Store dialect; the *.sqlite and *.pg test files run it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCapabilityRegistry, type CapabilityRegistry } from '../../core/src/capabilities/registry.ts';
import { createLogCapability } from '../../core/src/capabilities/log.ts';
import { createStoreCapability, type StoreQuotas } from '../../core/src/capabilities/store.ts';
import type { CallScope } from '../../core/src/capabilities/types.ts';
import type { Result } from '../../sdk/src/sandbox/index.ts';
import type { Store } from '../../core/src/store/types.ts';
import { captureLogger, type CapturedLog } from '../support/log-capture.ts';
import type { StoreHandle } from './store.fixtures.ts';

const scopeFor = (installId: string): CallScope => ({
  tenantId: `tenant-of-${installId}`, installId, pluginId: 'acme.notes', pluginVersion: '1.0.0', httpHosts: [], runId: 'run-1',
});
const a = scopeFor('inst_a');
const b = scopeFor('inst_b');
const granted = ['store'] as const;

/** A JSON value whose JSON text is exactly `bytes` UTF-8 bytes long (a string of n ASCII letters plus its quotes). */
const sized = (bytes: number): string => 'x'.repeat(bytes - 2);

export function capabilitiesContract(name: string, makeStore: () => Promise<StoreHandle>): void {
  describe(`store capability contract: ${name}`, () => {
    let handle: StoreHandle;
    let store: Store;
    let log: CapturedLog;
    const others: Store[] = [];
    const registryOn = (s: Store, quotas?: StoreQuotas): CapabilityRegistry =>
      createCapabilityRegistry([createLogCapability(log.logger), createStoreCapability(s.pluginKv(), quotas)], { logger: log.logger });
    let registry: CapabilityRegistry;
    const call = (scope: CallScope, method: string, args: unknown, r = registry): Promise<Result> => r.call(scope, granted, 'store', method, args);
    const output = async (scope: CallScope, method: string, args: unknown, r = registry): Promise<unknown> => {
      const result = await call(scope, method, args, r);
      if (!result.ok) throw new Error(`store.${method} failed: ${JSON.stringify(result.failure)}`);
      return result.output;
    };

    beforeEach(async () => {
      handle = await makeStore();
      store = handle.store;
      await store.migrate();
      log = captureLogger();
      registry = registryOn(store);
    });
    afterEach(async () => {
      for (const s of others.splice(0)) await s.close();
      await handle.cleanup();
    });

    it('gets what was set, any JSON, with found telling a stored null from a missing key', async () => {
      const value = { z: 1, a: [true, null, 1.5, '中文 😀'], nested: { '': 'empty key' } };
      expect(await output(a, 'set', { key: 'doc', value })).toEqual({ bytes: Buffer.byteLength(JSON.stringify(value)), totalKeys: 1, totalBytes: Buffer.byteLength(JSON.stringify(value)) });
      const got = await output(a, 'get', { key: 'doc' });
      expect(got).toEqual({ found: true, value });
      // Kept as the JSON text written, so even key order survives.
      expect(JSON.stringify((got as { value: unknown }).value)).toBe(JSON.stringify(value));
      await output(a, 'set', { key: 'nothing', value: null });
      expect(await output(a, 'get', { key: 'nothing' })).toEqual({ found: true, value: null });
      expect(await output(a, 'get', { key: 'missing' })).toEqual({ found: false, value: null });
      await output(a, 'set', { key: 'doc', value: 42 });
      expect(await output(a, 'get', { key: 'doc' })).toEqual({ found: true, value: 42 });
    });

    it('deletes, saying whether the key existed', async () => {
      await output(a, 'set', { key: 'k', value: 'v' });
      expect(await output(a, 'delete', { key: 'k' })).toEqual({ deleted: true });
      expect(await output(a, 'delete', { key: 'k' })).toEqual({ deleted: false });
      expect(await output(a, 'get', { key: 'k' })).toEqual({ found: false, value: null });
    });

    it('keeps the data of one install invisible and untouchable to another', async () => {
      await output(a, 'set', { key: 'secret', value: 'of a' });
      expect(await output(b, 'get', { key: 'secret' })).toEqual({ found: false, value: null });
      expect(await output(b, 'list', {})).toEqual({ keys: [] });
      expect(await output(b, 'delete', { key: 'secret' })).toEqual({ deleted: false });
      await output(b, 'set', { key: 'secret', value: 'of b' });
      expect(await output(a, 'get', { key: 'secret' })).toEqual({ found: true, value: 'of a' });
      expect(await output(b, 'get', { key: 'secret' })).toEqual({ found: true, value: 'of b' });
      expect(await store.pluginKv().usage('inst_a')).toEqual({ keys: 1, bytes: 6 });
      expect(await store.pluginKv().usage('inst_c')).toEqual({ keys: 0, bytes: 0 });
    });

    it('keeps the data across a reopen', async () => {
      await output(a, 'set', { key: 'durable', value: { n: 1 } });
      await store.close();
      const again = handle.reopen();
      others.push(again);
      expect(await output(a, 'get', { key: 'durable' }, registryOn(again))).toEqual({ found: true, value: { n: 1 } });
    });

    it('lists keys in code-point order, by literal prefix, within the limit (100 by default)', async () => {
      const keys = ['b', 'a', 'B', 'ä', '中', '😀', 'a%b', 'axb', 'a_', 'ab', 'a'.repeat(200)];
      for (const key of keys) await output(a, 'set', { key, value: 1 });
      await output(b, 'set', { key: 'a-of-b', value: 1 });
      const codePointOrder = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      expect(await output(a, 'list', {})).toEqual({ keys: codePointOrder });
      expect(await output(a, 'list', { prefix: 'a', limit: 4 })).toEqual({ keys: ['a', 'a%b', 'a_', 'a'.repeat(200)] });
      // % and _ are characters, not LIKE wildcards.
      expect(await output(a, 'list', { prefix: 'a%' })).toEqual({ keys: ['a%b'] });
      expect(await output(a, 'list', { prefix: 'a_' })).toEqual({ keys: ['a_'] });
      expect(await output(a, 'list', { prefix: '中' })).toEqual({ keys: ['中'] });
      expect(await output(a, 'list', { prefix: 'nope' })).toEqual({ keys: [] });

      for (let i = 0; i < 100; i++) await output(b, 'set', { key: `n${String(i).padStart(3, '0')}`, value: i });
      const listed = (await output(b, 'list', {})) as { keys: string[] };
      expect(listed.keys).toHaveLength(100);
      expect(listed.keys[0]).toBe('a-of-b');
      expect(listed.keys[99]).toBe('n098');
    });

    describe('quotas', () => {
      const quotas: StoreQuotas = { maxKeys: 3, maxBytes: 100, maxValueBytes: 60 };
      let small: CapabilityRegistry;
      beforeEach(() => {
        small = registryOn(store, quotas);
      });

      it('refuses a new key past maxKeys, still replaces existing ones, and counts each install apart', async () => {
        for (const key of ['k1', 'k2', 'k3']) await output(a, 'set', { key, value: 1 }, small);
        const refused = await call(a, 'set', { key: 'k4', value: 1 }, small);
        expect(refused).toEqual({ ok: false, failure: { code: 'store.quota_exceeded', message: expect.stringMatching(/maxKeys.*\b3\b/), retryable: false } });
        expect(!refused.ok && refused.failure.message).toContain('4 keys');
        expect(await output(a, 'get', { key: 'k4' }, small)).toEqual({ found: false, value: null });
        expect(await output(a, 'set', { key: 'k3', value: 2 }, small)).toEqual({ bytes: 1, totalKeys: 3, totalBytes: 3 });
        expect(await output(b, 'set', { key: 'k4', value: 1 }, small)).toMatchObject({ totalKeys: 1 });
        await output(a, 'delete', { key: 'k1' }, small);
        expect(await output(a, 'set', { key: 'k4', value: 1 }, small)).toMatchObject({ totalKeys: 3 });
      });

      it('counts a replacement as its new size minus its old one against maxBytes', async () => {
        await output(a, 'set', { key: 'x', value: sized(40) }, small);
        expect(await output(a, 'set', { key: 'y', value: sized(40) }, small)).toEqual({ bytes: 40, totalKeys: 2, totalBytes: 80 });
        // 80 - 40 + 60 = 100: exactly the quota, allowed.
        expect(await output(a, 'set', { key: 'x', value: sized(60) }, small)).toEqual({ bytes: 60, totalKeys: 2, totalBytes: 100 });
        const refused = await call(a, 'set', { key: 'y', value: sized(41) }, small);
        expect(refused.ok).toBe(false);
        if (refused.ok) return;
        expect(refused.failure.code).toBe('store.quota_exceeded');
        expect(refused.failure.message).toMatch(/maxBytes/);
        expect(refused.failure.message).toContain('101 bytes');
        expect(refused.failure.message).toContain('100');
        expect(await output(a, 'get', { key: 'y' }, small)).toEqual({ found: true, value: sized(40) });
        expect(await store.pluginKv().usage('inst_a')).toEqual({ keys: 2, bytes: 100 });
        expect(await output(a, 'set', { key: 'y', value: sized(10) }, small)).toEqual({ bytes: 10, totalKeys: 2, totalBytes: 70 });
        // Another install has its own 100 bytes.
        expect(await output(b, 'set', { key: 'y', value: sized(60) }, small)).toMatchObject({ totalBytes: 60 });
      });

      it('refuses a value larger than maxValueBytes before touching the database', async () => {
        const refused = await call(a, 'set', { key: 'big', value: sized(61) }, small);
        expect(refused).toEqual({ ok: false, failure: { code: 'store.quota_exceeded', message: expect.stringMatching(/maxValueBytes.*60/), retryable: false } });
        expect(!refused.ok && refused.failure.message).toContain('61 bytes');
        expect(await store.pluginKv().usage('inst_a')).toEqual({ keys: 0, bytes: 0 });
      });

      it('holds maxKeys under concurrent writes of one install', async () => {
        const results = await Promise.all(Array.from({ length: 12 }, (_, i) => call(a, 'set', { key: `c${i}`, value: i }, small)));
        expect(results.filter((r) => r.ok)).toHaveLength(3);
        expect(results.filter((r) => !r.ok && r.failure.code === 'store.quota_exceeded')).toHaveLength(9);
        expect(await store.pluginKv().usage('inst_a')).toMatchObject({ keys: 3 });
      });
    });

    describe('through the registry', () => {
      it('denies every store method without the store grant, naming the method and the permission', async () => {
        for (const method of ['get', 'set', 'delete', 'list']) {
          const result = await registry.call(a, [], 'store', method, { key: 'k', value: 1 });
          expect(result).toEqual({ ok: false, failure: { code: 'capability.denied', message: expect.stringContaining(`store.${method}`), retryable: false } });
          expect(!result.ok && result.failure.message).toContain('"store" permission');
        }
        expect(await store.pluginKv().usage('inst_a')).toEqual({ keys: 0, bytes: 0 });
        const unknown = await registry.call(a, granted, 'store', 'drop', {});
        expect(unknown).toMatchObject({ ok: false, failure: { code: 'capability.denied', message: expect.stringContaining('store.drop') } });
      });

      it('describes what the grants allow', () => {
        expect(registry.describe(['store'])).toEqual({ log: ['debug', 'info', 'warn', 'error'], store: ['get', 'set', 'delete', 'list'] });
        expect(registry.describe([])).toEqual({ log: ['debug', 'info', 'warn', 'error'] });
      });

      it('refuses invalid arguments with JSON pointers relative to the arguments', async () => {
        const details = async (method: string, args: unknown) => {
          const result = await call(a, method, args);
          expect(result).toMatchObject({ ok: false, failure: { code: 'capability.args_invalid', retryable: false } });
          return result.ok ? [] : result.failure.details?.map((d) => d.pointer);
        };
        expect(await details('set', { key: 'k' })).toEqual(['/value']);
        expect(await details('get', { key: 'x'.repeat(201) })).toEqual(['/key']);
        expect(await details('get', { key: '' })).toEqual(['/key']);
        expect(await details('get', { key: 'a\u0000b' })).toEqual(['/key']);
        expect(await details('get', { key: 'k', extra: true })).toEqual(['/extra']);
        expect(await details('list', { limit: 0 })).toEqual(['/limit']);
        expect(await details('delete', 'k')).toEqual(['/']);
        const lone = await call(a, 'set', { key: 'half \ud800', value: 1 });
        expect(lone).toMatchObject({ ok: false, failure: { code: 'capability.args_invalid' } });
        expect(await store.pluginKv().usage('inst_a')).toEqual({ keys: 0, bytes: 0 });
      });

      it('fails a database error as capability.failed without host details, and logs the real error', async () => {
        await store.close();
        const result = await call(a, 'get', { key: 'k' });
        expect(result).toEqual({ ok: false, failure: { code: 'capability.failed', message: 'store.get failed inside the host', retryable: true } });
        const [record] = log.records().filter((r) => r.msg === 'capability call failed');
        expect(record).toMatchObject({ installId: 'inst_a', capability: 'store', method: 'get', err: expect.any(Object) });
      });
    });
  });
}
