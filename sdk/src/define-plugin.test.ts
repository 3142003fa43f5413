// definePlugin outside a sandbox: ids and handlers must agree, and inside one it registers the handlers.
import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin } from './define-plugin.ts';
import type { PluginManifest } from './generated/plugin-manifest.ts';

const manifest = {
  id: 'acme.greeter', version: '1.0.0', engine: '^1', name: { en: 'Greeter' }, vendor: 'Acme', permissions: [],
  actions: [{ id: 'greet', input: { type: 'object' }, output: { type: 'object' } }, { id: 'wave', input: {}, output: {} }],
  triggers: [{ id: 'daily', kind: 'schedule', cron: '0 9 * * *', output: {} }],
} as PluginManifest;

afterEach(() => {
  delete (globalThis as { lianjie?: unknown }).lianjie;
});

describe('definePlugin', () => {
  it('answers the plugin, whose handlers a test can call directly', async () => {
    const plugin = definePlugin(manifest, {
      actions: { greet: (input: { name: string }) => ({ text: `Hello, ${input.name}` }), wave: () => ({}) },
      triggers: { daily: () => null },
    });
    expect(await plugin.actions.greet!({ name: 'Li' }, {} as never)).toEqual({ text: 'Hello, Li' });
    expect(plugin.manifest).toBe(manifest);
  });

  it('refuses handlers that do not match plugin.json, naming every mismatch', () => {
    expect(() => definePlugin(manifest, { actions: { greet: () => ({}), shout: () => ({}), wave: 'no' as never } })).toThrow(
      'acme.greeter: action handler "shout" has no action of that id in plugin.json; action handler "wave" is not a function; trigger "daily" in plugin.json has no handler',
    );
  });

  it('registers the handlers with the sandbox when it runs inside one', () => {
    const registered: { actions: object; triggers: object; migrations: object }[] = [];
    (globalThis as { lianjie?: unknown }).lianjie = { register: (plugin: (typeof registered)[number]) => registered.push(plugin) };
    const greet = () => ({});
    definePlugin(manifest, { actions: { greet, wave: greet }, triggers: { daily: () => null } });
    expect(registered).toHaveLength(1);
    expect(Object.keys(registered[0]!.actions)).toEqual(['greet', 'wave']);
    expect(Object.keys(registered[0]!.triggers)).toEqual(['daily']);
    expect(registered[0]!.migrations).toEqual({});
  });
});

describe('definePlugin with config migrations', () => {
  const v3 = { ...manifest, version: '3.0.0', configMigrations: [{ from: 1 }, { from: 2, description: 'renames hello' }] } as PluginManifest;
  const handlers = { actions: { greet: () => ({}), wave: () => ({}) }, triggers: { daily: () => null } };

  it('binds migrations by the major they come from, keyed by number or string, and registers them', async () => {
    const registered: { migrations: object }[] = [];
    (globalThis as { lianjie?: unknown }).lianjie = { register: (plugin: { migrations: object }) => registered.push(plugin) };
    const plugin = definePlugin(v3, { ...handlers, migrations: { 1: () => ({ greeting: 'Hi' }), '2': (old) => ({ greeting: (old as { hello: string }).hello }) } });
    expect(await plugin.migrations[2]!({ hello: 'Yo' }, { config: { hello: 'Yo' } })).toEqual({ greeting: 'Yo' });
    expect(Object.keys(registered[0]!.migrations)).toEqual(['1', '2']);
  });

  it('refuses migrations that do not match plugin.json, naming every mismatch', () => {
    expect(() => definePlugin(v3, { ...handlers, migrations: { 2: () => ({}), 3: () => ({}), '01': 'no' } as never })).toThrow(
      'acme.greeter: migration "1" in plugin.json has no handler; migration handler "3" has no configMigrations entry from that major in plugin.json; '
        + 'migration handler "01" has no configMigrations entry from that major in plugin.json; migration handler "01" is not a function',
    );
    expect(() => definePlugin(manifest, { ...handlers, migrations: { 0: () => ({}) } })).toThrow('migration handler "0" has no configMigrations entry from that major in plugin.json');
    expect(() => definePlugin(v3, handlers)).toThrow('acme.greeter: migration "1" in plugin.json has no handler; migration "2" in plugin.json has no handler');
  });
});
