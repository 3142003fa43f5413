// loadPluginDir: a plugin folder read into a LoadedPlugin, and the manifest or bundle at fault named when it cannot be.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTempDir, type TempDir } from '../../../test/support/tmp.ts';
import { loadPluginDir, maxManifestBytes } from './load.ts';
import { echoManifest, echoManifestText, manifestWith, rejection } from './plugins.test-support.ts';

const code = 'void 0;\n';
const sha = createHash('sha256').update(code).digest('hex');

let tmp: TempDir;
let n = 0;
beforeAll(async () => { tmp = await freshTempDir('lianjie-load-'); });
afterAll(async () => { await tmp.remove(); });

/** A fresh plugin folder: plugin.json with `manifest` (text as is), dist/plugin.js with `bundle` unless null. */
function pluginDir(manifest: unknown = echoManifestText, bundle: string | null = code): string {
  const dir = tmp.file(`p${n++}`);
  mkdirSync(path.join(dir, 'dist'), { recursive: true });
  if (manifest !== null) writeFileSync(path.join(dir, 'plugin.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  if (bundle !== null) writeFileSync(path.join(dir, 'dist', 'plugin.js'), bundle);
  return dir;
}

describe('loadPluginDir', () => {
  it('loads the echo fixture manifest with a bundle', async () => {
    const plugin = await loadPluginDir(pluginDir());
    expect(plugin.bundle).toEqual({ code, sha256: sha });
    expect(plugin.manifest.id).toBe('lianjie.echo');
    expect(plugin.manifest.actions[0]!.id).toBe('echo');
  });

  it('checks the sidecar and the expected hash', async () => {
    const dir = pluginDir();
    writeFileSync(path.join(dir, 'dist', 'plugin.js.sha256'), `${sha}  plugin.js\n`);
    expect((await loadPluginDir(dir, { expectedSha256: sha })).bundle.sha256).toBe(sha);
    const error = await rejection(loadPluginDir(dir, { expectedSha256: 'b'.repeat(64) }));
    expect(error.code).toBe('bundle.invalid');
    expect(error.message).toContain(sha);
    expect(error.message).toContain('b'.repeat(64));
  });

  it('accepts a plugin.json that starts with a BOM', async () => {
    expect((await loadPluginDir(pluginDir(`\uFEFF${echoManifestText}`))).manifest.version).toBe('1.0.0');
  });

  it('refuses a folder without plugin.json', async () => {
    const dir = pluginDir(null);
    const error = await rejection(loadPluginDir(dir));
    expect(error.code).toBe('manifest.invalid');
    expect(error.message).toBe(`cannot read the plugin manifest ${path.join(dir, 'plugin.json')}: no such file`);
  });

  it('refuses a plugin.json that is a folder', async () => {
    const dir = pluginDir(null);
    mkdirSync(path.join(dir, 'plugin.json'));
    expect((await rejection(loadPluginDir(dir))).message).toMatch(/plugin\.json: not a file$/);
  });

  it.each([
    ['{ "id": "lianjie.echo",\n  version: 1 }', 'is not valid JSON at line 2, column 3'],
    ['', 'is empty, not JSON'],
  ])('refuses a plugin.json that is not JSON: %j', async (text, reason) => {
    const dir = pluginDir(text);
    const error = await rejection(loadPluginDir(dir));
    expect(error.code).toBe('manifest.invalid');
    expect(error.message).toBe(`the plugin manifest ${path.join(dir, 'plugin.json')} ${reason}`);
  });

  it('refuses a plugin.json over the size limit before parsing it', async () => {
    const error = await rejection(loadPluginDir(pluginDir(' '.repeat(maxManifestBytes + 1))));
    expect(error.code).toBe('manifest.invalid');
    expect(error.message).toContain(`${maxManifestBytes + 1} bytes, more than the limit of ${maxManifestBytes}`);
  });

  it('refuses an invalid manifest with its details, naming the file, before looking at the bundle', async () => {
    const dir = pluginDir(manifestWith({ vendor: undefined, permissions: ['http'] }), null);
    const error = await rejection(loadPluginDir(dir));
    expect(error.code).toBe('manifest.invalid');
    expect(error.message).toBe(`${path.join(dir, 'plugin.json')}: invalid plugin manifest: /vendor is required; /http is required with the "http" permission: list the hosts the plugin may fetch in http.hosts`);
    expect(error.details.map((d) => d.pointer)).toEqual(['/vendor', '/http']);
  });

  it('refuses a manifest for another engine', async () => {
    const error = await rejection(loadPluginDir(pluginDir(manifestWith({ engine: '^2' }))));
    expect(error.code).toBe('engine.incompatible');
    expect(error.details).toEqual([{ pointer: '/engine', message: 'does not include engine 1.0.0' }]);
  });

  it('refuses a folder without dist/plugin.js, saying where and what builds it', async () => {
    const dir = pluginDir(echoManifest(), null);
    const error = await rejection(loadPluginDir(dir));
    expect(error.code).toBe('bundle.invalid');
    expect(error.message).toBe(`no bundle at ${path.join(dir, 'dist', 'plugin.js')}: \`lianjie-plugin build\` produces it`);
  });

  it('refuses a bundle whose sidecar disagrees', async () => {
    const dir = pluginDir();
    writeFileSync(path.join(dir, 'dist', 'plugin.js.sha256'), 'c'.repeat(64));
    const error = await rejection(loadPluginDir(dir));
    expect(error.code).toBe('bundle.invalid');
    expect(error.message).toContain(`has sha256 ${sha}, but`);
  });
});
