// The welcome benchmark still runs and ends with its figures (a small run: this checks the script, not the speed).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');

describe('npm run bench -- welcome', () => {
  it('prints one JSON object with every figure as its last line, and every welcome arrives', () => {
    const out = execFileSync(process.execPath, ['--no-node-snapshot', 'test/bench/run.ts', 'welcome', '--rate', '20', '--seconds', '1'], { cwd: repo, encoding: 'utf8' });
    const figures = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(figures).toMatchObject({ bench: 'welcome', callbacks: 20, missed: 0 });
    for (const key of ['loadPerSec', 'p50Ms', 'p99Ms', 'baselineP50Ms']) expect(typeof figures[key], key).toBe('number');
  }, 120_000);
});
