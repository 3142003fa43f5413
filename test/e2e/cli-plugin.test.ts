// `lianjie plugin invoke` as a real process: a plugin directory built with esbuild, run in the sandbox, result on stdout.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { folder, repo, run, useCliSandbox, writeConfig } from '../support/cli.ts';
import { writePluginDir } from '../support/plugins.ts';

useCliSandbox();

const manifest = {
  id: 'acme.greeter', version: '1.0.0', engine: '^1', name: { en: 'Greeter', zh: '问候' }, vendor: 'Acme', permissions: ['store'], triggers: [],
  config: { type: 'object', properties: { greeting: { type: 'string', default: 'Hello' } }, additionalProperties: false },
  actions: [{
    id: 'greet',
    input: { type: 'object', properties: { name: { type: 'string', minLength: 1 } }, required: ['name'], additionalProperties: false },
    output: { type: 'object', properties: { text: { type: 'string' }, visits: { type: 'integer' } }, required: ['text', 'visits'] },
  }],
};

const source = `
declare const lianjie: { register(plugin: unknown): void };
interface Ctx { config: { greeting: string }; store: { get(a: { key: string }): Promise<{ value: unknown }>; set(a: { key: string; value: unknown }): Promise<unknown> } }
lianjie.register({
  actions: {
    async greet(input: { name: string }, ctx: Ctx) {
      const seen = await ctx.store.get({ key: 'visits:' + input.name });
      const visits = typeof seen.value === 'number' ? seen.value + 1 : 1;
      await ctx.store.set({ key: 'visits:' + input.name, value: visits });
      return { text: ctx.config.greeting + ', ' + input.name, visits };
    },
  },
});
`;

let cwd: string;
let pluginDir: string;

beforeAll(async () => {
  cwd = folder('plugin-invoke');
  pluginDir = path.join(cwd, 'greeter');
  await writePluginDir(pluginDir, manifest, source);
  writeConfig(cwd, { database: `file:${path.join(cwd, 'host.db')}` });
});

const invoke = (...args: string[]) => run(['plugin', 'invoke', pluginDir, ...args], { cwd });

describe('lianjie plugin invoke', () => {
  it('runs the action in the sandbox with its config and store, printing the result', async () => {
    const first = await invoke('greet', '--input', '{"name":"Li"}', '--grant', 'store', '--config-json', '{"greeting":"你好"}');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ ok: true, output: { text: '你好, Li', visits: 1 } });
    const second = await invoke('greet', '--input', '{"name":"Li"}', '--grant', 'store');
    expect(JSON.parse(second.stdout)).toEqual({ ok: true, output: { text: 'Hello, Li', visits: 2 } });
  });

  it('prints coded failures as JSON and exits 1', async () => {
    const denied = await invoke('greet', '--input', '{"name":"Li"}');
    expect(denied.code).toBe(1);
    expect(JSON.parse(denied.stdout).failure).toMatchObject({ code: 'capability.denied', message: expect.stringContaining('"store" permission') });
    const invalid = await invoke('greet', '--input', '{"name":""}', '--grant', 'store');
    expect(JSON.parse(invalid.stdout).failure).toMatchObject({ code: 'action.input_invalid', details: [{ pointer: '/name' }] });
    const missing = await invoke('wave', '--input', '{}');
    expect(JSON.parse(missing.stdout).failure.code).toBe('action.not_found');
  });

  it('refuses bad arguments and broken plugins with one line on stderr', async () => {
    const grant = await invoke('greet', '--grant', 'http');
    expect(grant).toMatchObject({ code: 1, stdout: '' });
    expect(grant.stderr.trim()).toBe('lianjie: --grant http: plugin.json does not declare this permission (it declares: store)');
    const json = await invoke('greet', '--input', '{name}');
    expect(json.stderr).toMatch(/^lianjie: --input is not JSON/);
    const config = await invoke('greet', '--config-json', '{"colour":"red"}');
    expect(config.stderr).toMatch(/^lianjie: install\.config_invalid: .*\/config\/colour/);
    writeFileSync(path.join(pluginDir, 'dist', 'plugin.js.sha256'), '0'.repeat(64));
    const tampered = await invoke('greet', '--input', '{"name":"Li"}');
    expect(tampered.stderr).toMatch(/^lianjie: bundle\.invalid: /);
    expect(tampered.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('the example plugin in examples/plugins/greeter', () => {
  it('runs as its README says, and counts visits in the install store', async () => {
    const example = path.join(repo, 'examples/plugins/greeter');
    const dir = folder('greeter-example');
    writeConfig(dir, { database: `file:${path.join(dir, 'host.db')}` });
    const greet = (...extra: string[]) => run(['plugin', 'invoke', example, 'greet', '--input', '{"name":"Li"}', ...extra], { cwd: dir });
    expect(JSON.parse((await greet('--grant', 'store')).stdout)).toEqual({ ok: true, output: { text: 'Hello, Li', visits: 1 } });
    expect(JSON.parse((await greet('--grant', 'store', '--config-json', '{"greeting":"你好"}')).stdout)).toEqual({ ok: true, output: { text: '你好, Li', visits: 2 } });
    expect(JSON.parse((await greet()).stdout).failure.code).toBe('capability.denied');
  });
});
