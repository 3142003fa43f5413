// Plugin packages as a vendor makes them: a copy of an example plugin at a chosen version, built and packed with
// the SDK (`lianjie-plugin build`, `pack`), as the tarball's base64 for POST /api/v1/plugins.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildPlugin } from '../../sdk/src/cli/build.ts';
import { packPlugin } from '../../sdk/src/cli/pack.ts';
import { readPluginDir } from '../../sdk/src/cli/plugin-dir.ts';

const greeter = path.resolve(import.meta.dirname, '../../examples/plugins/greeter');

/** The project folder of examples.greeter at `version` (built), for the CLI; remove it with `rmSync` when done. */
export async function greeterProject(version: string, change: (manifest: Record<string, unknown>) => void = () => {}): Promise<string> {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'lianjie-package-')), 'greeter');
  cpSync(greeter, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(dir, 'plugin.json'), 'utf8')) as Record<string, unknown>;
  manifest.version = version;
  change(manifest);
  writeFileSync(path.join(dir, 'plugin.json'), JSON.stringify(manifest, null, 2));
  await buildPlugin(readPluginDir(dir));
  return dir;
}

/** The packed tarball of examples.greeter at `version`, base64. */
export async function greeterTarball(version: string): Promise<string> {
  const dir = await greeterProject(version);
  try {
    const packed = await packPlugin(readPluginDir(dir));
    if (!packed.ok) throw new Error(JSON.stringify(packed.problems));
    return readFileSync(packed.file).toString('base64');
  } finally {
    rmSync(path.dirname(dir), { recursive: true, force: true });
  }
}
