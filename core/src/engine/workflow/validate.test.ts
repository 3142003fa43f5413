// validateWorkflow: the shipped example, and each rule beyond the schema with the exact pointer of its problem.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { failure } from '../../../../test/support/errors.ts';
import { loadConfig } from '../../config/load.ts';
import { loadInstalls } from '../../plugins/installs.ts';
import { inlinePlugin, testInstall, testManifest } from '../../../../test/support/plugins.ts';
import { validateWorkflow } from './validate.ts';
import { acmeInstalls, send, workflowOf } from './workflow.test-support.ts';

const installs = acmeInstalls();
const problems = (value: unknown, options = {}) => failure(() => validateWorkflow(value, installs, options)).details;
const stop = (id: string, extra: Record<string, unknown> = {}) => ({ id, stop: { status: 'completed' }, ...extra });

describe('validateWorkflow', () => {
  it('accepts examples/workflows/retail/store-welcome.json with its three plugins installed as the demo installs them, filling in defaults', async () => {
    const example = JSON.parse(readFileSync(new URL('../../../../examples/workflows/retail/store-welcome.json', import.meta.url), 'utf8'));
    const before = structuredClone(example);
    const demo = fileURLToPath(new URL('../../../../examples/demo/lianjie.config.json', import.meta.url));
    const uses = ['lianjie.customer-tags', 'lianjie.keyword-reply', 'lianjie.store-membership'];
    const installed = (await loadInstalls(loadConfig(demo, {}).config, path.dirname(demo))).filter((i) => uses.includes(i.plugin.manifest.id));
    expect(installed.map((i) => i.plugin.manifest.id).sort()).toEqual(uses);
    const workflow = validateWorkflow(example, installed, { tenants: ['demo'] });
    expect(workflow).toEqual({ ...before, enabled: true });
    expect(example).toEqual(before);
  });

  it('accepts a workflow with a plugin trigger and steps that use earlier steps, nested ones included', () => {
    const workflow = validateWorkflow(workflowOf([
      send('first'),
      { id: 'check', branch: { if: 'steps.first.output.sent', then: [send('inner', { text: '{{ steps.first.output.id }}' })], else: [stop('done')] } },
      { id: 'each', forEach: { items: '{{ steps.inner.output.list }}', steps: [send('perItem', { text: 'x' }, { if: 'steps.check.output or steps.first' })] } },
      send('last', { text: '{{ steps.perItem.output.text }}' }, { onError: { goto: 'final' }, timeoutMs: 1500 }),
      stop('final'),
    ], { trigger: { plugin: 'lianjie.welcome/paid', if: 'trigger.amount > 0' } }), installs);
    expect(workflow.steps).toHaveLength(5);
  });

  it('names what is not installed for the tenant, and what the plugin has', () => {
    expect(problems(workflowOf([
      { id: 'a', action: 'lianjie.nope/send' },
      { id: 'b', action: 'lianjie.welcome/sned' },
      { id: 'c', action: 'lianjie.other-tenant/act' },
    ]))).toEqual([
      { pointer: '/steps/0/action', message: 'no plugin "lianjie.nope" is installed for tenant "acme" (installed: lianjie.welcome, lianjie.reminders)' },
      { pointer: '/steps/1/action', message: 'lianjie.welcome@1.0.0 has no action "sned" (its actions: send)' },
      { pointer: '/steps/2/action', message: 'no plugin "lianjie.other-tenant" is installed for tenant "acme" (installed: lianjie.welcome, lianjie.reminders)' },
    ]);
    expect(problems(workflowOf([{ id: 'a', action: 'lianjie.welcome/send' }], { tenantId: 'gamma' }))).toEqual([
      { pointer: '/steps/0/action', message: 'no plugin "lianjie.welcome" is installed for tenant "gamma" (it has no plugins installed)' },
    ]);
  });

  it('checks the trigger: a canonical event type, or a trigger of an installed plugin', () => {
    expect(problems(workflowOf([], { trigger: { event: 'wecom.external_contact.added' } }))).toEqual([
      { pointer: '/trigger/event', message: '"wecom.external_contact.added" is not a canonical event type (each has a schema in schemas/events/)' },
    ]);
    expect(problems(workflowOf([], { trigger: { plugin: 'lianjie.reminders/daily' } }))).toEqual([
      { pointer: '/trigger/plugin', message: 'lianjie.reminders@1.0.0 has no trigger "daily" (it has no triggers)' },
    ]);
    expect(problems(workflowOf([], { trigger: { plugin: 'lianjie.welcome/refund' } }))).toEqual([
      { pointer: '/trigger/plugin', message: 'lianjie.welcome@1.0.0 has no trigger "refund" (its triggers: paid)' },
    ]);
  });

  it('checks the tenant when the tenants are given', () => {
    expect(() => validateWorkflow(workflowOf([]), installs, { tenants: ['acme', 'beta'] })).not.toThrow();
    expect(problems(workflowOf([]), { tenants: ['beta'] })).toEqual([{ pointer: '/tenantId', message: 'no tenant "acme" (tenants: beta)' }]);
  });
});

