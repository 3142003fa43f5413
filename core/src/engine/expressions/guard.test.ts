// The budget: runaway recursion and loops stop on time or depth, oversized values on size, builtins included,
// and concurrent evaluations of one compiled expression keep their own guards.
import { describe, expect, it } from 'vitest';
import type { Budget } from './budget.ts';
import { compileExpression, compileMapping } from './compile.ts';
import { evaluateCondition, evaluateMapping } from './evaluate.ts';
import { map, rejection, scopeWith } from './evaluate.test-support.ts';

/** The failure message of `{{ source }}` at /m, and how long it took to fail. */
async function stopped(source: string, budget: Partial<Budget> = { timeMs: 20 }): Promise<{ message: string; ms: number }> {
  const started = performance.now();
  const error = await rejection(map(`{{ ${source} }}`, scopeWith(), budget));
  expect(error.code).toBe('workflow.expression_failed');
  expect(error.details[0]!.pointer).toBe('/m');
  return { message: error.details[0]!.message, ms: performance.now() - started };
}

describe('time and depth', () => {
  it('stops endless tail recursion (JSONata runs it in constant depth) on time, soon after the budget', async () => {
    const { message, ms } = await stopped('($f := function($n) { $f($n + 1) }; $f(0))');
    expect(message).toBe('`($f := function($n) { $f($n + 1) }; $f(0))` ran past its time budget of 20 ms');
    expect(ms).toBeLessThan(1000);
  });

  it('stops deep recursion on depth, long before the time runs out', async () => {
    const { message, ms } = await stopped('($f := function($n) { 1 + $f($n + 1) }; $f(0))', { timeMs: 10_000 });
    expect(message).toContain('nested deeper than 100 evaluation levels');
    expect(ms).toBeLessThan(1000);
  });

  it('lets a recursion finish within the depth asked for', async () => {
    const factorial = '($f := function($n) { $n <= 1 ? 1 : $n * $f($n - 1) }; $f(10))';
    expect((await stopped(factorial, { timeMs: 1000, maxDepth: 20 })).message).toContain('nested deeper than 20');
    expect(await map(`{{ ${factorial} }}`, scopeWith(), { maxDepth: 200 })).toBe(3628800);
  });

  it('keeps the same budget inside $eval', async () => {
    expect((await stopped("$eval('($f := function($n) { 1 + $f($n + 1) }; $f(0))')", { timeMs: 10_000 })).message).toContain('nested deeper than 100');
    expect((await stopped("$eval('($f := function($n) { $f($n + 1) }; $f(0))')")).message).toContain('ran past its time budget of 20 ms');
  });

  it('times builtins that call builtins, which no evaluation hook sees', async () => {
    const { message, ms } = await stopped('$reduce([1..90000], function($a, $v) { $append($a, $v) })');
    expect(message).toContain('ran past its time budget');
    expect(ms).toBeLessThan(1000);
  });

  it('shares one deadline among the expressions of a mapping', async () => {
    const slow = '{{ $count([1..30000].($string($))) }}';
    const error = await rejection(map({ a: slow, b: slow, c: slow, d: slow, e: slow, f: slow }, scopeWith(), { timeMs: 30 }));
    expect(error.details[0]!.message).toContain('ran past its time budget of 30 ms');
  });

  it('applies to conditions too', async () => {
    const error = await rejection(evaluateCondition(compileExpression('($f := function() { $f() }; $f())', '/steps/1/if'), scopeWith(), { timeMs: 20 }));
    expect(error.details).toEqual([{ pointer: '/steps/1/if', message: expect.stringContaining('ran past its time budget of 20 ms') }]);
  });

  it('keeps concurrent evaluations of one compiled expression apart', async () => {
    const compiled = compileMapping('{{ $count(trigger.data.items) > 2 ? ($f := function($n) { $f($n + 1) }; $f(0)) : "quick" }}', '/m');
    const runaway = scopeWith({ trigger: { data: { items: [1, 2, 3] } } });
    const [slow, ...quick] = await Promise.allSettled([
      evaluateMapping(compiled, runaway, { timeMs: 50 }),
      ...Array.from({ length: 20 }, () => evaluateMapping(compiled, scopeWith())),
    ]);
    expect(slow.status).toBe('rejected');
    expect(quick.map((result) => result.status === 'fulfilled' && result.value)).toEqual(Array(20).fill('quick'));
  });
});

describe('size', () => {
  it('stops $pad past the output budget before building the string', async () => {
    const { message, ms } = await stopped("$pad('', 2000000)");
    expect(message).toBe("`$pad('', 2000000)` built a string larger than 1000000 bytes ($pad to 2000000)");
    expect(ms).toBeLessThan(50);
  });

  it('stops a string that doubles past the budget, at the step that passes it', async () => {
    const doubling = "($s := $pad('', 1000, 'x'); $s := $s & $s; $s := $s & $s; $s := $s & $s; $s := $s & $s; $s := $s & $s; $length($s))";
    expect((await stopped(doubling, { timeMs: 1000, maxOutputBytes: 10_000 })).message).toContain('built a string larger than 10000 bytes');
  });

  it('stops sequences past 100,000 items, ranges before they are allocated', async () => {
    const { message, ms } = await stopped('$count([1..10000000])');
    expect(message).toBe('`$count([1..10000000])` built a sequence of more than 100000 items');
    expect(ms).toBeLessThan(50);
    expect((await stopped("$count($split($pad('', 200000, 'x'), ''))", { timeMs: 1000 })).message).toContain('built a sequence of more than 100000 items');
  });

  it('counts the whole mapping\'s output against the budget and names the expression that passes it', async () => {
    const error = await rejection(map({ a: "{{ $pad('', 600, 'x') }}", b: "{{ $pad('', 600, 'y') }}" }, scopeWith(), { maxOutputBytes: 1000 }));
    expect(error.details).toEqual([{ pointer: '/m/b', message: "`$pad('', 600, 'y')` made the mapped value larger than its budget of 1000 bytes" }]);
  });

  it('caps $distinct and $eval, whose cost is not linear in their input', async () => {
    expect(await map('{{ $distinct([1, 2, 1, 3]) }}')).toEqual([1, 2, 3]);
    expect((await stopped('$distinct([1..20000])')).message).toContain('called $distinct on more than 10000 items');
    expect((await stopped("$eval($pad('', 20000, '1'))")).message).toContain('called $eval on more than 10000 characters');
  });

  it('keeps JSONata\'s own error for $sort of mixed types', async () => {
    expect((await stopped("$sort([1, 'a'])")).message).toContain('failed:');
  });
});

describe('regular expressions', () => {
  it('run in linear time on event data (a pattern that backtracks catastrophically elsewhere)', async () => {
    const scope = scopeWith({ trigger: { data: { text: `${'a'.repeat(5000)}b` } } });
    const started = performance.now();
    expect(await map('{{ $contains(trigger.data.text, /(a+)+$/) }}', scope)).toBe(false);
    expect(await map("{{ $replace(trigger.data.text, /(a|aa)+b/, 'x') }}", scope)).toBe('x');
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('refuses at run time a regex built by $eval that cannot run in linear time', async () => {
    expect((await stopped("$eval('/(a)\\\\1/')")).message).toContain('Cannot be executed in linear time');
  });
});
