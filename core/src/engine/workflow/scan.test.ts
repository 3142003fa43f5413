// The simple scans: {{ }} templates in a mapping's strings, and the steps an expression names.
import { describe, expect, it } from 'vitest';
import { hasTemplates, referencedSteps, templateTexts } from './scan.ts';

describe('templateTexts', () => {
  it('finds every {{ }} in every string, with the pointer of its string', () => {
    expect(templateTexts({ a: 'Hi {{ trigger.name }}, {{ steps.tag.output }}', b: ['x', { 'c/d': '{{1}}' }], n: 3, z: null }, '/steps/0/input')).toEqual([
      { pointer: '/steps/0/input/a', source: ' trigger.name ' },
      { pointer: '/steps/0/input/a', source: ' steps.tag.output ' },
      { pointer: '/steps/0/input/b/1/c~1d', source: '1' },
    ]);
  });

  it('tells a mapping with templates from a literal one', () => {
    expect(hasTemplates({ a: ['{{ x }}'] })).toBe(true);
    expect(hasTemplates({ a: ['{ x }', 'a}}b'], b: 1 })).toBe(false);
    expect(hasTemplates({ a: 'broken {{ x' })).toBe(true);
  });
});

describe('referencedSteps', () => {
  it.each([
    ['steps.tag.output.ok', ['tag']],
    ['$exists(steps.tag) and steps.welcome.output.sent', ['tag', 'welcome']],
    ['steps . tag', ['tag']],
    ['$.steps.tag', ['tag']],
    ['steps.`odd name`.output', ['odd name']],
    ['steps.tag.x + steps.tag.y', ['tag']],
    ['trigger.steps.tag', []],
    ['$steps.tag', []],
    ['mysteps.tag', []],
    ["'see steps.tag' & \"steps.other\"", []],
    ["'it\\'s steps.tag'", []],
    ['/* steps.tag */ 1', []],
    ['steps[0]', []],
  ])('%s → %j', (source, ids) => {
    expect(referencedSteps(source)).toEqual(ids);
  });
});
