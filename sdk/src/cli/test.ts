// `lianjie-plugin test`: the project's tests (`test/**/*.test.ts` and `src/**/*.test.ts`) under Node's own test
// runner, in a child process of the Node running this command. The tests use `@lianjie/sdk/testing`, whose sandbox
// workers are started with the flags isolated-vm needs, so the runner itself needs none.
import { spawn } from 'node:child_process';
import { globSync } from 'node:fs';
import type { PluginDir } from './plugin-dir.ts';
import { manifestProblems, type Problem } from './validate.ts';

export const testPatterns = ['test/**/*.test.ts', 'src/**/*.test.ts'];

export type TestOutcome = { ok: false; problems: Problem[] } | { ok: true; exitCode: number };

/** Checks plugin.json first (a broken manifest would fail every test for one reason), then runs the tests. */
export async function testPlugin(dir: PluginDir, log: (line: string) => void): Promise<TestOutcome> {
  const problems = manifestProblems(dir.manifest);
  if (problems.length > 0) return { ok: false, problems };
  const files = testPatterns.flatMap((pattern) => globSync(pattern, { cwd: dir.root })).sort();
  if (files.length === 0) throw new Error(`no tests in ${dir.root}: lianjie-plugin test runs ${testPatterns.join(' and ')}`);
  log(`testing ${dir.manifest.id}@${dir.manifest.version}: ${files.length} file${files.length === 1 ? '' : 's'}`);
  const child = spawn(process.execPath, ['--test', '--test-reporter=spec', ...files], { cwd: dir.root, stdio: 'inherit' });
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  return { ok: true, exitCode };
}
