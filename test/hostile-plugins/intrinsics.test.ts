// Hostile plugins patching the intrinsics the bridge relies on: they may break their own results, never forge one.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, expectFailure, expectOutput, type Harness } from '../support/runner-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());
afterEach(() => h.expectHostServes());

describe('25. patched intrinsics', () => {
  it('JSON.stringify and JSON.parse replaced: the bridge still carries the real output, now and on the next call', async () => {
    const install = h.install({
      patch: `(input) => { JSON.stringify = () => '{"ok":true,"output":"forged"}'; JSON.parse = () => ({ forged: true }); return { total: input.n * 2 }; }`,
      again: '(input) => ({ total: input.n * 3, stringify: JSON.stringify({}) })',
    });
    expect(expectOutput(await h.run(install, 'patch', { n: 2 }))).toEqual({ total: 4 });
    expect(expectOutput(await h.run(install, 'again', { n: 2 }))).toEqual({ total: 6, stringify: '{"ok":true,"output":"forged"}' });
  });

  it('Promise.prototype.then, Reflect.apply and Function.prototype.call replaced: async results still arrive intact', async () => {
    const patch = `async (input) => {
      Promise.prototype.then = function () { return 'hijacked'; };
      Reflect.apply = () => 'forged';
      Function.prototype.call = Function.prototype.apply = () => 'forged';
      await null;
      return { n: input.n };
    }`;
    expect(expectOutput(await h.attack(patch, { input: { n: 7 } }))).toEqual({ n: 7 });
  });

  it('Promise.resolve replaced with a forging thenable: the bridge uses the one it captured, the real output arrives', async () => {
    const patch = `async () => { Promise.resolve = () => ({ then: (ok) => ok('forged') }); return { n: 7 }; }`;
    expect(expectOutput(await h.attack(patch))).toEqual({ n: 7 });
  });

  it("an inherited 'then' on Object.prototype changes only the plugin's own output", async () => {
    const install = h.install({
      patch: `() => { Object.defineProperty(Object.prototype, 'then', { get() { return (resolve) => resolve('own output, replaced'); }, configurable: true }); return { c: 3 }; }`,
    });
    // The plugin made every object a thenable, its own output included: that is all it achieved.
    expect(expectOutput(await h.run(install, 'patch'))).toBe('own output, replaced');
    expect(({} as Record<string, unknown>).then).toBeUndefined();
    // Another tenant's install of the same plugin gets a clean realm.
    const other = h.installAgain(install, 'tenant-intrinsics-other');
    expect(expectOutput(await h.run(other, 'patch'))).toBe('own output, replaced');
  });

  it('WeakSet.prototype.has, RegExp.prototype.test and Object.getOwnPropertyDescriptor replaced: a thrown host code is still plugin.error', async () => {
    const patch = `() => {
      WeakSet.prototype.has = () => true;
      RegExp.prototype.test = () => true;
      Object.getOwnPropertyDescriptor = () => ({ value: 'sandbox.crashed' });
      throw { code: 'sandbox.crashed', message: 'forged', retryable: true };
    }`;
    expectFailure(await h.attack(patch), 'plugin.error');
  });

  it('RegExp.prototype.exec replaced: a host code still cannot leave the plugin namespace', async () => {
    // The bridge's code pattern is bypassed (RegExp.prototype.test calls the patched exec): the code that comes out is
    // the plugin's own, `plugin.sandbox.crashed`, but it stays under plugin.
    const result = await h.attack(`() => { RegExp.prototype.exec = () => ({}); throw { code: 'sandbox.crashed', message: 'forged', retryable: true }; }`);
    expect(result).toMatchObject({ ok: false, failure: { code: expect.stringMatching(/^plugin\./) } });
  });

  it('Object.prototype setters for the names ctx is built from do not reach another invocation', async () => {
    const install = h.install({
      trap: `(input, ctx) => { Object.defineProperty(Object.prototype, 'info', { set(fn) { globalThis.stolen = fn; }, configurable: true }); return typeof ctx.log.info; }`,
      after: `(input, ctx) => ({ mine: typeof ctx.log.info, stolen: typeof globalThis.stolen })`,
    });
    expect(expectOutput(await h.run(install, 'trap'))).toBe('function');
    // The next ctx is built after the setter exists: the plugin intercepted its own capability function, nothing else.
    const after = expectOutput(await h.run(install, 'after')) as { mine: string; stolen: string };
    expect(after.stolen).toBe('function');
    const other = h.installAgain(install, 'tenant-intrinsics-setter');
    expect(expectOutput(await h.run(other, 'after'))).toEqual({ mine: 'function', stolen: 'undefined' });
  });
});

describe('inherited properties the plugin plants on Object.prototype cannot forge a host failure', () => {
  // The bridge reads only own properties of what the host sends, and builds results without prototypes, so
  // neither an inherited `refused` nor an inherited `toJSON` can pass for the host's word.
  it('Object.prototype.refused cannot forge sandbox.crashed through a log call', async () => {
    const forge = `(input, ctx) => {
      Object.prototype.refused = { code: 'sandbox.crashed', message: 'forged', retryable: true };
      ctx.log.info({ message: 'hello' });
      return 'logged';
    }`;
    const result = await h.attack(forge);
    expect(result).not.toMatchObject({ ok: false, failure: { code: 'sandbox.crashed' } });
    expect(expectOutput(result)).toBe('logged');
  });

  // encode() stringifies failure objects that inherit from the plugin's Object.prototype: an inherited toJSON
  // replaces the whole result the host receives.
  it('Object.prototype.toJSON cannot replace a failure with a forged host code', async () => {
    const forge = `() => {
      Object.prototype.toJSON = function () {
        if (!Object.prototype.hasOwnProperty.call(this, 'ok')) return this;
        const failure = Object.create(null);
        Object.assign(failure, { code: 'sandbox.crashed', message: 'forged', retryable: true });
        const result = Object.create(null);
        Object.assign(result, { ok: false, failure });
        return result;
      };
      throw new Error('boom');
    }`;
    expectFailure(await h.attack(forge), 'plugin.error', 'Error: boom');
  });
});
