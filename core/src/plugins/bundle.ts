// Reads a plugin's bundle (dist/plugin.js) and proves it is the one expected: size cap, UTF-8, sha256 against its sidecar and the caller.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { LianjieError } from '../errors.ts';
import type { PluginBundle } from './types.ts';
import { readCapped } from './read-capped.ts';

export const maxBundleBytes = 5 * 1024 * 1024;

const sha256Hex = /^[0-9a-f]{64}$/;

/**
 * The bundle at `file` with its sha256. When `<file>.sha256` exists (as `lianjie-plugin build` writes it, or
 * `sha256sum` output) its first 64 characters must be the bundle's hash; so must `expectedSha256` when given.
 */
export async function readBundle(file: string, options: { expectedSha256?: string } = {}): Promise<PluginBundle> {
  const read = await readCapped(file, maxBundleBytes);
  if (!read.ok) {
    switch (read.reason) {
      case 'missing':
        throw invalid(`no bundle at ${file}: \`lianjie-plugin build\` produces it`);
      case 'not_a_file':
        throw invalid(`the bundle ${file} is not a file`);
      case 'too_large':
        throw invalid(`the bundle ${file} is ${read.size} bytes, more than the limit of ${maxBundleBytes} bytes (5 MB)`);
      default:
        throw invalid(`cannot read the bundle ${file}: ${read.errorCode}`);
    }
  }
  let code: string;
  try {
    // ignoreBOM keeps a BOM in the text, so `code` encodes back to exactly the bytes that were hashed.
    code = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(read.bytes);
  } catch {
    throw invalid(`the bundle ${file} is not UTF-8 text`);
  }
  const sha256 = createHash('sha256').update(read.bytes).digest('hex');
  const declared = await readSidecar(`${file}.sha256`);
  if (declared !== undefined && declared !== sha256) {
    throw invalid(`the bundle ${file} has sha256 ${sha256}, but ${file}.sha256 says ${declared}`);
  }
  const expected = options.expectedSha256?.trim().toLowerCase();
  if (expected !== undefined && expected !== sha256) {
    throw invalid(`the bundle ${file} has sha256 ${sha256}, but ${expected} was expected`);
  }
  return { code, sha256 };
}

/** The hash a sidecar file declares, lowercased; undefined when there is no sidecar. */
async function readSidecar(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw invalid(`cannot read ${file}: ${code ?? String(error)}`);
  }
  const declared = text.trimStart().slice(0, 64).toLowerCase();
  if (!sha256Hex.test(declared)) throw invalid(`${file} does not start with a sha256 (64 hex digits)`);
  return declared;
}

function invalid(message: string): LianjieError {
  return new LianjieError('bundle.invalid', message);
}
