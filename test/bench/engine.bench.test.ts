// The engine benchmark still runs and ends with its figures (a small run: this checks the script, not the speed).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresUrl } from '../support/postgres.ts';

const repo = path.resolve(import.meta.dirname, '../..');

describe.skipIf(!postgresUrl)('npm run bench -- engine', () => {
  it('prints one JSON object with every figure as its last line', () => {
    const out = execFileSync(process.execPath, ['--no-node-snapshot', 'test/bench/run.ts', 'engine', '--runs', '200', '--seconds', '1'], { cwd: repo, encoding: 'utf8' });
    const figures = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(figures).toMatchObject({ bench: 'engine', runs: 200 });
    for (const key of ['sqliteRunsPerSec', 'pgRunsPerSec', 'p50FirstActionMs', 'p99FirstActionMs', 'baselinePerSec']) {
      expect(typeof figures[key], key).toBe('number');
    }
  }, 120_000);
});
