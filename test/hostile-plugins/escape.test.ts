// Hostile plugins reaching for the host: Node's globals, isolated-vm's classes, shared prototypes, other installs' globals.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, expectFailure, expectOutput, type Harness } from '../support/runner-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());
afterEach(() => h.expectHostServes());

// Tries every classic way out of a JavaScript sandbox and reports, for each, what it found.
const escapes = `function escapes(input, ctx) {
  const callerOfHandler = escapes.caller;
  return (async () => {
  const found = {};
  const describe = (v) => v === undefined ? 'undefined' : v === null ? 'null'
    : typeof v === 'object' || typeof v === 'function' ? 'FOUND ' + typeof v + ' ' + Object.keys(v).slice(0, 5).join(',') : 'FOUND ' + String(v);
  const attempt = (name, f) => { try { found[name] = describe(f()); } catch (e) { found[name] = 'threw ' + (e && e.name); } };
  attempt('this.constructor.constructor', () => this.constructor.constructor('return process')());
  attempt('ctx.constructor.constructor', () => ctx.constructor.constructor('return process')());
  attempt('capability.constructor.constructor', () => ctx.log.info.constructor('return process')());
  attempt('lianjie.register.constructor', () => lianjie.register.constructor('return typeof process === "undefined" ? undefined : process')());
  attempt('Function(return this).process', () => Function('return this')().process);
  attempt('eval(process)', () => eval('typeof process === "undefined" ? undefined : process'));
  attempt('globalThis.process', () => globalThis.process);
  attempt('typeof require', () => typeof require === 'undefined' ? undefined : require);
  attempt('typeof module', () => typeof module === 'undefined' ? undefined : module);
  attempt('typeof global', () => typeof global === 'undefined' ? undefined : global);
  attempt('typeof Buffer', () => typeof Buffer === 'undefined' ? undefined : Buffer);
  attempt('typeof setTimeout', () => typeof setTimeout === 'undefined' ? undefined : setTimeout);
  attempt('typeof fetch', () => typeof fetch === 'undefined' ? undefined : fetch);
  attempt('handler.caller', () => callerOfHandler);
  attempt('stack frames this', () => {
    const saved = Error.prepareStackTrace;
    let hosts;
    Error.prepareStackTrace = (e, frames) => {
      hosts = frames.map((f) => f.getThis()).filter((t) => t && t !== globalThis && t.process);
      return '';
    };
    new Error('probe').stack;
    Error.prepareStackTrace = saved;
    return hosts.length ? hosts : undefined;
  });
  for (const specifier of ['fs', 'node:fs', 'node:child_process', 'isolated-vm']) {
    try {
      const m = await import(specifier);
      found['import ' + specifier] = 'FOUND ' + Object.keys(m).slice(0, 5).join(',');
    } catch (e) {
      found['import ' + specifier] = 'threw ' + (e && e.name) + ': ' + (e && e.message);
    }
  }
  return found;
  })();
}`;