describe('step ids and goto', () => {
  it('refuses an id used twice, nested or not, naming the first', () => {
    expect(problems(workflowOf([
      stop('a'),
      { id: 'b', branch: { if: 'true', then: [stop('a')], else: [stop('b')] } },
      { id: 'c', forEach: { items: '{{ [1] }}', steps: [stop('c')] } },
    ]))).toEqual([
      { pointer: '/steps/1/branch/then/0/id', message: 'step id "a" is already used at /steps/0/id' },
      { pointer: '/steps/1/branch/else/0/id', message: 'step id "b" is already used at /steps/1/id' },
      { pointer: '/steps/2/forEach/steps/0/id', message: 'step id "c" is already used at /steps/2/id' },
    ]);
  });

  it('lets goto jump forward within its own list only', () => {
    expect(problems(workflowOf([
      send('a', undefined, { onError: { goto: 'missing' } }),
      send('b', undefined, { onError: { goto: 'a' } }),
      send('c', undefined, { onError: { goto: 'c' } }),
      { id: 'd', branch: { if: 'true', then: [send('e', undefined, { onError: { goto: 'f' } })] } },
      stop('f'),
    ]))).toEqual([
      { pointer: '/steps/0/onError/goto', message: 'names step "missing", but the workflow has no such step' },
      { pointer: '/steps/1/onError/goto', message: 'names step "a" (/steps/0), which does not come after this step: goto jumps forward' },
      { pointer: '/steps/2/onError/goto', message: 'names step "c" (/steps/2), which does not come after this step: goto jumps forward' },
      { pointer: '/steps/3/branch/then/0/onError/goto', message: 'names step "f" (/steps/4), which is not in the same list of steps as this one' },
    ]);
  });
});

describe('literal wait times', () => {
  it('accepts an RFC 3339 timestamp with an offset, or an expression', () => {
    expect(() => validateWorkflow(workflowOf([{ id: 'w', wait: { until: '2026-12-01T09:00:00+08:00' } }, { id: 'x', wait: { until: '{{ trigger.occurredAt }}' } }]), installs))
      .not.toThrow();
  });

  it.each(['tomorrow', '2026-12-01', '2026-12-01T09:00:00', '2026-13-01T09:00:00Z', '2026-02-30T09:00:00+08:00'])('refuses %j', (until) => {
    expect(problems(workflowOf([{ id: 'w', wait: { until } }]))).toEqual([
      { pointer: '/steps/0/wait/until', message: 'must be an RFC 3339 timestamp with an offset, such as 2026-12-01T09:00:00+08:00, or a {{ expression }}' },
    ]);
  });
});

