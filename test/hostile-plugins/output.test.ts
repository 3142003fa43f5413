// Hostile plugins returning what JSON cannot carry, too much of it, or what their schemas forbid; and bad inputs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, expectFailure, expectOutput, type Harness } from '../support/runner-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());
afterEach(() => h.expectHostServes());

describe('outputs JSON cannot carry', () => {
  it.each([
    ['12. a function', '() => () => 1', 'a function'],
    ['13. a symbol', `() => Symbol('s')`, 'a symbol'],
    ['14. a BigInt', '() => 10n ** 30n', 'a BigInt'],
    ['14. a BigInt nested in an object', '() => ({ amount: 1n })', 'a BigInt'],
    ['15. a cyclic object', '() => { const o = { name: "loop" }; o.self = o; return o; }', 'a cycle'],
    ['15. a cycle through an array', '() => { const a = []; a.push({ a }); return a; }', 'a cycle'],
    ['undefined', '() => undefined', 'undefined'],
    ['a promise of a function', 'async () => () => 1', 'a function'],
  ])('%s → action.output_not_json', async (_name, handler, what) => {
    expectFailure(await h.attack(handler), 'action.output_not_json', what);
  });

  it('nested functions and symbols are dropped, as JSON.stringify drops them', async () => {
    expect(expectOutput(await h.attack('() => ({ kept: true, run() {}, [Symbol.iterator]: 1, tag: Symbol("t"), list: [1, Symbol.iterator, () => 2] })'))).toEqual({
      kept: true, list: [1, null, null],
    });
  });

  it('16. output nested 100,000 deep → action.output_not_json', async () => {
    const deep = '() => { const root = {}; let o = root; for (let i = 0; i < 100000; i++) o = o.a = {}; return root; }';
    expectFailure(await h.attack(deep), 'action.output_not_json', 'nested too deeply');
  });

  it('16. a getter that loops forever is stopped at the CPU limit while the output is serialised', async () => {
    expectFailure(await h.attack('() => ({ get total() { while (true) {} } })'), 'sandbox.cpu_limit');
    expectFailure(await h.attack('async () => ({ toJSON() { for (;;) {} } })'), 'sandbox.cpu_limit');
  });
});

describe('outputs too large', () => {
  it('16. 300 KB against the default 256 KB limit → action.output_too_large', async () => {
    expectFailure(await h.attack(`() => 'x'.repeat(300 * 1024)`), 'action.output_too_large', 'over the limit of 262144');
  });

  it('16. 50 MB with the default 32 MB heap → sandbox.memory_limit', async () => {
    expectFailure(await h.attack(`() => 'x'.repeat(50 * 1024 * 1024)`), 'sandbox.memory_limit');
  });

  it('16. 50 MB with heap to hold it → action.output_too_large at the 4096 KB maximum', async () => {
    const failure = expectFailure(
      await h.attack(`() => 'x'.repeat(50 * 1024 * 1024)`, { limits: { memoryMb: 128, outputKb: 4096, cpuMs: 3000 } }),
      'action.output_too_large',
    );
    expect(failure.message).toContain('over the limit of 4194304');
  });
});

describe('24. schemas at the boundary', () => {
  const manifest = {
    actions: [{
      id: 'total',
      input: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { type: 'object', required: ['price'], properties: { price: { type: 'number', minimum: 0 } } } } } },
      output: { type: 'object', required: ['total'], additionalProperties: false, properties: { total: { type: 'number' } } },
    }],
  };
  // Returns the sum, or, when asked, a string where the schema wants a number.
  const total = '(input) => ({ total: input.items.reduce((sum, item) => sum + item.price, 0) + (input.lie ? "!" : 0) })';

  it('an input violating the input schema → action.input_invalid with the JSON pointer; the plugin never runs', async () => {
    const install = h.install({ total }, { manifest });
    expect(expectOutput(await h.run(install, 'total', { items: [{ price: 2 }, { price: 3 }] }))).toEqual({ total: 5 });
    const failure = expectFailure(await h.run(install, 'total', { items: [{ price: 2 }, { price: -1 }] }), 'action.input_invalid');
    expect(failure.details).toEqual([expect.objectContaining({ pointer: '/items/1/price' })]);
    const missing = expectFailure(await h.run(install, 'total', { item: [] }), 'action.input_invalid');
    expect(missing.details?.map((d) => d.pointer)).toContain('/items');
  });

  it('an output violating the output schema → action.output_invalid with the JSON pointer', async () => {
    const install = h.install({ total }, { manifest });
    const failure = expectFailure(await h.run(install, 'total', { items: [{ price: 1 }], lie: true }), 'action.output_invalid');
    expect(failure.details).toEqual([expect.objectContaining({ pointer: '/total' })]);
  });

  it('an unknown action → action.not_found', async () => {
    const install = h.install({ total }, { manifest });
    expectFailure(await h.run(install, '__proto__'), 'action.not_found');
    expectFailure(await h.run(install, 'constructor'), 'action.not_found');
  });
});
