// A plugin package as `lianjie-plugin pack` makes it (a gzipped tar of plugin.json, dist/plugin.js, its sha256 and
// README.md), read in memory with the host's own checks: the manifest as the host parses it, the bundle against its
// checksum, sizes capped. Nothing is written to disk.
import { createHash } from 'node:crypto';
import { Parser, type ReadEntry } from 'tar';
import { LianjieError } from '../errors.ts';
import type { PluginManifest } from '../generated/plugin-manifest.ts';
import { maxBundleBytes } from './bundle.ts';
import { parseManifest } from './manifest.ts';

export interface PluginPackage {
  manifest: PluginManifest;
  /** plugin.json as shipped. */
  manifestText: string;
  bundle: string;
  sha256: string;
  readme: string | null;
}

const wanted = new Set(['plugin.json', 'dist/plugin.js', 'dist/plugin.js.sha256', 'README.md']);
const maxFileBytes = maxBundleBytes;

export async function readPluginPackage(bytes: Buffer): Promise<PluginPackage> {
  const files = await untar(bytes);
  const text = (name: string) => files.get(name)?.toString('utf8');
  const manifestText = text('plugin.json');
  if (manifestText === undefined) throw packageInvalid('/tarball', 'holds no plugin.json: make it with lianjie-plugin pack');
  let raw: unknown;
  try {
    raw = JSON.parse(manifestText);
  } catch {
    throw packageInvalid('/tarball/plugin.json', 'is not JSON');
  }
  const manifest = parseManifest(raw);
  const bundleBytes = files.get('dist/plugin.js');
  if (!bundleBytes) throw packageInvalid('/tarball/dist/plugin.js', 'is missing: run lianjie-plugin build before pack');
  const sha256 = createHash('sha256').update(bundleBytes).digest('hex');
  const declared = text('dist/plugin.js.sha256')?.trim();
  if (declared !== sha256) throw packageInvalid('/tarball/dist/plugin.js.sha256', declared === undefined ? 'is missing' : `says ${declared.slice(0, 12)}…, but the bundle's sha256 is ${sha256.slice(0, 12)}…`);
  return { manifest, manifestText, bundle: bundleBytes.toString('utf8'), sha256, readme: text('README.md') ?? null };
}

function untar(bytes: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (error: Error) => {
      if (!failed) reject(error);
      failed = true;
    };
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        const name = entry.path.replace(/^\.\//, '');
        if (entry.type !== 'File' || !wanted.has(name)) {
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        entry.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxFileBytes) fail(packageInvalid(`/tarball/${name}`, `is larger than ${maxFileBytes} bytes`));
          else chunks.push(chunk);
        });
        entry.on('end', () => files.set(name, Buffer.concat(chunks)));
      },
    });
    parser.on('error', () => fail(packageInvalid('/tarball', 'is not a gzipped tar (make it with lianjie-plugin pack)')));
    parser.on('end', () => (failed ? undefined : resolve(files)));
    parser.end(bytes);
  });
}

function packageInvalid(pointer: string, message: string): LianjieError {
  return new LianjieError('registry.package_invalid', `the plugin package ${pointer.slice('/tarball'.length) || ''} ${message}`.replace('package  ', 'package '), [{ pointer: `/body${pointer}`, message }]);
}
