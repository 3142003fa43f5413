// @lianjie/sdk/testing: createTestHost runs a plugin project's handlers in the real sandbox (a worker process with an
// isolate), with the host's checks around them and fake capabilities; a looping or bloating plugin fails its call,
// never the test process.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, sampleEvents, type TestHost } from '../../sdk/src/testing/index.ts';
import { freshTempDir } from '../support/tmp.ts';

const sdk = JSON.stringify(path.resolve(import.meta.dirname, '../../sdk/src/index.ts'));
const object = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', additionalProperties: false, properties, required });

const manifest = {
  id: 'acme.kit', version: '1.0.0', engine: '^1', name: { en: 'Kit' }, vendor: 'Acme', permissions: ['store', 'http'],
  http: { hosts: ['api.acme.test'] },
  config: object({ greeting: { type: 'string', default: 'Hello' } }),
  triggers: [{ id: 'new-customer', kind: 'event', events: ['wecom.external_contact.add'], output: object({ customer: { type: 'string' } }, ['customer']) }],
  actions: [
    { id: 'greet', input: object({ name: { type: 'string', minLength: 1 } }, ['name']), output: object({ text: { type: 'string' }, visits: { type: 'integer' } }, ['text', 'visits']) },
    { id: 'order', input: object({ sku: { type: 'string' } }, ['sku']), output: { type: 'object' } },
    { id: 'fetch', input: object({ url: { type: 'string' } }, ['url']), output: { type: 'object' } },
    { id: 'wrong-output', input: { type: 'object' }, output: object({ n: { type: 'integer' } }, ['n']) },
    { id: 'spin', input: { type: 'object' }, output: { type: 'object' } },
    { id: 'bloat', input: { type: 'object' }, output: { type: 'object' } },
  ],
};

const source = `
import { definePlugin } from ${sdk};
import manifest from '../plugin.json';
definePlugin(manifest as any, {
  actions: {
    async greet(input: { name: string }, ctx) {
      const seen = await ctx.store.get({ key: 'visits:' + input.name });
      const visits = (seen.found ? (seen.value as number) : 0) + 1;
      await ctx.store.set({ key: 'visits:' + input.name, value: visits });
      ctx.log.info({ message: 'greeted', fields: { visits } });
      return { text: ctx.config.greeting + ', ' + input.name, visits };
    },
    async order(input: { sku: string }, ctx) {
      const res = await ctx.http.fetch({ url: 'https://api.acme.test/orders', method: 'POST', body: JSON.stringify(input) });
      return { status: res.status, order: JSON.parse(res.body) };
    },
    async fetch(input: { url: string }, ctx) {
      return await ctx.http.fetch({ url: input.url });
    },
    'wrong-output': () => ({ n: 'one' }),
    spin: () => { for (;;) {} },
    bloat: () => { const a: string[] = []; for (;;) a.push('x'.repeat(1e5) + a.length); },
  },
  triggers: {
    'new-customer': (event: any) => (event.data.welcomeCode ? { customer: event.data.externalUserId } : null),
  },
});`;