describe('references to steps in expressions', () => {
  it('must name a step that has finished before the expression runs', () => {
    expect(problems(workflowOf([
      send('a', { text: '{{ steps.b.output.text }}' }),
      send('b', { text: 'x', userId: '{{ steps.nobody.output }}' }, { if: 'steps.b.output.ok' }),
      { id: 'loop', forEach: { items: '{{ steps.inner.output }}', steps: [send('inner', { text: '{{ steps.loop.output }}' })] } },
      { id: 'fork', branch: { if: 'true', then: [send('yes')], else: [send('no', { text: '{{ steps.yes.output.text }}' })] } },
    ], { trigger: { event: 'wecom.external_contact.add', if: 'steps.a.output.ok' } }))).toEqual([
      { pointer: '/trigger/if', message: 'names steps.a, but the trigger\'s condition is evaluated before any step runs' },
      { pointer: '/steps/0/input/text', message: 'names steps.b, which comes later (/steps/1): a step can use only the steps before it' },
      { pointer: '/steps/1/input/userId', message: 'names steps.nobody, but the workflow has no step "nobody"' },
      { pointer: '/steps/1/if', message: 'names steps.b, the step it belongs to: a step can use only the steps before it' },
      { pointer: '/steps/2/forEach/items', message: 'names steps.inner, which comes later (/steps/2/forEach/steps/0): a step can use only the steps before it' },
      { pointer: '/steps/2/forEach/steps/0/input/text', message: 'names steps.loop, which encloses this step and has no output until it has finished' },
      { pointer: '/steps/3/branch/else/0/input/text', message: 'names steps.yes, which is in the other arm of the branch at /steps/3 and never runs in the same run as this step' },
    ]);
  });

  it('ignores steps.x inside string literals', () => {
    expect(() => validateWorkflow(workflowOf([send('a', { text: '{{ "see steps.z" }}' }, { if: "'steps.z' = 'x'" })]), installs)).not.toThrow();
  });
});

describe('item and index', () => {
  it('are readable in the steps of a forEach body, and nowhere else', () => {
    expect(problems(workflowOf([
      send('a', { text: '{{ item }}' }, { if: 'index > 0' }),
      { id: 'each', forEach: { items: '{{ [item] }}', steps: [send('b', { text: '{{ item.name }} #{{ index }}' }, { if: 'trigger.data.index = index' })] } },
    ], { trigger: { event: 'wecom.external_contact.add', if: '$exists(item)' } }))).toEqual([
      { pointer: '/trigger/if', message: 'reads `item`, which exists only in the steps of a forEach body' },
      { pointer: '/steps/0/input/text', message: 'reads `item`, which exists only in the steps of a forEach body' },
      { pointer: '/steps/0/if', message: 'reads `index`, which exists only in the steps of a forEach body' },
      { pointer: '/steps/1/forEach/items', message: 'reads `item`, which exists only in the steps of a forEach body' },
    ]);
  });
});

describe('expressions that do not compile', () => {
  it.each([
    ['a step condition', [send('a', undefined, { if: 'trigger.data.state = ' })], '/steps/0/if'],
    ['the trigger condition', [], '/trigger/if'],
    ['a template in an input', [send('a', { text: 'Hi {{ trigger.data. }}' })], '/steps/0/input/text'],
    ['a branch condition', [{ id: 'b', branch: { if: '(((', then: [] } }], '/steps/0/branch/if'],
    ['forEach items', [{ id: 'e', forEach: { items: '{{ [1, }}', steps: [] } }], '/steps/0/forEach/items'],
    ['a wait time', [{ id: 'w', wait: { until: '{{ $now( }}' } }], '/steps/0/wait/until'],
  ])('in %s, at its pointer', (what, steps, pointer) => {
    const trigger = what === 'the trigger condition' ? { event: 'wecom.external_contact.add', if: 'trigger.data.state = ' } : undefined;
    const details = problems(workflowOf(steps, trigger ? { trigger } : {}));
    expect(details.length, JSON.stringify(details)).toBeGreaterThan(0);
    expect(details.every((d) => d.pointer === pointer || d.pointer.startsWith(`${pointer}/`)), JSON.stringify(details)).toBe(true);
  });
});

