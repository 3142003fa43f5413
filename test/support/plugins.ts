// Plugins for tests: a manifest plus handler source, loaded in memory or written and built on disk.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { parseManifest } from '../../core/src/plugins/manifest.ts';
import type { Install, LoadedPlugin } from '../../core/src/plugins/types.ts';

const anyObject = { type: 'object' };

/** A valid manifest with the given actions (id → options); every action takes and returns any object. */
export function testManifest(id: string, actions: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id, version: '1.0.0', engine: '^1', name: { en: id }, vendor: 'Tests', permissions: [], triggers: [],
    actions: actions.map((a) => ({ id: a, input: anyObject, output: {} })),
    ...extra,
  };
}

/** A loaded plugin whose bundle is `code` as written (it must call `lianjie.register`). */
export function inlinePlugin(manifest: Record<string, unknown>, code: string): LoadedPlugin {
  return { manifest: parseManifest(manifest), bundle: { code, sha256: createHash('sha256').update(code).digest('hex') } };
}

let installs = 0;
/** An install of `plugin` for `tenantId`, granted `grants`. */
export function testInstall(plugin: LoadedPlugin, tenantId: string, grants: string[] = [], config: Record<string, unknown> = {}): Install {
  return { id: `inst-${++installs}`, tenantId, plugin, grants, config };
}

/** Writes plugin.json and src/index.ts into `dir` and bundles them with esbuild to dist/plugin.js, as the SDK will. */
export async function writePluginDir(dir: string, manifest: Record<string, unknown>, source: string): Promise<void> {
  await mkdir(path.join(dir, 'src'), { recursive: true });
  await writeFile(path.join(dir, 'plugin.json'), JSON.stringify(manifest, null, 2));
  await writeFile(path.join(dir, 'src', 'index.ts'), source);
  await build({
    entryPoints: [path.join(dir, 'src', 'index.ts')],
    outfile: path.join(dir, 'dist', 'plugin.js'),
    bundle: true, format: 'iife', platform: 'neutral', target: 'es2022', logLevel: 'silent',
  });
}
