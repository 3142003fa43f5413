// `lianjie-plugin build`: bundles src/index.ts into dist/plugin.js, one self-contained script the host loads into a
// sandbox (no imports; plugin.json inlined where the source imports it), with a source map and the bundle's sha256.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { PluginDir } from './plugin-dir.ts';

export interface BuildResult {
  bundle: string;
  bytes: number;
  sha256: string;
}

export interface Bundle {
  code: string;
  map: string;
  sha256: string;
}

// `@lianjie/sdk` in a plugin's source is this SDK, the one building it: `.ts` in the repository, `.js` when installed.
const sdkEntry = fileURLToPath(new URL(`../index${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));

/** The bundle of `<root>/src/index.ts`, in memory: what `build` writes, and what the test kit runs. */
export async function bundlePlugin(root: string): Promise<Bundle> {
  const outfile = path.join(root, 'dist', 'plugin.js');
  const result = await build({
    // Paths in the bundle's comments and source map are relative to the project: the same bytes wherever it is built.
    absWorkingDir: root,
    entryPoints: [path.join(root, 'src', 'index.ts')],
    outfile,
    bundle: true,
    format: 'iife',
    // The sandbox has no Node and no browser: only plain ECMAScript.
    platform: 'neutral',
    target: 'es2022',
    sourcemap: 'linked',
    alias: { '@lianjie/sdk': sdkEntry },
    write: false,
    logLevel: 'silent',
  }).catch((error: { errors?: { text: string; location?: { file: string; line: number } | null }[] }) => {
    const first = error.errors?.[0];
    throw new Error(first ? `build failed: ${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}` : `build failed: ${String(error)}`);
  });
  const code = result.outputFiles.find((file) => file.path === outfile)?.text ?? '';
  const map = result.outputFiles.find((file) => file.path === `${outfile}.map`)?.text ?? '';
  return { code, map, sha256: createHash('sha256').update(code).digest('hex') };
}

export async function buildPlugin(dir: PluginDir): Promise<BuildResult> {
  const bundle = path.join(dir.root, 'dist', 'plugin.js');
  const { code, map, sha256 } = await bundlePlugin(dir.root);
  mkdirSync(path.dirname(bundle), { recursive: true });
  writeFileSync(bundle, code);
  writeFileSync(`${bundle}.map`, map);
  // The host checks the bundle against this file when it is present (core's loadPluginDir).
  writeFileSync(`${bundle}.sha256`, `${sha256}\n`);
  return { bundle, bytes: Buffer.byteLength(code), sha256 };
}