describe('literal inputs against the action\'s input schema', () => {
  it('checks an input without templates in full, an absent one as {}', () => {
    expect(problems(workflowOf([
      send('a', { text: '', tags: ['a', 'b', 'c', 'd'] }),
      { id: 'b', action: 'lianjie.welcome/send' },
    ]))).toEqual([
      { pointer: '/steps/0/input/text', message: 'must NOT have fewer than 1 characters' },
      { pointer: '/steps/0/input/tags', message: 'must NOT have more than 3 items' },
      { pointer: '/steps/1/input/text', message: 'is required' },
    ]);
  });

  it('with templates, checks required and unknown keys and the values that hold no template, never a template\'s value', () => {
    expect(problems(workflowOf([
      send('a', { userId: '{{ trigger.data.userId }}', tags: [1], colour: '{{ "red" }}' }),
      send('b', { text: '{{ trigger.data.count }}', tags: ['{{ trigger.a }}', 'b', 'c', 'd'] }),
    ]))).toEqual([
      { pointer: '/steps/0/input/text', message: 'is required' },
      { pointer: '/steps/0/input/tags/0', message: 'must be string' },
      { pointer: '/steps/0/input/colour', message: 'is not an allowed key here' },
    ]);
  });

  it('with templates, checks nothing when the schema\'s top level does not judge keys one by one', () => {
    const either = { anyOf: [{ type: 'object', properties: { a: {} }, required: ['a'] }, { type: 'object', properties: { b: {} }, required: ['b'] }] };
    const plugin = inlinePlugin(testManifest('lianjie.either', ['act'], { actions: [{ id: 'act', input: either, output: {} }] }), 'void 0;');
    const own = [testInstall(plugin, 'acme')];
    expect(() => validateWorkflow(workflowOf([{ id: 's', action: 'lianjie.either/act', input: { c: '{{ 1 }}' } }]), own)).not.toThrow();
    const error = failure(() => validateWorkflow(workflowOf([{ id: 's', action: 'lianjie.either/act', input: { c: 1 } }]), own));
    expect(error.details.map((d) => d.pointer)).toEqual(expect.arrayContaining(['/steps/0/input/a']));
  });

  it('follows a top-level $ref to a definition', () => {
    const schema = { $ref: '#/$defs/in', $defs: { in: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false } } };
    const plugin = inlinePlugin(testManifest('lianjie.ref', ['act'], { actions: [{ id: 'act', input: schema, output: {} }] }), 'void 0;');
    expect(failure(() => validateWorkflow(workflowOf([{ id: 's', action: 'lianjie.ref/act', input: { m: '{{ 1 }}' } }]), [testInstall(plugin, 'acme')])).details).toEqual([
      { pointer: '/steps/0/input/n', message: 'is required' },
      { pointer: '/steps/0/input/m', message: 'is not an allowed key here' },
    ]);
  });

  it('keeps a step\'s timeoutMs within the action\'s own limit', () => {
    expect(problems(workflowOf([send('a', undefined, { timeoutMs: 1501 })]))).toEqual([
      { pointer: '/steps/0/timeoutMs', message: 'must not exceed 1500, the time limit of lianjie.welcome/send' },
    ]);
    expect(() => validateWorkflow(workflowOf([{ id: 'r', action: 'lianjie.reminders/notify-staff', timeoutMs: 2000 }]), installs)).not.toThrow();
  });
});

describe('the error', () => {
  it('is workflow.invalid with every problem in document order, schema and rules together, one per place', () => {
    const error = failure(() => validateWorkflow(workflowOf([
      { id: 'a', action: 'send' },
      send('a', { text: 1 }),
      { id: 'c', wait: 'soon' },
    ], { trigger: { event: 'wecom.nothing' }, extra: true }), installs));
    expect(error.code).toBe('workflow.invalid');
    expect(error.details).toEqual([
      { pointer: '/trigger/event', message: '"wecom.nothing" is not a canonical event type (each has a schema in schemas/events/)' },
      { pointer: '/steps/0/action', message: 'must be a plugin id and one of its action ids, such as lianjie.welcome/send' },
      { pointer: '/steps/1/id', message: 'step id "a" is already used at /steps/0/id' },
      { pointer: '/steps/1/input/text', message: 'must be string' },
      { pointer: '/steps/2/wait', message: expect.stringContaining('must be an ISO 8601 duration') },
      { pointer: '/extra', message: 'is not an allowed key here' },
    ]);
    expect(error.message).toBe('invalid workflow store-welcome: /trigger/event "wecom.nothing" is not a canonical event type (each has a schema in schemas/events/); /steps/0/action must be a plugin id and one of its action ids, such as lianjie.welcome/send; /steps/1/id step id "a" is already used at /steps/0/id; and 3 more');
  });

  it('for something that is not a workflow at all', () => {
    const error = failure(() => validateWorkflow([], installs));
    expect(error.message).toBe('invalid workflow: / must be object');
  });
});
