// Hostile plugins that burn CPU, wall time, memory or stack: each fails with its exact code and the host serves on.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, expectFailure, expectOutput, type Harness } from '../support/runner-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());
// Every attack is followed by other tenants' well-behaved calls, on every shared worker.
afterEach(() => h.expectHostServes());

// Crash and memory bombs need room to grow: CPU and wall time high enough that memory is what stops them.
const roomy = { cpuMs: 10_000, timeoutMs: 20_000 };
const tenMillionProperties = `() => { const o = {}; for (let i = 0; i < 1e7; i++) o['k' + i] = i; return Object.keys(o).length; }`;

describe('CPU and wall time', () => {
  it('1. an infinite loop is stopped at the CPU limit', async () => {
    expectFailure(await h.attack('() => { while (true) {} }'), 'sandbox.cpu_limit', 'more than 100 ms of CPU');
  });

  it('2. an endless chain of microtasks is stopped at the CPU limit', async () => {
    const microtasks = '() => { Promise.resolve().then(function f() { Promise.resolve().then(f); }); return new Promise(() => {}); }';
    expectFailure(await h.attack(microtasks), 'sandbox.cpu_limit', 'more than 100 ms of CPU');
    // Also when the handler itself returns at once: the checkpoint after it never ends.
    const detached = '() => { Promise.resolve().then(function f() { Promise.resolve().then(f); }); return 1; }';
    expectFailure(await h.attack(detached), 'sandbox.cpu_limit');
  });

  it('3. a promise that never settles is stopped at the wall-time limit', async () => {
    const started = performance.now();
    expectFailure(await h.attack('() => new Promise(() => {})', { limits: { timeoutMs: 300 } }), 'sandbox.timeout', 'wall-time limit');
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('22. a catastrophic regular expression is stopped at the CPU limit', async () => {
    expectFailure(await h.attack(`() => /^(a+)+$/.test('a'.repeat(40) + 'b')`), 'sandbox.cpu_limit');
  });

  it('a bundle whose top-level code never ends is refused when it is loaded', async () => {
    const loops = h.install({ act: '() => 1' }, { prelude: 'while (true) {}' });
    expectFailure(await h.run(loops, 'act'), 'sandbox.cpu_limit', /loading the plugin failed: .*timed out/);
  });
});

describe('memory', () => {
  it('4. ten million properties: stopped by the CPU limit by default, and abort their worker when given the CPU', async () => {
    expectFailure(await h.attack(tenMillionProperties), 'sandbox.cpu_limit');
    // V8 aborts the whole process on this bomb whatever memoryLimit says (DESIGN.md §1b): the worker dies.
    const crashed = expectFailure(await h.attack(tenMillionProperties, { limits: { ...roomy, memoryMb: 32 } }), 'sandbox.crashed', /died \(killed by SIG[A-Z]+\)/);
    expect(crashed.retryable).toBe(true);
  });

  it('5. a growing Map is stopped at the memory limit', async () => {
    // At 16 MB the Map's table hits the isolate's heap limit and is stopped cleanly. (With object values, or at
    // 32-64 MB, V8 aborts the worker instead while doubling the table: that is case 4's sandbox.crashed.)
    const grow = '() => { const m = new Map(); for (let i = 0; ; i++) m.set(i, i); }';
    expectFailure(await h.attack(grow, { limits: { ...roomy, memoryMb: 16 } }), 'sandbox.memory_limit', 'memory limit');
  });

  it('6. a 512 MB string is refused by V8 as an invalid length', async () => {
    expectFailure(await h.attack(`() => 'x'.repeat(512 * 1024 * 1024).length`), 'plugin.error', 'RangeError: Invalid string length');
  });

  it('7. WebAssembly, SharedArrayBuffer and Atomics do not exist inside', async () => {
    const wasm = '() => new WebAssembly.Memory({ initial: 1, maximum: 65536 }).grow(65535)';
    expectFailure(await h.attack(wasm), 'plugin.error', 'ReferenceError: WebAssembly is not defined');
    const types = '() => [typeof WebAssembly, typeof SharedArrayBuffer, typeof Atomics, typeof globalThis.WebAssembly]';
    expect(expectOutput(await h.attack(types))).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
  });

  it('8. unbounded recursion fails as a plugin error', async () => {
    expectFailure(await h.attack('function f() { return f() + 1; }'), 'plugin.error', 'RangeError: Maximum call stack size exceeded');
  });
});

describe('a bundle whose loading kills its worker', () => {
  // runner.verify checks a new bundle in a worker (pool.inspect), tracked like an invocation under `bundle:<sha256>`:
  // a worker that dies while loading it answers the check as crashed, and the bundle is struck like an install.
  it('a bundle that aborts its worker while it is checked fails as sandbox.crashed instead of hanging', async () => {
    const bomb = h.install({ act: '() => 1' }, { prelude: 'const m = new Map(); for (let i = 0; ; i++) m.set(i, { i });', limits: { memoryMb: 16 } });
    const hung = Symbol('hung');
    const result = await Promise.race([h.run(bomb, 'act'), new Promise<typeof hung>((resolve) => setTimeout(() => resolve(hung), 5000))]);
    expect(result, 'runAction did not settle within 5 s').not.toBe(hung);
    if (result !== hung) expectFailure(result, 'sandbox.crashed');
  });
});
