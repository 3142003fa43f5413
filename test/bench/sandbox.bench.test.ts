// The sandbox benchmark still runs and ends with its figures (a small run: this checks the script, not the speed).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');

describe('npm run bench -- sandbox', () => {
  it('prints one JSON object with every figure as its last line', () => {
    const out = execFileSync(process.execPath, ['--no-node-snapshot', 'test/bench/run.ts', 'sandbox', '--installs', '20', '--invocations', '500'], { cwd: repo, encoding: 'utf8' });
    const figures = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(figures).toMatchObject({ bench: 'sandbox', installs: 20 });
    for (const key of ['inIsolateOverheadUs', 'roundTripUs', 'invocationsPerSec', 'coldStartMs', 'coldStartNoCacheMs', 'rss1000Mb']) {
      expect(typeof figures[key], key).toBe('number');
    }
  });
});
