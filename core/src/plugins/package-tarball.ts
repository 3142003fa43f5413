// A plugin package as `lianjie-plugin pack` makes it (a gzipped tar of plugin.json, dist/plugin.js, its sha256 and
// README.md), read in memory with the host's own checks: the manifest as the host parses it, the bundle against its
// checksum, every file size capped, nothing else in the archive. Nothing is written to disk.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { isLianjieError, LianjieError } from '../errors.ts';
import type { PluginManifest } from '../../../sdk/src/generated/plugin-manifest.ts';
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

/** What a package may hold, and how large each file may be. */
const limits: Record<string, number> = {
  'plugin.json': 256 * 1024,
  'dist/plugin.js': maxBundleBytes,
  'dist/plugin.js.sha256': 1024,
  'README.md': 256 * 1024,
};
/** The whole archive unzipped: the files above and their tar headers, with room to spare. */
const maxTarBytes = Object.values(limits).reduce((a, b) => a + b, 0) + 64 * 1024;
const unzip = promisify(gunzip);
const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function readPluginPackage(bytes: Buffer): Promise<PluginPackage> {
  // Unzipped off the event loop and capped: a small upload cannot expand into gigabytes or stall the host.
  let tar: Buffer;
  try {
    tar = await unzip(bytes, { maxOutputLength: maxTarBytes });
  } catch (error) {
    const tooLarge = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || /maxOutputLength|too large/i.test(String(error));
    throw packageInvalid('', tooLarge ? `unzips to more than ${maxTarBytes} bytes` : 'is not gzipped (make it with lianjie-plugin pack)');
  }
  const files = await untar(tar);
  const text = (name: string) => {
    const file = files.get(name);
    if (file === undefined) return undefined;
    try {
      return utf8.decode(file);
    } catch {
      throw packageInvalid(`/${name}`, 'is not UTF-8');
    }
  };
  const manifestText = text('plugin.json');
  if (manifestText === undefined) throw packageInvalid('', 'holds no plugin.json: make it with lianjie-plugin pack');
  let raw: unknown;
  try {
    raw = JSON.parse(manifestText);
  } catch {
    throw packageInvalid('/plugin.json', 'is not JSON');
  }
  let manifest: PluginManifest;
  try {
    manifest = parseManifest(raw);
  } catch (error) {
    // The same refusal a host gives, its pointers placed in the request: /body/tarball/plugin.json/...
    if (!isLianjieError(error)) throw error;
    throw new LianjieError(error.code, error.message, error.details.map((d) => ({ pointer: `/body/tarball/plugin.json${d.pointer === '/' ? '' : d.pointer}`, message: d.message })));
  }
  const bundle = text('dist/plugin.js');
  if (bundle === undefined) throw packageInvalid('/dist/plugin.js', 'is missing: run lianjie-plugin build before pack');
  const sha256 = createHash('sha256').update(files.get('dist/plugin.js')!).digest('hex');
  const declared = text('dist/plugin.js.sha256')?.trim();
  if (declared !== sha256) throw packageInvalid('/dist/plugin.js.sha256', declared === undefined ? 'is missing' : `says ${declared.slice(0, 12)}…, but the bundle's sha256 is ${sha256.slice(0, 12)}…`);
  return { manifest, manifestText, bundle, sha256, readme: text('README.md') ?? null };
}

/** The package's files; anything else in the archive, a file twice, one too large or a cut-off archive is refused. */
function untar(tar: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  return new Promise((resolve, reject) => {
    let failure: LianjieError | undefined;
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        const name = entry.path.replace(/^(\.\/)+/, '');
        const limit = limits[name];
        const refuse = (message: string) => {
          failure ??= packageInvalid(limit === undefined ? '' : `/${name}`, message);
          entry.resume();
          parser.abort(failure);
        };
        if (entry.type === 'Directory' && limits[`${name}plugin.js`] !== undefined) return void entry.resume();
        if (entry.type !== 'File' || limit === undefined) return refuse(`holds ${JSON.stringify(entry.path)}, which a plugin package does not (only ${Object.keys(limits).join(', ')})`);
        if (files.has(name)) return refuse(`holds ${name} twice`);
        if (entry.size > limit) return refuse(`is ${entry.size} bytes; a package takes at most ${limit}`);
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => files.set(name, Buffer.concat(chunks)));
      },
    });
    parser.on('error', (error: unknown) => reject(failure ?? packageInvalid('', `is not a tar archive (make it with lianjie-plugin pack)${error instanceof Error ? `: ${error.message}` : ''}`)));
    parser.on('warn', (_code: string, message: string) => {
      failure ??= packageInvalid('', `is damaged: ${message}`);
    });
    parser.on('end', () => (failure ? reject(failure) : resolve(files)));
    parser.end(tar);
  });
}

function packageInvalid(pointer: string, message: string): LianjieError {
  return new LianjieError('registry.package_invalid', `the plugin package${pointer ? ` ${pointer.slice(1)}` : ''} ${message}`, [{ pointer: `/body/tarball${pointer}`, message }]);
}
