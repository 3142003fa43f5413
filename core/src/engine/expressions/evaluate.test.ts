// evaluateMapping and evaluateCondition: value types, templates, fresh results, the clock, truthiness, failures.
import { describe, expect, it } from 'vitest';
import { compileExpression, compileMapping } from './compile.ts';
import { evaluateCondition, evaluateMapping } from './evaluate.ts';
import { map, now, rejection, scopeWith } from './evaluate.test-support.ts';

describe('evaluateMapping: whole values', () => {
  it('keeps the type of a string that is exactly one {{ }}', async () => {
    expect(await map({
      count: '{{ steps.tag.output.count }}', ok: '{{ steps.tag.output.ok }}', tags: '{{ steps.tag.output.tags }}',
      item: '{{ trigger.data.items[0] }}', id: '{{ trigger.data.externalUserId }}', sum: '{{ $sum(trigger.data.items.price) }}',
    })).toEqual({ count: 3, ok: true, tags: ['store42'], item: { sku: 'a', price: 12 }, id: 'wm42', sum: 20 });
  });

  it('turns an undefined value into null, in objects and arrays alike', async () => {
    expect(await map({ missing: '{{ trigger.data.nickname }}', list: ['{{ steps.nope.output }}', 1] })).toEqual({ missing: null, list: [null, 1] });
    expect(await map('{{ trigger.data.nickname }}')).toBeNull();
  });

  it('gives a plain array for a JSONata sequence, and one value for a sequence of one', async () => {
    expect(await map('{{ trigger.data.items.sku }}')).toEqual(['a', 'b']);
    expect(await map('{{ trigger.data.items[price > 10].sku }}')).toBe('a');
  });
});

describe('evaluateMapping: templates', () => {
  it('replaces each {{ }} by its text: strings as is, numbers and booleans via String, the rest as JSON', async () => {
    expect(await map('{{ trigger.data.userId }} has {{ steps.tag.output.count }} tags: {{ steps.tag.output.tags }}, ok={{ steps.tag.output.ok }}, {{ trigger.data.items[1] }}'))
      .toBe('zhangsan has 3 tags: ["store42"], ok=true, {"sku":"b","price":8}');
  });

  it('writes nothing for undefined and null', async () => {
    expect(await map('[{{ trigger.data.nickname }}][{{ null }}]')).toBe('[][]');
  });

  it('keeps the literal text around and between expressions, spaces included', async () => {
    expect(await map(' {{ 1 }} ')).toBe(' 1 ');
    expect(await map('{{ 1 }}{{ 2 }}')).toBe('12');
  });
});

describe('evaluateMapping: the result', () => {
  it('maps nested objects and arrays, keeping constants and key order', async () => {
    expect(await map({ a: { b: ['x', '{{ install.config.daysBefore }}'] }, c: 'plain', d: [1, { e: '{{ now }}' }] }))
      .toEqual({ a: { b: ['x', 7] }, c: 'plain', d: [1, { e: now }] });
  });

  it('shares nothing with the scope or with earlier results', async () => {
    const scope = scopeWith();
    const compiled = compileMapping({ item: '{{ trigger.data.items[0] }}', fixed: { tags: ['x'] } }, '/m');
    const first = (await evaluateMapping(compiled, scope)) as { item: { price: number }; fixed: { tags: string[] } };
    first.item.price = 0;
    first.fixed.tags.push('y');
    expect(await evaluateMapping(compiled, scope)).toEqual({ item: { sku: 'a', price: 12 }, fixed: { tags: ['x'] } });
    expect((scope.trigger as { data: { items: { price: number }[] } }).data.items[0]!.price).toBe(12);
  });

  it('keeps a "__proto__" key as a key', async () => {
    const result = (await map(JSON.parse('{"__proto__": "{{ 1 }}", "a": "{{ 2 }}"}'))) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(['__proto__', 'a']);
  });

  it('gives `now`, $now() and $millis() the scope\'s instant, whatever the clock says', async () => {
    expect(await map({ iso: '{{ now }}', fn: '{{ $now() }}', ms: '{{ $millis() }}', pictured: "{{ $now('[Y0001]-[M01]-[D01] [H01]:[m01]', '+0800') }}" }))
      .toEqual({ iso: now, fn: now, ms: Date.parse(now), pictured: '2026-11-21 16:00' });
  });

  it('refuses a value holding a function: it is not JSON', async () => {
    for (const value of ['{{ $uppercase }}', '{{ function($x) { $x } }}', '{{ { "f": $now } }}', 'text {{ [$now] }}']) {
      const error = await rejection(map({ f: value }));
      expect(error.code, value).toBe('workflow.expression_failed');
      expect(error.details, value).toEqual([{ pointer: '/m/f', message: expect.stringContaining('yields a function, which is not JSON') }]);
    }
  });

  it('reports JSONata\'s runtime errors at the expression\'s pointer, positions counted in the string', async () => {
    const error = await rejection(map({ text: 'Hi {{ $error("no name") }}' }));
    expect(error.code).toBe('workflow.expression_failed');
    expect(error.details).toEqual([{ pointer: '/m/text', message: '`$error("no name")` failed: no name at position 13' }]);
    expect(error.message).toBe('Expression at /m/text `$error("no name")` failed: no name at position 13');
    expect((await rejection(map({ n: '{{ trigger.data.userId + 1 }}' }))).details[0]!.message).toContain('must evaluate to a number');
  });

  it('refuses a scope whose now is not a timestamp', async () => {
    expect((await rejection(map('{{ now }}', scopeWith({ now: 'yesterday' })))).code).toBe('internal');
  });

  it('maps a typical three-field mapping in well under a millisecond (printed, not asserted)', async () => {
    const compiled = compileMapping({
      externalUserId: '{{ trigger.data.externalUserId }}', tags: ['store42'],
      text: 'Three days ago {{ trigger.data.externalUserId }} joined; {{ steps.tag.output.count }} tags',
    }, '/steps/0/input');
    const scope = scopeWith();
    for (let i = 0; i < 500; i++) await evaluateMapping(compiled, scope);
    const rounds = 2000;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) await evaluateMapping(compiled, scope);
    console.log(`a three-field mapping: ${(((performance.now() - started) / rounds) * 1000).toFixed(1)} µs per evaluation`);
  });
});

describe('evaluateCondition', () => {
  const holds = (source: string) => evaluateCondition(compileExpression(source, '/if'), scopeWith());

  it('reads the scope: trigger filters through trigger, step conditions through steps', async () => {
    expect(await holds("trigger.data.state = 'store42'")).toBe(true);
    expect(await holds("trigger.data.state = 'store7'")).toBe(false);
    expect(await holds('steps.tag.output.ok')).toBe(true);
    expect(await holds('$exists(trigger.data.welcomeCode)')).toBe(false);
  });

  it('follows JSONata\'s truthiness', async () => {
    const cases: [string, boolean][] = [
      ['true', true], ['false', false], ['1', true], ['0', false], ['"x"', true], ['""', false], ['null', false],
      ['trigger.data.nope', false], ['[]', false], ['[0]', false], ['[0, 1]', true], ['{}', false], ['{"a": 1}', true],
      ['$uppercase', false], ['steps.tag.output.tags', true],
    ];
    for (const [source, expected] of cases) expect(await holds(source), source).toBe(expected);
  });

  it('fails like a mapping does, at the condition\'s pointer', async () => {
    const error = await rejection(evaluateCondition(compileExpression('$error("stop")', '/steps/3/if'), scopeWith()));
    expect(error.details).toEqual([{ pointer: '/steps/3/if', message: '`$error("stop")` failed: stop at position 7' }]);
  });
});
