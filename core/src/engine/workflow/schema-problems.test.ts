// The workflow schema: each step kind and onError form, defaults, unknown keys, durations, and one detail per problem.
import { describe, expect, it } from 'vitest';
import { schemaProblems } from './schema-problems.ts';
import { flattenSteps } from './walk.ts';
import { workflowOf } from './workflow.test-support.ts';

/** The schema's problems with `value` (validated in a copy), and the copy with its defaults. */
function check(value: unknown): { problems: { pointer: string; message: string }[]; copy: any } {
  const copy = structuredClone(value);
  return { problems: schemaProblems(copy, flattenSteps(copy)), copy };
}

const problemsOf = (value: unknown) => check(value).problems;
const oneStep = (step: Record<string, unknown>) => problemsOf(workflowOf([step]));

describe('the workflow schema accepts', () => {
  it('each step kind, nested, with every shared setting, and fills in enabled and concurrency', () => {
    const { problems, copy } = check(workflowOf([
      { id: 'tag', name: 'Tag', action: 'lianjie.tags/add', input: { tags: ['a'], who: '{{ trigger.data.userId }}' }, if: 'true', timeoutMs: 500,
        retry: { attempts: 3, backoff: { initialMs: 100, maxMs: 1000, multiplier: 1.5, jitter: 0 }, on: ['sandbox.crashed', 'plugin.*'] } },
      { id: 'plain', action: 'lianjie.tags/list' },
      { id: 'vip', branch: { if: 'trigger.data.vip', then: [{ id: 'stopHere', stop: { status: 'completed', reason: 'vip' } }], else: [] } },
      { id: 'noElse', branch: { if: 'false', then: [] } },
      { id: 'pause', wait: 'P3D' },
      { id: 'until', wait: { until: '{{ trigger.occurredAt }}' } },
      { id: 'each', forEach: { items: '{{ trigger.data.items }}', steps: [{ id: 'inner', action: 'lianjie.tags/add', onError: 'continue' }] } },
      { id: 'wide', forEach: { items: '{{ [1, 2] }}', concurrency: 50, steps: [] } },
      { id: 'fail', stop: { status: 'failed' }, onError: 'fail' },
      { id: 'jump', action: 'lianjie.tags/add', onError: { goto: 'fail' } },
    ], { $schema: '../schemas/workflow.schema.json', description: 'd' }));
    expect(problems).toEqual([]);
    expect(copy.enabled).toBe(true);
    expect(copy.steps[6].forEach.concurrency).toBe(1);
    expect(copy.steps[7].forEach.concurrency).toBe(50);
  });

  it('a plugin trigger, and a disabled workflow', () => {
    expect(problemsOf(workflowOf([], { trigger: { plugin: 'acme.pos/payment', if: 'trigger.amount > 100' }, enabled: false }))).toEqual([]);
  });

  it.each(['P3D', 'PT2H', 'P1DT12H', 'PT30M', 'PT45S', 'P2W', 'P1W2DT3H4M5S'])('the duration %s', (wait) => {
    expect(oneStep({ id: 'w', wait })).toEqual([]);
  });
});

