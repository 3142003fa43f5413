// `lianjie-plugin publish --to <dir>`: the packed plugin unpacked into a plugins directory a host loads
// (`installs[].plugin` in its config names `<dir>/<id>@<version>`). A published version is never overwritten.
// Publishing to a host's marketplace (`--server`, `--token`) comes with the marketplace API.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { extract } from 'tar';
import { packPlugin, type PackResult } from './pack.ts';
import type { PluginDir } from './plugin-dir.ts';

export type PublishResult = { ok: true; target: string } | Extract<PackResult, { ok: false }>;

export async function publishPlugin(dir: PluginDir, pluginsDir: string): Promise<PublishResult> {
  const target = path.join(pluginsDir, `${dir.manifest.id}@${dir.manifest.version}`);
  if (existsSync(target)) throw new Error(`${target} already exists: a published version is never replaced; raise the version in plugin.json`);
  const packed = await packPlugin(dir);
  if (!packed.ok) return packed;
  mkdirSync(target, { recursive: true });
  await extract({ file: packed.file, cwd: target });
  return { ok: true, target };
}
