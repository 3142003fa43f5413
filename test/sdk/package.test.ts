// @lianjie/sdk as an ISV gets it: packed by npm (which builds it), installed from the tarball into a project outside
// the workspace, type-checked there by TypeScript and run by Node. `npm publish --dry-run` accepts it, and the tarball
// holds the built files and the schemas `lianjie-plugin validate` checks against, nothing else.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTempDir, type TempDir } from '../support/tmp.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const sdk = path.join(repo, 'sdk');
const bin = path.join(repo, 'node_modules/.bin');
// npm runs the package's scripts (tsc) with the workspace's tools; the pinned Node runs everything.
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}:${bin}:${process.env.PATH}` };
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('the @lianjie/sdk package', () => {
  let tmp: TempDir;
  let tarball: string;
  beforeAll(async () => {
    tmp = await freshTempDir('lianjie-sdk-pack-');
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp.file('')], sdk)) as { filename: string; files: { path: string }[] }[];
    tarball = tmp.file(packed[0]!.filename);
  }, 120_000);
  afterAll(() => tmp?.remove());

  it('packs the built module, its declarations and README, and nothing else', () => {
    const listed = JSON.parse(npm(['pack', '--dry-run', '--json'], sdk)) as { files: { path: string }[] }[];
    const files = listed[0]!.files.map((f) => f.path);
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('README.md');
    expect(files.filter((f) => !f.startsWith('dist/') && !f.startsWith('schemas/') && f !== 'README.md' && f !== 'package.json')).toEqual([]);
    expect(files).toContain('schemas/plugin-manifest.schema.json');
    expect(files).toContain('dist/cli/main.js');
    expect(files.filter((f) => /\.test(-d)?\.|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files).toContain('dist/runtime/guest-bridge.js');
    expect(files).toContain('dist/testing/index.js');
    npm(['publish', '--dry-run'], sdk);
  }, 120_000);

  it('installs outside the workspace, type-checks in a plugin project and runs there', () => {
    const project = tmp.file('isv');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'isv-plugin', private: true, type: 'module' }));
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], project);
    writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false },
      include: ['plugin.ts'],
    }));
    writeFileSync(path.join(project, 'plugin.ts'), `
      import { definePlugin, type PluginManifest } from '@lianjie/sdk';
      const manifest = { id: 'isv.hello', version: '1.0.0', engine: '^1', name: { en: 'Hello' }, vendor: 'ISV', permissions: [], triggers: [],
        actions: [{ id: 'hello', input: { type: 'object' }, output: { type: 'object' } }] } as PluginManifest;
      interface Types { actions: { hello: { input: { name: string }; output: { text: string } } }; triggers: {}; config: {} }
      export const plugin = definePlugin<Types>(manifest, { actions: { hello: (input) => ({ text: 'Hello, ' + input.name }) } });
    `);
    execFileSync(path.join(bin, 'tsc'), ['-p', project], { env, encoding: 'utf8' });
    writeFileSync(path.join(project, 'run.mjs'), `
      import { definePlugin } from '@lianjie/sdk';
      const manifest = { id: 'isv.hello', actions: [{ id: 'hello' }], triggers: [] };
      const plugin = definePlugin(manifest, { actions: { hello: (input) => ({ text: 'Hello, ' + input.name }) } });
      console.log(JSON.stringify(await plugin.actions.hello({ name: 'Li' })));
    `);
    expect(execFileSync(process.execPath, ['run.mjs'], { cwd: project, env, encoding: 'utf8' }).trim()).toBe('{"text":"Hello, Li"}');
    // The CLI comes with it, built to JavaScript.
    expect(execFileSync(path.join(project, 'node_modules/.bin/lianjie-plugin'), ['--help'], { cwd: project, env, encoding: 'utf8' })).toContain('usage: lianjie-plugin');
  }, 120_000);

  it('takes a new ISV from init to an action running in a host: init, write an action, types, test, build, validate, pack, publish, plugin invoke', () => {
    const tool = (project: string, args: string[]) => execFileSync(path.join(project, 'node_modules/.bin/lianjie-plugin'), args, { cwd: project, env, encoding: 'utf8' });
    const isv = tmp.file('isv');
    expect(execFileSync(path.join(isv, 'node_modules/.bin/lianjie-plugin'), ['init', 'acme.hello'], { cwd: tmp.file(''), env, encoding: 'utf8' }))
      .toContain('created acme.hello: plugin.json, src/index.ts');
    const project = tmp.file('acme.hello');
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=dev', tarball], project);

    // The ISV writes a second action: its schemas in plugin.json, its handler in a file of its own, a test.
    const manifestFile = path.join(project, 'plugin.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { actions: unknown[] };
    manifest.actions.push({
      id: 'shout', name: { en: 'Shout' },
      input: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: { type: 'string' }, times: { type: 'integer', minimum: 1, default: 1 } } },
      output: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: { type: 'string' } } },
    });
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
    expect(tool(project, ['types'])).toContain('wrote src/plugin-types.ts');
    expect(readFileSync(path.join(project, 'src/plugin-types.ts'), 'utf8')).toContain('shout');
    writeFileSync(path.join(project, 'src/actions/shout.ts'), `import type { ActionOf } from '@lianjie/sdk';
