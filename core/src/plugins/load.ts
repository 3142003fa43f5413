// loadPluginDir: a plugin folder (plugin.json and dist/plugin.js) read, checked and hashed into a LoadedPlugin.
import path from 'node:path';
import { isLianjieError, LianjieError } from '../errors.ts';
import type { PluginManifest } from '../../../sdk/src/generated/plugin-manifest.ts';
import { jsonErrorWhere } from '../json-error.ts';
import { readBundle } from './bundle.ts';
import { parseManifest } from './manifest.ts';
import { readCapped } from './read-capped.ts';
import type { LoadedPlugin } from './types.ts';

// A manifest is a few kilobytes; the cap keeps a hostile one from being parsed at all.
export const maxManifestBytes = 1024 * 1024;

export interface LoadOptions {
  /** The bundle's sha256 as recorded elsewhere (a published version); the bundle must match it. */
  expectedSha256?: string;
}

/** Throws manifest.invalid, engine.incompatible or bundle.invalid, each message naming the file at fault. */
export async function loadPluginDir(dir: string, options: LoadOptions = {}): Promise<LoadedPlugin> {
  const manifest = await readManifest(path.join(dir, 'plugin.json'));
  const bundle = await readBundle(path.join(dir, 'dist', 'plugin.js'), options);
  return { manifest, bundle };
}

async function readManifest(file: string): Promise<PluginManifest> {
  const read = await readCapped(file, maxManifestBytes);
  if (!read.ok) {
    const reason = { missing: 'no such file', not_a_file: 'not a file', too_large: `${read.size} bytes, more than the limit of ${maxManifestBytes}`, unreadable: read.errorCode }[read.reason];
    throw new LianjieError('manifest.invalid', `cannot read the plugin manifest ${file}: ${reason}`);
  }
  // Some editors start a UTF-8 file with a BOM, which JSON.parse refuses.
  const text = read.bytes.toString('utf8').replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LianjieError('manifest.invalid', `the plugin manifest ${file} is ${jsonErrorWhere(text, error)}`);
  }
  try {
    return parseManifest(value);
  } catch (error) {
    if (!isLianjieError(error)) throw error;
    throw new LianjieError(error.code, `${file}: ${error.message}`, error.details, { cause: error });
  }
}
