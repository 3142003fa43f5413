// loadInstalls: plugin directories built with esbuild, loaded for their tenants; every problem at its /installs pointer.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testManifest, writePluginDir } from '../../../test/support/plugins.ts';
import { freshTempDir, type TempDir } from '../../../test/support/tmp.ts';
import { parseConfig } from '../config/load.ts';
import { loadInstalls } from './installs.ts';
import { rejection } from './plugins.test-support.ts';

const source = `lianjie.register({ actions: { send: (input) => input } });`;
const greeter = testManifest('acme.greeter', ['send'], {
  permissions: ['store'],
  config: { type: 'object', properties: { greeting: { type: 'string', default: 'Hello' } }, additionalProperties: false },
});
const tagger = testManifest('acme.tagger', ['send'], { limits: { memoryMb: 128 } });

let tmp: TempDir;
let root: string;
beforeAll(async () => {
  tmp = await freshTempDir('lianjie-installs-');
  root = tmp.path;
  await writePluginDir(path.join(root, 'plugins', 'greeter'), greeter, source);
  await writePluginDir(path.join(root, 'plugins', 'tagger'), tagger, source);
});
afterAll(async () => { await tmp.remove(); });

const tenants = [{ id: 'acme', corpId: 'ww1' }, { id: 'beta', corpId: 'ww2' }];
const configWith = (installs: unknown[], extra: Record<string, unknown> = {}) => parseConfig({ database: 'x.db', tenants, installs, ...extra }, {});

describe('loadInstalls', () => {
  it('loads each plugin directory relative to the config\'s folder, with its tenant, grants and config (defaults applied)', async () => {
    const installs = await loadInstalls(configWith([
      { id: 'acme-greeter', tenant: 'acme', plugin: 'plugins/greeter', grants: ['store'] },
      { id: 'beta-greeter', tenant: 'beta', plugin: './plugins/greeter/', config: { greeting: '你好' } },
      { id: 'acme-tagger', tenant: 'acme', plugin: path.join(root, 'plugins', 'tagger') },
    ]), root);
    expect(installs.map((i) => [i.id, i.tenantId, i.plugin.manifest.id, i.grants, i.config])).toEqual([
      ['acme-greeter', 'acme', 'acme.greeter', ['store'], { greeting: 'Hello' }],
      ['beta-greeter', 'beta', 'acme.greeter', [], { greeting: '你好' }],
      ['acme-tagger', 'acme', 'acme.tagger', [], {}],
    ]);
    expect(installs[0]!.plugin.bundle.code).toContain('lianjie.register');
  });

  it('checks the bundle against sha256, in either case', async () => {
    const [install] = await loadInstalls(configWith([{ id: 'g', tenant: 'acme', plugin: 'plugins/greeter' }]), root);
    const sha = install!.plugin.bundle.sha256;
    const [again] = await loadInstalls(configWith([{ id: 'g', tenant: 'acme', plugin: 'plugins/greeter', sha256: sha.toUpperCase() }]), root);
    expect(again!.plugin.bundle.sha256).toBe(sha);
    const error = await rejection(loadInstalls(configWith([{ id: 'g', tenant: 'acme', plugin: 'plugins/greeter', sha256: 'a'.repeat(64) }]), root));
    expect(error.code).toBe('config.invalid');
    expect(error.details).toEqual([{ pointer: '/installs/0/sha256', message: `the plugin's bundle has sha256 ${sha}` }]);
  });

  it('reports every problem of every install at once, each at its pointer', async () => {
    const error = await rejection(loadInstalls(configWith([
      { id: 'a', tenant: 'acme', plugin: 'plugins/greeter', grants: ['store', 'http'], config: { colour: 'red' } },
      { id: 'b', tenant: 'acme', plugin: 'plugins/missing' },
      { id: 'c', tenant: 'beta', plugin: 'plugins/tagger', grants: ['store'] },
    ]), root));
    expect(error.code).toBe('config.invalid');
    expect(error.details).toEqual([
      { pointer: '/installs/0/grants/1', message: '"http" is not a permission acme.greeter declares (it declares: store)' },
      { pointer: '/installs/0/config/colour', message: 'is not an allowed key here' },
      { pointer: '/installs/1/plugin', message: `manifest.invalid: cannot read the plugin manifest ${path.join(root, 'plugins', 'missing', 'plugin.json')}: no such file` },
      { pointer: '/installs/2/grants/0', message: '"store" is not a permission acme.tagger declares (it declares: none)' },
    ]);
    expect(error.message).toMatch(/^invalid config: \/installs\/0\/grants\/1 .*; and 1 more$/);
  });

  it('refuses a plugin that asks for more than the host\'s sandbox maxima', async () => {
    const config = configWith([{ id: 't', tenant: 'acme', plugin: 'plugins/tagger' }], { sandbox: { maxima: { memoryMb: 64 } } });
    const error = await rejection(loadInstalls(config, root));
    expect(error.details).toEqual([{ pointer: '/installs/0/plugin', message: expect.stringMatching(/^manifest\.invalid: plugin acme\.tagger@1\.0\.0 asks for more than this host allows: \/limits\/memoryMb asks for 128; this host allows at most 64$/) }]);
  });

  it('refuses a plugin installed twice for one tenant, whose actions a workflow could not tell apart', async () => {
    const error = await rejection(loadInstalls(configWith([
      { id: 'one', tenant: 'acme', plugin: 'plugins/greeter' },
      { id: 'two', tenant: 'beta', plugin: 'plugins/greeter' },
      { id: 'three', tenant: 'acme', plugin: 'plugins/greeter' },
    ]), root));
    expect(error.details).toEqual([{ pointer: '/installs/2/plugin', message: 'acme.greeter is already installed for tenant "acme" at /installs/0' }]);
  });

  it('loads nothing from a config without installs', async () => {
    expect(await loadInstalls(parseConfig({ database: 'x.db' }, {}), root)).toEqual([]);
  });
});
