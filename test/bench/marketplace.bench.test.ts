// The marketplace benchmark still runs and ends with its figures (a small run: this checks the script, not the speed).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');

describe('npm run bench -- marketplace', () => {
  it('prints one JSON object with every figure as its last line', () => {
    const out = execFileSync(process.execPath, ['--no-node-snapshot', 'test/bench/run.ts', 'marketplace', '--invocations', '2000', '--tenants', '50'], { cwd: repo, encoding: 'utf8' });
    const figures = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(figures).toMatchObject({ bench: 'marketplace', tenants: 50, invocations: 2000 });
    for (const key of ['meteredPerSec', 'unmeteredPerSec', 'meteredRatio', 'usageFlushMs', 'catalogReloadMs', 'revisionCheckUs', 'lookupNs', 'fixedLookupNs']) {
      expect(typeof figures[key], key).toBe('number');
    }
  });
});
