// `lianjie-plugin build`: bundles src/index.ts into dist/plugin.js, one self-contained script the host loads into a
// sandbox (no imports; plugin.json inlined where the source imports it), with a source map and the bundle's sha256.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { PluginDir } from './plugin-dir.ts';

export interface BuildResult {
  bundle: string;
  bytes: number;
  sha256: string;
}

export async function buildPlugin(dir: PluginDir): Promise<BuildResult> {
  const bundle = path.join(dir.root, 'dist', 'plugin.js');
  const result = await build({
    entryPoints: [path.join(dir.root, 'src', 'index.ts')],
    outfile: bundle,
    bundle: true,
    format: 'iife',
    // The sandbox has no Node and no browser: only plain ECMAScript.
    platform: 'neutral',
    target: 'es2022',
    sourcemap: 'linked',
    logLevel: 'silent',
  }).catch((error: { errors?: { text: string; location?: { file: string; line: number } | null }[] }) => {
    const first = error.errors?.[0];
    throw new Error(first ? `build failed: ${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}` : `build failed: ${String(error)}`);
  });
  void result;
  const code = readFileSync(bundle);
  const sha256 = createHash('sha256').update(code).digest('hex');
  // The host checks the bundle against this file when it is present (core's loadPluginDir).
  writeFileSync(`${bundle}.sha256`, `${sha256}\n`);
  return { bundle, bytes: code.length, sha256 };
}