describe('the workflow schema refuses, at the pointer', () => {
  it.each([
    ['P', 'no component'], ['PT', 'no time component'], ['P1DT', 'a T with nothing after it'], ['3D', 'no P'], ['P1Y', 'years'],
    ['P1M', 'months'], ['PT1.5S', 'fractions'], ['p3d', 'lower case'], ['P3D ', 'a trailing space'],
  ])('the duration %j (%s)', (wait) => {
    expect(oneStep({ id: 'w', wait })).toEqual([
      { pointer: '/steps/0/wait', message: 'must be an ISO 8601 duration such as P3D, PT2H or P1DT12H (weeks, days, hours, minutes, seconds; no years or months)' },
    ]);
  });

  it('a wait that is neither a string nor an object, and an until that is not a string', () => {
    expect(oneStep({ id: 'w', wait: 3 })).toEqual([
      { pointer: '/steps/0/wait', message: 'must be an ISO 8601 duration such as P3D, or { "until": <an RFC 3339 timestamp or a {{ expression }}> }' },
    ]);
    expect(oneStep({ id: 'w', wait: { until: 3 } })).toEqual([{ pointer: '/steps/0/wait/until', message: 'must be string' }]);
    expect(oneStep({ id: 'w', wait: { for: 'P1D' } })).toEqual([
      { pointer: '/steps/0/wait/until', message: 'is required' },
      { pointer: '/steps/0/wait/for', message: 'is not an allowed key here' },
    ]);
  });

  it.each([
    ['an unknown key on a step', { id: 's', stop: { status: 'completed' }, colour: 'red' }, '/steps/0/colour', 'is not an allowed key here'],
    ['input on a wait step', { id: 's', wait: 'P1D', input: {} }, '/steps/0/input', 'is allowed on action steps only'],
    ['retry on a branch step', { id: 's', branch: { if: 'true', then: [] }, retry: { attempts: 2 } }, '/steps/0/retry', 'is allowed on action steps only'],
    ['an unknown key in branch', { id: 's', branch: { if: 'true', then: [], otherwise: [] } }, '/steps/0/branch/otherwise', 'is not an allowed key here'],
    ['a branch without then', { id: 's', branch: { if: 'true' } }, '/steps/0/branch/then', 'is required'],
    ['an unknown key in forEach', { id: 's', forEach: { items: '{{ x }}', steps: [], parallel: true } }, '/steps/0/forEach/parallel', 'is not an allowed key here'],
    ['forEach items without {{ }}', { id: 's', forEach: { items: 'trigger.data.items', steps: [] } }, '/steps/0/forEach/items', 'must be a JSONata expression in {{ }}, such as {{ trigger.data.items }}'],
    ['concurrency 0', { id: 's', forEach: { items: '{{ x }}', concurrency: 0, steps: [] } }, '/steps/0/forEach/concurrency', 'must be >= 1'],
    ['concurrency 51', { id: 's', forEach: { items: '{{ x }}', concurrency: 51, steps: [] } }, '/steps/0/forEach/concurrency', 'must be <= 50'],
    ['a stop status other than completed or failed', { id: 's', stop: { status: 'cancelled' } }, '/steps/0/stop/status', 'must be one of ["completed","failed"]'],
    ['an unknown key in stop', { id: 's', stop: { status: 'failed', code: 'x' } }, '/steps/0/stop/code', 'is not an allowed key here'],
    ['an onError word other than fail or continue', { id: 's', action: 'a.b/c', onError: 'retry' }, '/steps/0/onError', 'must be one of ["fail","continue"]'],
    ['an onError object with another key', { id: 's', action: 'a.b/c', onError: { goto: 'x', then: 'y' } }, '/steps/0/onError/then', 'is not an allowed key here'],
    ['an onError object without goto', { id: 's', action: 'a.b/c', onError: {} }, '/steps/0/onError/goto', 'is required'],
    ['an onError goto that is not a step id', { id: 's', action: 'a.b/c', onError: { goto: 'a-b' } }, '/steps/0/onError/goto', 'must be a step id of letters, digits and \'_\''],
    ['an onError number', { id: 's', action: 'a.b/c', onError: 1 }, '/steps/0/onError', 'must be "fail", "continue" or { "goto": "<step id>" }'],
    ['an action without a plugin', { id: 's', action: 'send' }, '/steps/0/action', 'must be a plugin id and one of its action ids, such as lianjie.welcome/send'],
    ['an input that is not an object', { id: 's', action: 'a.b/c', input: '{{ trigger }}' }, '/steps/0/input', 'must be object'],
    ['retry attempts 21', { id: 's', action: 'a.b/c', retry: { attempts: 21 } }, '/steps/0/retry/attempts', 'must be <= 20'],
    ['retry attempts 0', { id: 's', action: 'a.b/c', retry: { attempts: 0 } }, '/steps/0/retry/attempts', 'must be >= 1'],
    ['jitter above 1', { id: 's', action: 'a.b/c', retry: { backoff: { jitter: 1.5 } } }, '/steps/0/retry/backoff/jitter', 'must be <= 1'],
    ['an unknown backoff key', { id: 's', action: 'a.b/c', retry: { backoff: 'exponential' } }, '/steps/0/retry/backoff', 'must be object'],
    ['DESIGN.md\'s retry.max', { id: 's', action: 'a.b/c', retry: { max: 5 } }, '/steps/0/retry/max', 'is not an allowed key here'],
    ['a retry code that is not one', { id: 's', action: 'a.b/c', retry: { on: ['Plugin Error'] } }, '/steps/0/retry/on/0', 'must be a failure code such as sandbox.crashed, or a prefix such as plugin.*'],
    ['a timeoutMs of 0', { id: 's', action: 'a.b/c', timeoutMs: 0 }, '/steps/0/timeoutMs', 'must be >= 1'],
    ['a step id with a dash', { id: 'send-welcome', stop: { status: 'completed' } }, '/steps/0/id', 'must be a step id of letters, digits and \'_\' starting with a letter'],
    ['a step without an id', { stop: { status: 'completed' } }, '/steps/0/id', 'is required'],
    ['an empty condition', { id: 's', stop: { status: 'completed' }, if: '' }, '/steps/0/if', 'must NOT have fewer than 1 characters'],
  ])('%s', (_what, step, pointer, message) => {
    const problems = oneStep(step);
    expect(problems, JSON.stringify(problems)).toEqual([{ pointer, message: expect.stringContaining(message) }]);
  });

  it('a step of no kind, and a step of two, with one detail each', () => {
    expect(oneStep({ id: 's' })).toEqual([{ pointer: '/steps/0', message: 'must have one of "action", "branch", "wait", "forEach" or "stop"' }]);
    expect(oneStep({ id: 's', action: 'a.b/c', wait: 'P1D', input: {} })).toEqual([
      { pointer: '/steps/0', message: 'has "action" and "wait": a step has exactly one of "action", "branch", "wait", "forEach" or "stop"' },
    ]);
  });

  it('the error inside the one kind a step has, not the other kinds\' complaints', () => {
    expect(oneStep({ id: 's', stop: { status: 'done' } })).toEqual([{ pointer: '/steps/0/stop/status', message: 'must be one of ["completed","failed"]' }]);
    expect(oneStep({ id: 's', action: 'a.b/c', input: [], retry: { attempts: 0 } })).toEqual([
      { pointer: '/steps/0/input', message: 'must be object' },
      { pointer: '/steps/0/retry/attempts', message: 'must be >= 1' },
    ]);
  });

  it('problems of nested steps at their own pointers', () => {
    const problems = problemsOf(workflowOf([
      { id: 'b', branch: { if: 'true', then: [{ id: 'x', wait: 'soon' }], else: [{ id: 'y' }] } },
      { id: 'e', forEach: { items: '{{ x }}', steps: [{ id: 'z', stop: { status: 'completed' }, extra: 1 }] } },
    ]));
    expect(problems).toEqual(expect.arrayContaining([
      { pointer: '/steps/0/branch/then/0/wait', message: expect.stringContaining('must be an ISO 8601 duration') },
      { pointer: '/steps/0/branch/else/0', message: expect.stringContaining('must have one of') },
      { pointer: '/steps/1/forEach/steps/0/extra', message: 'is not an allowed key here' },
    ]));
    expect(problems).toHaveLength(3);
  });

  it.each([
    ['no event or plugin', { if: 'true' }, '/trigger', 'must have one of "event" or "plugin"'],
    ['both', { event: 'wecom.external_contact.add', plugin: 'a.b/c' }, '/trigger', 'has "event" and "plugin": a trigger has exactly one of "event" or "plugin"'],
    ['an unknown key', { event: 'wecom.external_contact.add', filter: 'x' }, '/trigger/filter', 'is not an allowed key here'],
    ['an event outside wecom.', { event: 'contact.add' }, '/trigger/event', 'must be a canonical event type such as wecom.external_contact.add'],
    ['a plugin trigger without its trigger id', { plugin: 'acme.pos' }, '/trigger/plugin', 'must be a plugin id and one of its trigger ids'],
  ])('a trigger with %s', (_what, trigger, pointer, message) => {
    expect(problemsOf(workflowOf([], { trigger }))).toEqual([{ pointer, message: expect.stringContaining(message) }]);
  });

  it.each([
    ['an unknown top-level key', { owner: 'me' }, '/owner', 'is not an allowed key here'],
    ['an upper-case id', { id: 'Store' }, '/id', 'must be an id of lower-case letters'],
    ['an empty name', { name: '' }, '/name', 'must NOT have fewer than 1 characters'],
    ['a tenantId with a space', { tenantId: 'acme corp' }, '/tenantId', 'must be an id of lower-case letters'],
    ['enabled as a string', { enabled: 'yes' }, '/enabled', 'must be boolean'],
    ['steps as an object', { steps: {} }, '/steps', 'must be array'],
    ['no trigger', { trigger: undefined }, '/trigger', 'is required'],
  ])('a workflow with %s', (_what, extra, pointer, message) => {
    const value = JSON.parse(JSON.stringify(workflowOf([], extra)));
    expect(problemsOf(value)).toEqual([{ pointer, message: expect.stringContaining(message) }]);
  });
});
