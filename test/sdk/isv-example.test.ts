// examples/isv-plugin is a standalone project: copied out of the workspace, with the SDK's packed tarball as its only
// dependency (and its development tools from the registry), it passes its own tests and type-checks.
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshTempDir, type TempDir } from '../support/tmp.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const bin = path.join(repo, 'node_modules/.bin');
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}:${bin}:${process.env.PATH}` };
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('examples/isv-plugin', () => {
  let tmp: TempDir | undefined;
  afterAll(() => tmp?.remove());

  it('installs with the packed SDK, passes its own tests and type-checks, outside the workspace', async () => {
    tmp = await freshTempDir('lianjie-isv-example-');
    const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', tmp.file('')], path.join(repo, 'sdk'))) as { filename: string }[];
    const project = tmp.file('fruit-points');
    cpSync(path.join(repo, 'examples/isv-plugin'), project, { recursive: true, filter: (source) => !/[/\\](node_modules|dist)$/.test(source) });
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tmp.file(packed[0]!.filename)], project);
    const tested = npm(['test'], project);
    expect(tested).toContain('testing examples.fruit-points@1.0.0: 2 files');
    expect(tested).toMatch(/pass 8\b/);
    expect(tested).toMatch(/fail 0\b/);
    npm(['run', 'typecheck'], project);
    // The committed handler types are what `lianjie-plugin types` writes from plugin.json today.
    expect(npm(['run', 'types'], project)).toContain('wrote src/plugin-types.ts');
    expect(execFileSync('diff', ['-r', path.join(repo, 'examples/isv-plugin/src'), path.join(project, 'src')], { encoding: 'utf8' })).toBe('');
  }, 300_000);
});
