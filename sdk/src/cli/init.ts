// `lianjie-plugin init <id>`: a new plugin project in ./<id>: plugin.json with one action, its handler, generated
// types, a tsconfig, a README, and a package.json pinning the Node the host runs (isolated-vm 7 needs Node 24).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readPluginDir } from './plugin-dir.ts';
import { writePluginTypes } from './types.ts';

const pluginId = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$/;

/** The SDK version a new project depends on: the one running. */
const sdkRange = '^0.1.0';

export async function initPlugin(id: string, parent: string): Promise<string> {
  if (!pluginId.test(id)) throw new Error(`"${id}" is not a plugin id: use a reverse-domain id such as acme.birthday-reminder`);
  const root = path.join(parent, id);
  if (existsSync(root)) throw new Error(`${root} already exists`);
  mkdirSync(path.join(root, 'src', 'actions'), { recursive: true });
  mkdirSync(path.join(root, 'test'));
  const write = (file: string, content: unknown) =>
    writeFileSync(path.join(root, file), typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  write('package.json', {
    name: id.replaceAll('.', '-'),
    version: '1.0.0',
    private: true,
    type: 'module',
    scripts: {
      types: 'lianjie-plugin types', build: 'lianjie-plugin build', validate: 'lianjie-plugin validate',
      test: 'lianjie-plugin test', pack: 'lianjie-plugin pack', typecheck: 'tsc --noEmit',
    },
    dependencies: { '@lianjie/sdk': sdkRange },
    // The host's Node: npm puts it first on the PATH of these scripts.
    devDependencies: { node: '24.21.0', typescript: '^5.9.0', '@types/node': '^24.0.0' },
  });
  write('plugin.json', {
    $schema: './node_modules/@lianjie/sdk/schemas/plugin-manifest.schema.json',
    id,
    version: '1.0.0',
    engine: '^1',
    name: { en: id },
    vendor: 'Your company',
    permissions: [],
    config: { type: 'object', additionalProperties: false, properties: { greeting: { type: 'string', default: 'Hello' } } },
    triggers: [],
    actions: [{
      id: 'hello',
      name: { en: 'Say hello' },
      input: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
      output: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: { type: 'string' } } },
    }],
  });
  write('tsconfig.json', {
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
      allowImportingTsExtensions: true, resolveJsonModule: true, types: ['node'],
    },
    include: ['src', 'test'],
  });
  write('src/index.ts', `import { definePlugin } from '@lianjie/sdk';
import manifest from '../plugin.json' with { type: 'json' };
import { hello } from './actions/hello.ts';
import type { PluginTypes } from './plugin-types.ts';

// One handler per action and trigger of plugin.json, each in a file of its own;
// \`lianjie-plugin types\` keeps PluginTypes in step with plugin.json.
export default definePlugin<PluginTypes>(manifest, {
  actions: { hello },
});
`);
  write('src/actions/hello.ts', `import type { ActionOf } from '@lianjie/sdk';
import type { PluginTypes } from '../plugin-types.ts';

export const hello: ActionOf<PluginTypes, 'hello'> = (input, ctx) => ({ text: \`\${ctx.config.greeting ?? 'Hello'}, \${input.name}\` });
`);
  write('test/hello.test.ts', `import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestHost, type TestHost } from '@lianjie/sdk/testing';
import type { PluginTypes } from '../src/plugin-types.ts';

// The plugin runs in the host's sandbox, with the host's checks: see @lianjie/sdk's README, "Testing a plugin".
let host: TestHost<PluginTypes>;
before(async () => {
  host = await createTestHost<PluginTypes>({ config: { greeting: 'Ni hao' } });
});
after(() => host.close());

test('hello greets by name with the configured greeting', async () => {
  assert.deepEqual(await host.runAction('hello', { name: 'Li' }), { ok: true, output: { text: 'Ni hao, Li' } });
});

test('hello refuses an empty name', async () => {
  const result = await host.runAction('hello', { name: '' });
  assert.equal(result.ok ? 'ok' : result.failure.code, 'action.input_invalid');
});
`);
  write('README.md', `# ${id}

A Lianjie plugin. \`npm install\`, then:

- \`npm run types\` after every change to plugin.json (writes src/plugin-types.ts)
- \`npm test\` runs test/*.test.ts: the plugin in the host's sandbox, with fake capabilities
- \`npm run build\` bundles src/index.ts into dist/plugin.js
- \`npm run validate\` checks plugin.json and the bundle
- \`npm run pack\` writes the tarball a host installs
- \`lianjie plugin invoke <this folder> hello --input '{"name":"Li"}'\` on a host runs the action in its sandbox
`);
  write('.gitignore', 'node_modules/\ndist/\n*.tgz\n');
  await writePluginTypes(readPluginDir(root));
  return root;
}
