// What an expression cannot reach: host globals, the prototype chain, function internals, the guard, and any
// property of the caller's scope object beyond trigger, steps, install and now.
import { describe, expect, it } from 'vitest';
import { compileExpression } from './compile.ts';
import { map, rejection, scopeWith } from './evaluate.test-support.ts';

describe('what expressions cannot reach', () => {
  it('refuses host names at compile time: they are names outside the scope', () => {
    for (const source of ['process.env', 'require', 'globalThis.process', 'module.exports']) {
      expect(() => compileExpression(source, '/c'), source).toThrow(/which is not in scope/);
    }
  });

  it('has no $require, $process or $fetch: calling them is calling undefined', async () => {
    for (const source of ['$require("fs")', '$process()', '$fetch("http://example.com")']) {
      expect((await rejection(map(`{{ ${source} }}`))).details[0]!.message, source).toContain('Attempted to invoke a non-function');
    }
    expect(await map({ p: '{{ $process }}', g: '{{ $globalThis }}', e: "{{ $eval('process.env') }}" })).toEqual({ p: null, g: null, e: null });
  });

  it('reads own properties only: no constructor, __proto__ or toString through a path', async () => {
    expect(await map({
      a: '{{ trigger.constructor }}', b: '{{ trigger.__proto__ }}', c: '{{ trigger.toString }}',
      d: "{{ $lookup(trigger, 'constructor') }}", e: "{{ $string('text').constructor }}", f: '{{ steps.tag.output.tags.constructor }}',
      g: '{{ trigger.constructor.constructor("return process")() }}',
    })).toEqual({ a: null, b: null, c: null, d: null, e: null, f: null, g: null });
  });

  it('sees nothing inside functions', async () => {
    expect(await map({
      keys: '{{ $keys($now) }}', impl: "{{ $lookup($now, 'implementation') }}", env: '{{ function() { 1 }.environment }}', text: '{{ $string($now) }}',
      spread: '{{ $spread($now).implementation }}',
    })).toEqual({ keys: null, impl: null, env: null, text: '', spread: null });
  });

  it('cannot name the guard binding, in an expression or through $eval', async () => {
    expect(() => compileExpression('$`lianjie guard`', '/c')).toThrow(/does not compile/);
    expect((await rejection(map("{{ $eval('$lianjie guard') }}"))).details[0]!.message).toContain('Syntax error');
  });

  it('sees exactly trigger, steps, install and now as its input, whatever else the scope object carries', async () => {
    const scope = { ...scopeWith(), secret: 's3cret', tenantKey: 'k' };
    expect(await map({ keys: '{{ $keys($) }}', root: '{{ $keys($$) }}', all: '{{ $string($) }}' }, scope)).toMatchObject({
      keys: ['trigger', 'steps', 'install', 'now'], root: ['trigger', 'steps', 'install', 'now'],
    });
    expect(JSON.stringify(await map('{{ $string($$) }}', scope))).not.toContain('s3cret');
  });

  it('cannot change the scope: JSONata has no assignment to data, and transforms copy', async () => {
    const scope = scopeWith();
    expect(await map("{{ trigger ~> | data | { 'state': 'changed' } | }}", scope)).toMatchObject({ data: { state: 'changed' } });
    expect((scope.trigger as { data: { state: string } }).data.state).toBe('store42');
  });
});
