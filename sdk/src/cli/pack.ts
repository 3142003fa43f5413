// `lianjie-plugin pack`: the plugin as one tarball a host or a marketplace takes in: plugin.json, the bundle, its
// sha256 and the README. Only a plugin that validates is packed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { create } from 'tar';
import type { PluginDir } from './plugin-dir.ts';
import { validatePlugin, type Problem } from './validate.ts';

export type PackResult = { ok: true; file: string; files: string[] } | { ok: false; problems: Problem[] };

export async function packPlugin(dir: PluginDir): Promise<PackResult> {
  const problems = validatePlugin(dir);
  if (problems.length > 0) return { ok: false, problems };
  const files = ['plugin.json', 'dist/plugin.js', 'dist/plugin.js.sha256', 'README.md'].filter((f) => existsSync(path.join(dir.root, f)));
  if (!files.includes('dist/plugin.js.sha256')) {
    return { ok: false, problems: [{ pointer: '/dist/plugin.js.sha256', message: 'is missing: run lianjie-plugin build' }] };
  }
  const file = path.join(dir.root, `${dir.manifest.id}-${dir.manifest.version}.tgz`);
  // Fixed times and owners: packing the same files twice gives the same bytes.
  await create({ gzip: true, file, cwd: dir.root, portable: true, mtime: new Date(0) }, files);
  return { ok: true, file, files };
}