describe('reaching the host', () => {
  it('9. no constructor trick, global, require, module or import() reaches Node', async () => {
    const found = expectOutput(await h.attack(escapes, { limits: { cpuMs: 1000 } })) as Record<string, string>;
    expect(Object.keys(found)).toHaveLength(19);
    for (const [attempt, outcome] of Object.entries(found)) {
      expect(outcome, attempt).not.toMatch(/^FOUND/);
    }
    // The Function constructor works, but inside the isolate: `process` is simply not defined there.
    expect(found['this.constructor.constructor']).toBe('threw ReferenceError');
    expect(found['ctx.constructor.constructor']).toBe('threw ReferenceError');
    expect(found['capability.constructor.constructor']).toBe('threw ReferenceError');
    expect(found['Function(return this).process']).toBe('undefined');
    // A sloppy function called from the (strict) bridge sees no caller.
    expect(found['handler.caller']).toBe('null');
    for (const specifier of ['fs', 'node:fs', 'node:child_process', 'isolated-vm']) {
      expect(found[`import ${specifier}`], specifier).toMatch(/^threw /);
    }
  });

  it('10. nothing reachable from inside is an isolated-vm object', async () => {
    // Walks every object reachable from globalThis, ctx (with its capability functions) and lianjie: own property
    // names and symbols (read as descriptors, so getters are collected rather than run), prototypes, and the
    // receivers and functions of the stack frames V8 offers to Error.prepareStackTrace.
    const walk = `function (input, ctx) {
      const banned = new Set(['Reference', 'ExternalCopy', 'Isolate', 'Context', 'Callback', 'Script', 'Module', 'NativeModule']);
      const word = /\\b(Reference|ExternalCopy|Isolate|Context|Callback|Script|Module|NativeModule)\\b/;
      const fnToString = Function.prototype.toString;
      const tagOf = Object.prototype.toString;
      const own = (o, k) => { const d = Object.getOwnPropertyDescriptor(o, k); return d && 'value' in d ? d.value : undefined; };
      const ctorName = (o) => {
        for (let p = o; p !== null; p = Object.getPrototypeOf(p)) {
          const c = own(p, 'constructor');
          if (c !== undefined) return typeof c === 'function' ? String(own(c, 'name')) : typeof c;
        }
        return 'none';
      };
      const frames = [];
      Error.prepareStackTrace = (e, stack) => { for (const f of stack) frames.push(f.getThis(), f.getFunction()); return ''; };
      (function sloppy() { new Error('probe').stack; })();
      delete Error.prepareStackTrace;
      const queue = [globalThis, ctx, lianjie, ...frames];
      const seen = new Set();
      const hits = [];
      while (queue.length) {
        const value = queue.pop();
        if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) continue;
        seen.add(value);
        const name = ctorName(value);
        const tag = tagOf.call(value);
        if (banned.has(name) || word.test(tag)) hits.push(name + ' ' + tag);
        if (typeof value === 'function') {
          const fname = own(value, 'name');
          const text = fnToString.call(value);
          if (banned.has(fname) || (text.endsWith('{ [native code] }') && word.test(text))) hits.push('function ' + text.slice(0, 80));
        }
        queue.push(Object.getPrototypeOf(value));
        for (const key of Reflect.ownKeys(value)) {
          const d = Object.getOwnPropertyDescriptor(value, key);
          queue.push(d.value, d.get, d.set);
        }
      }
      return { visited: seen.size, hits, globals: Object.getOwnPropertyNames(globalThis).sort() };
    }`;
    const { visited, hits, globals } = expectOutput(await h.attack(walk, { limits: { cpuMs: 5000 } })) as { visited: number; hits: string[]; globals: string[] };
    expect(hits).toEqual([]);
    expect(visited).toBeGreaterThan(500);
    // Plain ECMAScript (and V8's inert console) plus the one door, `lianjie`.
    const ecmascript = [
      'AggregateError', 'Array', 'ArrayBuffer', 'AsyncDisposableStack', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView', 'Date',
      'DisposableStack', 'Error', 'EvalError', 'FinalizationRegistry', 'Float16Array', 'Float32Array', 'Float64Array', 'Function', 'Infinity',
      'Int16Array', 'Int32Array', 'Int8Array', 'Intl', 'Iterator', 'JSON', 'Map', 'Math', 'NaN', 'Number', 'Object', 'Promise', 'Proxy', 'RangeError',
      'ReferenceError', 'Reflect', 'RegExp', 'Set', 'String', 'SuppressedError', 'Symbol', 'SyntaxError', 'TypeError', 'URIError', 'Uint16Array',
      'Uint32Array', 'Uint8Array', 'Uint8ClampedArray', 'WeakMap', 'WeakRef', 'WeakSet', 'console', 'decodeURI', 'decodeURIComponent', 'encodeURI',
      'encodeURIComponent', 'escape', 'eval', 'globalThis', 'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'undefined', 'unescape',
    ];
    expect(globals.filter((g) => !ecmascript.includes(g))).toEqual(['lianjie']);
  });

  it('lianjie is frozen, and registering again is refused', async () => {
    const tamper = `() => {
      'use strict';
      const attempts = [];
      try { lianjie.register = () => {}; } catch (e) { attempts.push(e.name); }
      try { globalThis.lianjie = {}; } catch (e) { attempts.push(e.name); }
      try { lianjie.register({ actions: { act: () => 'replaced' } }); } catch (e) { attempts.push(e.message); }
      return { attempts, frozen: Object.isFrozen(lianjie) };
    }`;
    const install = h.install({ act: tamper });
    expect(expectOutput(await h.run(install, 'act'))).toEqual({ attempts: ['TypeError', 'TypeError', 'lianjie.register may be called once'], frozen: true });
  });
});

describe('shared state', () => {
  it('11. Object.prototype pollution stays inside the polluting isolate', async () => {
    const actions = {
      pollute: '() => { Object.prototype.polluted = 1; Array.prototype.polluted = 2; return { mine: ({}).polluted }; }',
      read: '() => ({ object: typeof ({}).polluted, array: typeof [].polluted })',
    };
    const polluter = h.install(actions, { tenantId: 'tenant-pollute-a' });
    expect(expectOutput(await h.run(polluter, 'pollute'))).toEqual({ mine: 1 });
    // The host process never sees it…
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    // …nor does another tenant's isolate of the same plugin, while the polluter's own isolate keeps it.
    const other = h.installAgain(polluter, 'tenant-pollute-b');
    expect(expectOutput(await h.run(other, 'read'))).toEqual({ object: 'undefined', array: 'undefined' });
    expect(expectOutput(await h.run(polluter, 'read'))).toEqual({ object: 'number', array: 'number' });
  });

  it("26. two installs of one plugin never see each other's globals", async () => {
    const actions = {
      hide: '(input) => { globalThis.secret = input.secret; return "hidden"; }',
      peek: '() => ({ secret: typeof globalThis.secret === "undefined" ? null : globalThis.secret })',
    };
    const a = h.install(actions, { tenantId: 'tenant-globals-a' });
    const b = h.installAgain(a, 'tenant-globals-b');
    expect(expectOutput(await h.run(a, 'hide', { secret: 'of a' }))).toBe('hidden');
    expect(expectOutput(await h.run(b, 'peek'))).toEqual({ secret: null });
    expect(expectOutput(await h.run(a, 'peek'))).toEqual({ secret: 'of a' });
    // Even two installs for the same tenant get their own isolates.
    const again = h.installAgain(a, 'tenant-globals-a');
    expect(expectOutput(await h.run(again, 'peek'))).toEqual({ secret: null });
  });

  it('an isolate reset after a limit drops everything the plugin left in it', async () => {
    const actions = { hide: '() => { globalThis.left = "behind"; return 1; }', spin: '() => { while (true) {} }', peek: '() => typeof globalThis.left' };
    const install = h.install(actions);
    await h.run(install, 'hide');
    expect(expectOutput(await h.run(install, 'peek'))).toBe('string');
    expectFailure(await h.run(install, 'spin'), 'sandbox.cpu_limit');
    expect(expectOutput(await h.run(install, 'peek'))).toBe('undefined');
  });
});
