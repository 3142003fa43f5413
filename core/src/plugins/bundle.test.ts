// readBundle: the happy path and its hash, and bundle.invalid for a missing, oversized, non-UTF-8 or mismatched bundle.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshTempDir, type TempDir } from '../../../test/support/tmp.ts';
import { maxBundleBytes, readBundle } from './bundle.ts';
import { rejection } from './plugins.test-support.ts';

const code = 'globalThis.registered = ["echo"]; // 回声\n';
const sha = createHash('sha256').update(code).digest('hex');
const other = 'a'.repeat(64);

let tmp: TempDir;
let n = 0;
beforeAll(async () => { tmp = await freshTempDir('lianjie-bundle-'); });
afterAll(async () => { await tmp.remove(); });

/** A fresh dist/plugin.js with `contents`, and its sidecar when given. */
function bundle(contents: string | Buffer = code, sidecar?: string): string {
  const file = tmp.file(`b${n++}.js`);
  writeFileSync(file, contents);
  if (sidecar !== undefined) writeFileSync(`${file}.sha256`, sidecar);
  return file;
}

const invalid = async (promise: Promise<unknown>) => {
  const error = await rejection(promise);
  expect(error.code).toBe('bundle.invalid');
  return error;
};

describe('readBundle accepts', () => {
  it('a bundle, giving its text and sha256 hex', async () => {
    expect(await readBundle(bundle())).toEqual({ code, sha256: sha });
  });

  it.each([
    ['a bare hash', sha],
    ['sha256sum output', `${sha}  dist/plugin.js\n`],
    ['upper case with surrounding space', `  ${sha.toUpperCase()}\n`],
  ])('a sidecar .sha256 holding %s', async (_, sidecar) => {
    expect((await readBundle(bundle(code, sidecar))).sha256).toBe(sha);
  });

  it('the expected hash, in either case', async () => {
    expect((await readBundle(bundle(), { expectedSha256: sha.toUpperCase() })).sha256).toBe(sha);
  });

  it('a bundle of exactly the size limit', async () => {
    expect((await readBundle(bundle(Buffer.alloc(maxBundleBytes, 0x20)))).code.length).toBe(maxBundleBytes);
  });

  it('a BOM, kept so the text encodes back to the bytes hashed', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(code)]);
    const read = await readBundle(bundle(bytes));
    expect(createHash('sha256').update(read.code).digest('hex')).toBe(read.sha256);
  });
});

describe('readBundle refuses', () => {
  it('a missing bundle, saying what builds it', async () => {
    const file = tmp.file('missing/plugin.js');
    expect((await invalid(readBundle(file))).message).toBe(`no bundle at ${file}: \`lianjie-plugin build\` produces it`);
  });

  it('a folder where the bundle should be', async () => {
    const dir = tmp.file('folder.js');
    mkdirSync(dir);
    expect((await invalid(readBundle(dir))).message).toBe(`the bundle ${dir} is not a file`);
  });

  it('a bundle over 5 MB', async () => {
    const file = bundle(Buffer.alloc(maxBundleBytes + 1, 0x20));
    expect((await invalid(readBundle(file))).message).toContain(`is ${maxBundleBytes + 1} bytes, more than the limit of ${maxBundleBytes} bytes (5 MB)`);
  });

  it('a bundle that is not UTF-8', async () => {
    expect((await invalid(readBundle(bundle(Buffer.from([0x61, 0xff, 0x62]))))).message).toContain('is not UTF-8 text');
  });

  it('a sidecar hash that does not match, naming both', async () => {
    const file = bundle(code, other);
    expect((await invalid(readBundle(file))).message).toBe(`the bundle ${file} has sha256 ${sha}, but ${file}.sha256 says ${other}`);
  });

  it.each(['', 'not a hash', sha.slice(0, 63)])('a sidecar that does not start with a hash: %j', async (sidecar) => {
    const file = bundle(code, sidecar);
    expect((await invalid(readBundle(file))).message).toBe(`${file}.sha256 does not start with a sha256 (64 hex digits)`);
  });

  it('a hash other than the expected one, naming both', async () => {
    const file = bundle();
    expect((await invalid(readBundle(file, { expectedSha256: other }))).message).toBe(`the bundle ${file} has sha256 ${sha}, but ${other} was expected`);
  });

  it('the expected hash even when the sidecar agrees with the bundle', async () => {
    await invalid(readBundle(bundle(code, sha), { expectedSha256: other }));
  });
});