import type { PluginTypes } from '../plugin-types.ts';
export const shout: ActionOf<PluginTypes, 'shout'> = (input) => ({ text: (input.text.toUpperCase() + '!').repeat(input.times ?? 1) });
`);
    const index = path.join(project, 'src/index.ts');
    writeFileSync(index, readFileSync(index, 'utf8').replace("import { hello } from './actions/hello.ts';", "import { hello } from './actions/hello.ts';\nimport { shout } from './actions/shout.ts';").replace('actions: { hello }', 'actions: { hello, shout }'));
    writeFileSync(path.join(project, 'test/shout.test.ts'), `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestHost } from '@lianjie/sdk/testing';
test('shout shouts, once by default', async () => {
  const host = await createTestHost();
  try {
    assert.deepEqual(await host.runAction('shout', { text: 'hi' }), { ok: true, output: { text: 'HI!' } });
    assert.deepEqual(await host.runAction('shout', { text: 'hi', times: 2 }), { ok: true, output: { text: 'HI!HI!' } });
  } finally {
    await host.close();
  }
});
`);
    const tested = tool(project, ['test']);
    expect(tested).toContain('testing acme.hello@1.0.0: 2 files');
    expect(tested).toMatch(/pass 3\b/);
    expect(tested).toMatch(/fail 0\b/);

    // A failing test fails the command.
    writeFileSync(path.join(project, 'test/broken.test.ts'), `import { test } from 'node:test';\ntest('fails', () => { throw new Error('no'); });\n`);
    expect(() => tool(project, ['test'])).toThrow();
    rmSync(path.join(project, 'test/broken.test.ts'));

    expect(tool(project, ['build'])).toMatch(/wrote dist\/plugin\.js/);
    expect(tool(project, ['validate']).trim()).toBe('ok: acme.hello@1.0.0 (2 actions, 0 triggers)');
    expect(tool(project, ['pack'])).toContain('wrote acme.hello-1.0.0.tgz (plugin.json, dist/plugin.js, dist/plugin.js.sha256, README.md)');
    expect(tool(project, ['publish', '--to', tmp.file('host-plugins')])).toContain('published acme.hello@1.0.0');
    const invoke = (action: string, input: unknown) => JSON.parse(execFileSync(process.execPath, [
      '--no-node-snapshot', path.join(repo, 'core/src/cli/main.ts'), 'plugin', 'invoke', tmp.file('host-plugins/acme.hello@1.0.0'), action, '--input', JSON.stringify(input),
    ], { cwd: project, env, encoding: 'utf8' })) as unknown;
    expect(invoke('hello', { name: 'Li' })).toEqual({ ok: true, output: { text: 'Hello, Li' } });
    expect(invoke('shout', { text: 'hi' })).toEqual({ ok: true, output: { text: 'HI!' } });
  }, 240_000);
});
