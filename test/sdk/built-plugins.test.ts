// Every plugin the repository ships (examples/plugins/*, plugins/*) is an SDK project: its committed bundle is what
// `lianjie-plugin build` makes of its sources today, and its handler types are what `lianjie-plugin types` writes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundlePlugin } from '../../sdk/src/cli/build.ts';
import { readPluginDir } from '../../sdk/src/cli/plugin-dir.ts';
import { renderPluginTypes } from '../../sdk/src/cli/types.ts';
import { validatePlugin } from '../../sdk/src/cli/validate.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const folders = ['examples/plugins', 'plugins']
  .filter((parent) => existsSync(path.join(repo, parent)))
  .flatMap((parent) => readdirSync(path.join(repo, parent)).map((name) => path.join(parent, name)))
  .filter((dir) => existsSync(path.join(repo, dir, 'plugin.json')));

describe('the plugins in the repository are built with the SDK', () => {
  it('finds them', () => {
    expect(folders).toContain(path.join('examples/plugins', 'greeter'));
  });

  it.each(folders)('%s: sources, a fresh bundle, fresh types, and a valid manifest', async (dir) => {
    const root = path.join(repo, dir);
    expect(existsSync(path.join(root, 'src/index.ts')), 'src/index.ts').toBe(true);
    const built = await bundlePlugin(root);
    const hint = `stale: run \`node sdk/src/cli/main.ts build ${dir}\``;
    expect(readFileSync(path.join(root, 'dist/plugin.js'), 'utf8'), hint).toBe(built.code);
    expect(readFileSync(path.join(root, 'dist/plugin.js.sha256'), 'utf8').trim(), hint).toBe(built.sha256);
    const plugin = readPluginDir(root);
    expect(readFileSync(path.join(root, 'src/plugin-types.ts'), 'utf8'), `stale: run \`node sdk/src/cli/main.ts types ${dir}\``).toBe(await renderPluginTypes(plugin));
    expect(validatePlugin(plugin)).toEqual([]);
  });
});
