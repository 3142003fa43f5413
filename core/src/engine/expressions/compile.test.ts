// compileExpression, compileTemplate and compileMapping: what compiles, and each problem at its pointer and position.
import { describe, expect, it } from 'vitest';
import { failure } from '../../../../test/support/errors.ts';
import { compileExpression, compileMapping, compileTemplate } from './compile.ts';


describe('compileExpression', () => {
  it('compiles a condition and keeps its source and pointer', () => {
    const compiled = compileExpression("trigger.data.state = 'store42'", '/trigger/if');
    expect(compiled).toMatchObject({ source: "trigger.data.state = 'store42'", pointer: '/trigger/if', offset: 0 });
  });

  it('reports a syntax error as workflow.invalid at the pointer, with JSONata\'s message and position', () => {
    const error = failure(() => compileExpression('trigger.data.', '/steps/0/if'));
    expect(error.code).toBe('workflow.invalid');
    expect(error.details).toEqual([{ pointer: '/steps/0/if', message: '`trigger.data.` does not compile: Unexpected end of expression at position 13' }]);
    expect(error.message).toBe('Expression at /steps/0/if `trigger.data.` does not compile: Unexpected end of expression at position 13');
  });

  it('refuses a condition written as a {{ }} template, saying how to write it', () => {
    expect(failure(() => compileExpression('{{ steps.tag.output.ok }}', '/steps/3/if')).details).toEqual([
      { pointer: '/steps/3/if', message: '`{{ steps.tag.output.ok }}` is a condition, which is plain JSONata without {{ }}: write `steps.tag.output.ok`' },
    ]);
  });

  it('refuses a path that starts outside the scope, pointing the event\'s fields to trigger.data', () => {
    expect(failure(() => compileExpression("data.state = 'store42'", '/trigger/if')).details).toEqual([{
      pointer: '/trigger/if',
      message: "`data.state = 'store42'` reads `data`, which is not in scope (the event's fields are trigger.data): expressions see only trigger, steps, install, now, item, index (at position 4)",
    }]);
    expect(failure(() => compileExpression('$uppercase(process.env.HOME)', '/c')).details[0]!.message).toContain('reads `process`');
  });

  it('accepts names relative to another context: later steps, filters, group-by, order-by, transforms', () => {
    for (const source of [
      'trigger.data.items[price > 10].name',
      'trigger.data.items{sku: qty}',
      'trigger.data.items^(>price).sku',
      'trigger.data ~> | items | { "seen": true } |',
      '$map(trigger.data.items, function($i) { $i.price })',
      '$.trigger.data',
      'steps.tag.output.`count` + install.config.limit',
      'now',
    ]) expect(() => compileExpression(source, '/c'), source).not.toThrow();
  });

  it('refuses regular expressions V8 cannot run in linear time, and accepts the rest', () => {
    for (const regex of ['/(a)\\1/', '/a(?=b)/', '/a/i', '/(a{1,30}){1,30}/']) {
      const [detail] = failure(() => compileExpression(`$match(trigger.data.text, ${regex})`, '/c')).details;
      expect(detail!.message, regex).toContain(`uses ${regex.replace('\\\\', '\\')}, which V8 cannot run in linear time`);
    }
    for (const regex of ['/(a+)+$/', '/^\\d{4}-\\d{2}$/m', '/[a-z]{1,16}/']) {
      expect(() => compileExpression(`$match(trigger.data.text, ${regex})`, '/c'), regex).not.toThrow();
    }
  });
});

describe('compileTemplate', () => {
  it('tells a literal, a whole-value expression and a template apart', () => {
    expect(compileTemplate('plain text', '/p')).toEqual({ kind: 'literal', value: 'plain text' });
    expect(compileTemplate('{{ steps.tag.output.count }}', '/p')).toMatchObject({ kind: 'whole', expr: { source: ' steps.tag.output.count ', offset: 2 } });
    const template = compileTemplate('Hi {{ trigger.data.name }}!', '/p');
    expect(template.kind).toBe('template');
    expect(template.kind === 'template' && template.parts.map((part) => (typeof part === 'string' ? part : part.source))).toEqual(['Hi ', ' trigger.data.name ', '!']);
  });

  it('treats text around a single {{ }}, even spaces, as a template (a string)', () => {
    expect(compileTemplate(' {{ now }}', '/p').kind).toBe('template');
  });

  it('counts positions from the start of the string, and reports every broken expression in it', () => {
    const error = failure(() => compileTemplate('a {{ trigger.( }} b {{ 1 + }}', '/steps/2/input/text'));
    expect(error.details).toEqual([
      { pointer: '/steps/2/input/text', message: '`trigger.(` does not compile: Expected ")" before end of expression at position 15' },
      { pointer: '/steps/2/input/text', message: '`1 +` does not compile: Unexpected end of expression at position 27' },
    ]);
    expect(error.message).toContain('(and 1 more)');
  });

  it('reports unclosed and empty braces', () => {
    expect(failure(() => compileTemplate('{{ trigger', '/t')).details).toEqual([{ pointer: '/t', message: "has a '{{' at position 0 that no '}}' closes" }]);
    expect(failure(() => compileTemplate('x{{}}', '/t')).details).toEqual([{ pointer: '/t', message: "has an empty '{{ }}' at position 1" }]);
  });
});

describe('compileMapping', () => {
  it('folds parts without expressions into constants and compiles the strings that have them', () => {
    expect(compileMapping({ tags: ['store42'], n: 1, ok: true, none: null }, '/i')).toEqual({ kind: 'constant', json: '{"tags":["store42"],"n":1,"ok":true,"none":null}' });
    const compiled = compileMapping({ id: '{{ trigger.data.externalUserId }}', tags: ['a', '{{ now }}'], fixed: { x: 1 } }, '/i');
    expect(compiled.kind).toBe('object');
    if (compiled.kind !== 'object') return;
    expect(compiled.entries.map(([key, item]) => [key, item.kind])).toEqual([['id', 'whole'], ['tags', 'array'], ['fixed', 'constant']]);
  });

  it('reports every problem at its pointer inside the mapping, escaping ~ and / in keys', () => {
    const error = failure(() => compileMapping({
      text: 'Hi {{ trigger.data.name & }}',
      list: ['ok', '{{ user.id }}'],
      'a/b~c': { deep: '{{ (1 }}' },
    }, '/steps/2/input'));
    expect(error.code).toBe('workflow.invalid');
    expect(error.details.map((detail) => detail.pointer)).toEqual(['/steps/2/input/text', '/steps/2/input/list/1', '/steps/2/input/a~1b~0c/deep']);
    expect(error.details[0]!.message).toBe('`trigger.data.name &` does not compile: Unexpected end of expression at position 26');
  });

  it('refuses values that are not JSON and nesting past 100 levels', () => {
    expect(failure(() => compileMapping({ f: () => 1, n: Number.NaN }, '/i')).details).toEqual([
      { pointer: '/i/f', message: 'is not a JSON value' },
      { pointer: '/i/n', message: 'is not a JSON value' },
    ]);
    let deep: unknown = 'x';
    for (let i = 0; i < 120; i++) deep = [deep];
    expect(failure(() => compileMapping(deep, '')).details[0]!.message).toBe('is nested deeper than 100 levels');
  });
});
