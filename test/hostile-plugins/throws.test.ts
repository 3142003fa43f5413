// Hostile plugins throwing what is not an Error: strings, traps, structured failures, and host codes they may not use.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, expectFailure, type Harness } from '../support/runner-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());
afterEach(() => h.expectHostServes());

describe('17. thrown values', () => {
  it('a string → plugin.error carrying that text', async () => {
    expect(expectFailure(await h.attack(`() => { throw 'the shelf is empty'; }`), 'plugin.error').message).toBe('the shelf is empty');
    expect(expectFailure(await h.attack(`async () => { throw 'later, empty'; }`), 'plugin.error').message).toBe('later, empty');
  });

  it('an Error → plugin.error with its name and message', async () => {
    expect(expectFailure(await h.attack(`() => { throw new TypeError('bad sku'); }`), 'plugin.error').message).toBe('TypeError: bad sku');
  });

  it('an object whose toString, valueOf and getters loop → plugin.error at once, none of them called', async () => {
    const trap = `() => {
      const loop = () => { for (;;) {} };
      const thrown = { toString: loop, valueOf: loop, [Symbol.toPrimitive]: loop };
      Object.defineProperty(thrown, 'message', { get: loop });
      Object.defineProperty(thrown, 'code', { get: loop });
      throw thrown;
    }`;
    const started = performance.now();
    expectFailure(await h.attack(trap), 'plugin.error', 'a non-Error value was thrown');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('a Proxy whose traps throw → plugin.error; whose traps loop → sandbox.cpu_limit (never a hang)', async () => {
    const throwing = '() => { throw new Proxy({}, { getOwnPropertyDescriptor() { throw 1; }, getPrototypeOf() { throw 2; } }); }';
    expectFailure(await h.attack(throwing), 'plugin.error', 'cannot be described');
    expectFailure(await h.attack('() => { throw new Proxy({}, { getOwnPropertyDescriptor() { for (;;) {} } }); }'), 'sandbox.cpu_limit');
  });

  it('undefined, null, numbers and symbols → plugin.error', async () => {
    expectFailure(await h.attack('() => { throw undefined; }'), 'plugin.error', 'the plugin threw undefined');
    expectFailure(await h.attack('() => { throw null; }'), 'plugin.error', 'the plugin threw null');
    expectFailure(await h.attack('() => { throw 42; }'), 'plugin.error', 'the plugin threw 42');
    expectFailure(await h.attack(`() => { throw Symbol('s'); }`), 'plugin.error', 'the plugin threw a symbol');
  });

  it('a structured failure → plugin.<code>, with its message and retryable', async () => {
    const coupon = `async () => { throw { code: 'coupon_expired', message: 'the coupon expired on 1 May', retryable: true }; }`;
    expect(expectFailure(await h.attack(coupon), 'plugin.coupon_expired')).toEqual({ code: 'plugin.coupon_expired', message: 'the coupon expired on 1 May', retryable: true });
    // retryable must be a real boolean true.
    const notReally = `() => { throw { code: 'coupon_expired', message: 'm', retryable: 'yes' }; }`;
    expect(expectFailure(await h.attack(notReally), 'plugin.coupon_expired').retryable).toBe(false);
  });

  it.each([
    ['sandbox.crashed', `{ code: 'sandbox.crashed', message: 'fake crash', retryable: true }`],
    ['capability.denied', `{ code: 'capability.denied', message: 'fake', retryable: false }`],
    ['an Error with a host code', `Object.assign(new Error('fake'), { code: 'sandbox.quarantined', retryable: true })`],
    ['a code with an uppercase letter', `{ code: 'Sandbox', message: 'fake' }`],
  ])('a forged host code (%s) does not pass through: plugin.error, not retryable', async (_name, thrown) => {
    const failure = expectFailure(await h.attack(`() => { throw ${thrown}; }`), 'plugin.error');
    expect(failure.retryable).toBe(false);
  });

  it("a capability's refusal rethrown by the plugin keeps its host code (it is the host's own failure)", async () => {
    const rethrow = `async (input, ctx) => { try { await ctx.store.get({ key: 'k' }); } catch (refusal) { throw refusal; } }`;
    expectFailure(await h.attack(rethrow), 'capability.denied', 'plugin.json does not declare');
  });
});
