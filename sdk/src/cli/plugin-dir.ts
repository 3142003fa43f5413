// A plugin project as the CLI sees it: plugin.json at its root, sources in src/, the bundle in dist/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PluginManifest } from '../generated/plugin-manifest.ts';

export interface PluginDir {
  root: string;
  manifest: PluginManifest;
}

/** Reads `<root>/plugin.json`; throws a one-line reason when it is missing or not JSON. */
export function readPluginDir(root: string): PluginDir {
  const file = path.join(root, 'plugin.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`no plugin.json in ${root}`);
  }
  try {
    return { root, manifest: JSON.parse(text) as PluginManifest };
  } catch {
    throw new Error(`${file} is not JSON`);
  }
}