describe('createTestHost', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let host: TestHost;

  beforeAll(async () => {
    const tmp = await freshTempDir('lianjie-testkit-');
    cleanup = tmp.remove;
    dir = tmp.file('kit');
    await mkdir(path.join(dir, 'src'), { recursive: true });
    await writeFile(path.join(dir, 'plugin.json'), JSON.stringify(manifest));
    await writeFile(path.join(dir, 'src', 'index.ts'), source);
    host = await createTestHost({
      plugin: dir,
      config: { greeting: 'Ni hao' },
      store: { 'visits:Li': 2 },
      http: { 'POST https://api.acme.test/orders': (request) => ({ status: 201, body: { id: 'o-1', sku: JSON.parse(request.body ?? '{}').sku } }) },
    });
  });
  afterAll(async () => {
    await host?.close();
    await cleanup?.();
  });

  it('runs an action with its config, the seeded store and the log, and records every capability call', async () => {
    expect(await host.runAction('greet', { name: 'Li' })).toEqual({ ok: true, output: { text: 'Ni hao, Li', visits: 3 } });
    expect(host.store.get('visits:Li')).toBe(3);
    expect(host.logs).toContainEqual({ level: 'info', message: 'greeted', fields: { visits: 3 } });
    expect(host.calls.map((c) => `${c.capability}.${c.method}`)).toEqual(['store.get', 'store.set', 'log.info']);
  });

  it('checks input and output against plugin.json, naming the field', async () => {
    const bad = await host.runAction('greet', { name: '' });
    expect(bad.ok === false && bad.failure).toMatchObject({ code: 'action.input_invalid', details: [{ pointer: '/name' }] });
    const wrong = await host.runAction('wrong-output', {});
    expect(wrong.ok === false && wrong.failure).toMatchObject({ code: 'action.output_invalid', details: [{ pointer: '/n', message: 'must be integer' }] });
    expect((await host.runAction('nope' as never, {})).ok === false).toBe(true);
  });

  it('answers http from the stubs, adds the Idempotency-Key inside a run, and refuses hosts plugin.json does not list', async () => {
    const ordered = await host.runAction('order', { sku: 'A1' }, { runId: 'run-1', idempotencyKey: 'run-1:order' });
    expect(ordered).toEqual({ ok: true, output: { status: 201, order: { id: 'o-1', sku: 'A1' } } });
    expect(host.requests.at(-1)?.headers['idempotency-key']).toBe('run-1:order#http.fetch#1');
    const elsewhere = await host.runAction('fetch', { url: 'https://evil.test/' });
    expect(elsewhere.ok === false && elsewhere.failure.code).toBe('http.host_not_allowed');
    const unstubbed = await host.runAction('fetch', { url: 'https://api.acme.test/missing' });
    expect(unstubbed.ok === false && unstubbed.failure).toMatchObject({ code: 'http.failed', message: expect.stringContaining('no stub answers it') });
  });

  it('runs a trigger on the canonical sample of its event', async () => {
    const event = sampleEvents['wecom.external_contact.add'];
    expect(event.type).toBe('wecom.external_contact.add');
    expect(await host.runTrigger('new-customer', event)).toEqual({ ok: true, output: { customer: 'woAJ2GCAAAXtWyujaWJHDDGi0mACH71w' } });
    // Without a welcome code there is nothing to start: null, not checked against the output schema.
    expect(await host.runTrigger('new-customer', { ...event, data: { ...event.data, welcomeCode: undefined } })).toEqual({ ok: true, output: null });
  });

  it('a plugin that loops or bloats fails its call with the sandbox code; the next call runs', async () => {
    const spin = await host.runAction('spin', {});
    expect(spin.ok === false && spin.failure.code).toMatch(/^sandbox\.(cpu_limit|timeout)$/);
    const bloat = await host.runAction('bloat', {});
    expect(bloat.ok === false && bloat.failure.code).toMatch(/^sandbox\.(memory_limit|crashed|cpu_limit|timeout)$/);
    expect((await host.runAction('greet', { name: 'Wang' })).ok).toBe(true);
  });

  it('a capability the install was not granted is capability.denied', async () => {
    const narrow = await createTestHost({ plugin: dir, grants: [] });
    try {
      const result = await narrow.runAction('greet', { name: 'Li' });
      expect(result.ok === false && result.failure).toMatchObject({ code: 'capability.denied', message: expect.stringContaining('"store" permission') });
    } finally {
      await narrow.close();
    }
  });

  it('a wecom method the install holds no permission for is a coded refusal, not a missing function', async () => {
    const other = path.join(path.dirname(dir), 'partial');
    await mkdir(path.join(other, 'src'), { recursive: true });
    await writeFile(path.join(other, 'plugin.json'), JSON.stringify({
      ...manifest, id: 'acme.partial', permissions: ['wecom.welcome.send'], http: undefined, triggers: [],
      actions: [{ id: 'tag', input: { type: 'object' }, output: { type: 'object' } }],
    }));
    await writeFile(path.join(other, 'src', 'index.ts'), `import { definePlugin } from ${sdk};
import manifest from '../plugin.json';
definePlugin(manifest as any, { actions: { tag: async (_input: unknown, ctx) => ctx.wecom.markTags({ userId: 'u', externalUserId: 'e', add: ['t'] }) } });`);
    const partial = await createTestHost({ plugin: other, wecom: { markTags: () => ({}) } });
    try {
      const result = await partial.runAction('tag', {});
      expect(result.ok === false && result.failure).toMatchObject({ code: 'capability.denied', message: 'ctx.wecom.markTags needs the "wecom.corp_tag.mark" permission, which plugin.json does not declare' });
    } finally {
      await partial.close();
    }
  });

  it('a plugin cannot rewrite a host failure it rethrows, even with a setter on Object.prototype', async () => {
    const other = path.join(path.dirname(dir), 'forger');
    await mkdir(path.join(other, 'src'), { recursive: true });
    await writeFile(path.join(other, 'plugin.json'), JSON.stringify({
      ...manifest, id: 'acme.forger', permissions: ['wecom.mass_message.send'], http: undefined, triggers: [],
      actions: [{ id: 'send', input: { type: 'object' }, output: { type: 'object' } }],
    }));
    await writeFile(path.join(other, 'src', 'index.ts'), `declare const lianjie: any;
Object.defineProperty(Object.prototype, 'retryAt', { set(this: any, _v: unknown) { this.code = 'capability.failed'; this.message = 'forged'; this.retryable = true; }, configurable: true });
lianjie.register({ actions: { send: async (_input: unknown, ctx: any) => { await ctx.wecom.sendMassMessage({ externalUserIds: ['wm-1'], text: 'hi' }); return {}; } } });`);
    const retryAt = '2026-12-01T00:00:00.000Z';
    const forger = await createTestHost({ plugin: other, wecom: { sendMassMessage: () => { throw { code: 'quota.exceeded', message: 'over', retryable: true, retryAt }; } } });
    try {
      expect(await forger.runAction('send', {})).toEqual({ ok: false, failure: { code: 'quota.exceeded', message: 'over', retryable: true, retryAt } });
    } finally {
      await forger.close();
    }
  });

  it('runs a config migration as the host runs it on an upgrade: no capabilities, its output checked as a config', async () => {
    const other = path.join(path.dirname(dir), 'migrating');
    await mkdir(path.join(other, 'src'), { recursive: true });
    await writeFile(path.join(other, 'plugin.json'), JSON.stringify({
      ...manifest, id: 'acme.migrating', version: '2.0.0', http: undefined, permissions: ['store'], triggers: [], actions: manifest.actions.slice(0, 1),
      config: object({ greeting: { type: 'string' }, times: { type: 'integer', default: 1 } }, ['greeting']),
      configMigrations: [{ from: 1, description: 'hello is now greeting' }],
    }));
    await writeFile(path.join(other, 'src', 'index.ts'), `import { definePlugin } from ${sdk};
import manifest from '../plugin.json';
definePlugin(manifest as any, {
  actions: { greet: (input: { name: string }, ctx) => ({ text: ctx.config.greeting + ', ' + input.name, visits: 0 }) },
  migrations: {
    1: async (old: any, ctx: any) => {
      if (old.peek) await ctx.store.get({ key: 'k' });
      if (old.hello === undefined) throw new Error('no hello');
      return { greeting: old.hello === 'bad' ? 7 : old.hello };
    },
  },
});`);
    const migrating = await createTestHost({ plugin: other, config: { greeting: 'Hi' } });
    try {
      expect(await migrating.migrateConfig(1, { hello: 'Ni hao' })).toEqual({ ok: true, output: { greeting: 'Ni hao', times: 1 } });
      const about = 'the config migration of acme.migrating@2.0.0 from major 1';
      expect(await migrating.migrateConfig(1, {})).toEqual({ ok: false, failure: { code: 'install.migration_failed', message: `${about} failed: Error: no hello (plugin.error)`, retryable: false } });
      expect(await migrating.migrateConfig(1, { hello: 'bad' })).toEqual({
        ok: false,
        failure: { code: 'install.migration_failed', message: `${about} answered a config this version refuses: /config/greeting must be string`, retryable: false, details: [{ pointer: '/config/greeting', message: 'must be string' }] },
      });
      const peek = await migrating.migrateConfig(1, { peek: true, hello: 'x' });
      expect(peek.ok === false && peek.failure.message).toBe(`${about} failed: ctx.store is not available while a config migration runs (capability.denied)`);
      const none = await migrating.migrateConfig(0, { hello: 'x' });
      expect(none.ok === false && none.failure).toMatchObject({ code: 'install.migration_failed', message: 'the config migration of acme.migrating@2.0.0 from major 0 does not exist: plugin.json declares none from that major' });
      expect(migrating.calls).toEqual([]);
    } finally {
      await migrating.close();
    }
    // A bundle without the migration plugin.json declares does not load.
    await writeFile(path.join(other, 'src', 'index.ts'), `import { definePlugin } from ${sdk};\n(globalThis as any).lianjie.register({ actions: { greet: () => ({}) } });`);
    await expect(createTestHost({ plugin: other, config: { greeting: 'Hi' } })).rejects.toThrow('migration "1" in plugin.json has no handler in the bundle');
  });

  it('refuses a config the schema does not accept and a bundle whose handlers do not match plugin.json', async () => {
    await expect(createTestHost({ plugin: dir, config: { greeting: 7 } })).rejects.toThrow('/greeting must be string');
    const other = path.join(path.dirname(dir), 'mismatch');
    await mkdir(path.join(other, 'src'), { recursive: true });
    await writeFile(path.join(other, 'plugin.json'), JSON.stringify({ ...manifest, triggers: [], actions: manifest.actions.slice(0, 1) }));
    await writeFile(path.join(other, 'src', 'index.ts'), `import { definePlugin } from ${sdk};\n(globalThis as any).lianjie.register({ actions: { greeet: () => ({}) } });`);
    await expect(createTestHost({ plugin: other })).rejects.toThrow('action "greet" in plugin.json has no handler in the bundle');
  });
});
