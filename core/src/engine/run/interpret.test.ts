// The interpreter on its own: every step kind, retries, onError, forEach concurrency and resuming from a stored cursor.
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../generated/workflow.ts';
import type { Result } from '../../../../sdk/src/sandbox/index.ts';
import type { StepRecord } from '../../store/types.ts';
import { newCursor, type Cursor } from './cursor.ts';
import { interpret, type RunEnv, type RunOutcome } from './interpret.ts';
import { planWorkflow } from './plan.ts';

type Handler = (input: any, call: { idempotencyKey: string; timeoutMs?: number }) => Result | Promise<Result>;

const ok = (output: unknown = {}): Result => ({ ok: true, output });
const fail = (code: string, retryable = false): Result => ({ ok: false, failure: { code, message: `${code} happened`, retryable } });

/** A run of `steps` against fake actions, a clock the test moves, and a cursor stored as JSON at each checkpoint. */
function harness(steps: unknown[], actions: Record<string, Handler>, trigger: unknown = { data: { name: 'Li' } }) {
  const plan = planWorkflow({ id: 'wf', name: 'wf', tenantId: 'acme', trigger: { event: 'message.text' }, steps } as Workflow, 1);
  let clock = Date.parse('2026-01-01T00:00:00Z');
  let stored: string = JSON.stringify(newCursor());
  const records: Omit<StepRecord, 'runId'>[] = [];
  const calls: { action: string; input: unknown; key: string; timeoutMs?: number }[] = [];
  let pending: Omit<StepRecord, 'runId'>[] = [];
  let checkpoints = 0;
  let cursor: Cursor = JSON.parse(stored);
  let undecided = false;
  const env: RunEnv = {
    runId: 'run_1',
    trigger,
    now: () => clock,
    random: () => 0.5,
    installConfig: (pluginId) => (pluginId === 'gone' ? undefined : { greeting: 'Hi' }),
    async callAction(step, input, call) {
      const name = `${step.pluginId}/${step.actionId}`;
      calls.push({ action: name, input, key: call.idempotencyKey, timeoutMs: call.timeoutMs });
      return actions[name]!(input, call);
    },
    record: (r) => pending.push(r),
    async checkpoint() {
      checkpoints += 1;
      undecided = false;
      stored = JSON.stringify(cursor);
      records.push(...pending);
      pending = [];
    },
    decided: () => {
      undecided = true;
    },
    settle: () => (undecided ? env.checkpoint() : Promise.resolve()),
    yielding: () => false,
  };
  return {
    calls, records, get checkpoints() { return checkpoints; },
    advance: (ms: number) => {
      clock += ms;
    },
    get now() { return clock; },
    /** Interprets from the stored cursor, as a resumed worker would, then keeps what the final write keeps. */
    async run(): Promise<RunOutcome> {
      cursor = JSON.parse(stored);
      const outcome = await interpret(plan, cursor, env);
      await env.checkpoint();
      return outcome;
    },
    /** Runs, moving the clock to each wake-up, until the run ends. */
    async finish(): Promise<RunOutcome> {
      for (;;) {
        const outcome = await this.run();
        if (outcome.kind !== 'waiting') return outcome;
        clock = Math.max(clock, outcome.until);
      }
    },
  };
}

describe('interpret', () => {
  it('runs actions in order; each sees the trigger and the outputs before it, with its own idempotency key', async () => {
    const h = harness(
      [
        { id: 'a', action: 'p/greet', input: { text: '{{ install.config.greeting }}, {{ trigger.data.name }}' } },
        { id: 'b', action: 'p/echo', input: { previous: '{{ steps.a.output.said }}', n: '{{ 1 + 1 }}' } },
      ],
      { 'p/greet': (input) => ok({ said: input.text }), 'p/echo': (input) => ok(input) },
    );
    expect(await h.finish()).toEqual({ kind: 'completed' });
    expect(h.calls).toEqual([
      { action: 'p/greet', input: { text: 'Hi, Li' }, key: 'run_1:a', timeoutMs: undefined },
      { action: 'p/echo', input: { previous: 'Hi, Li', n: 2 }, key: 'run_1:b', timeoutMs: undefined },
    ]);
    expect(h.records.map((r) => [r.stepPath, r.status, r.attempt, r.output])).toEqual([
      ['a', 'completed', 1, '{"said":"Hi, Li"}'],
      ['b', 'completed', 1, '{"previous":"Hi, Li","n":2}'],
    ]);
  });

  it('skips a step whose if is false and records it as skipped', async () => {
    const h = harness(
      [
        { id: 'a', action: 'p/x', if: "trigger.data.name = 'Wang'" },
        { id: 'b', action: 'p/x', if: "trigger.data.name = 'Li'" },
      ],
      { 'p/x': () => ok() },
    );
    await h.finish();
    expect(h.calls.map((c) => c.key)).toEqual(['run_1:b']);
    expect(h.records.map((r) => [r.stepPath, r.status])).toEqual([['a', 'skipped'], ['b', 'completed']]);
  });

  it('takes the then or the else arm of a branch, and a step after the branch sees the arm\'s outputs', async () => {
    for (const [name, arm] of [['Li', 'then'], ['Wang', 'else']] as const) {
      const h = harness(
        [
          { id: 'pick', branch: { if: "trigger.data.name = 'Li'", then: [{ id: 't', action: 'p/x', input: { arm: 'then' } }], else: [{ id: 'e', action: 'p/x', input: { arm: 'else' } }] } },
          { id: 'after', action: 'p/x', input: { t: '{{ steps.t.output.arm }}', e: '{{ steps.e.output.arm }}' } },
        ],
        { 'p/x': (input) => ok(input) },
        { data: { name } },
      );
      expect(await h.finish()).toEqual({ kind: 'completed' });
      expect(h.calls[0]!.input).toEqual({ arm });
      expect(h.calls[1]!.input).toEqual(arm === 'then' ? { t: 'then', e: null } : { t: null, e: 'else' });
      expect(h.records.find((r) => r.stepPath === 'pick')!.output).toBe(JSON.stringify({ arm }));
    }
  });

  it('waits for a duration: the run reports when to wake, and a resume before then waits again', async () => {
    const h = harness([{ id: 'a', action: 'p/x' }, { id: 'pause', wait: 'PT1H30M' }, { id: 'b', action: 'p/x' }], { 'p/x': () => ok() });
    const start = h.now;
    expect(await h.run()).toEqual({ kind: 'waiting', until: start + 90 * 60_000 });
    h.advance(60 * 60_000);
    expect(await h.run()).toEqual({ kind: 'waiting', until: start + 90 * 60_000 });
    expect(h.calls).toHaveLength(1);
    h.advance(30 * 60_000);
    expect(await h.run()).toEqual({ kind: 'completed' });
    expect(h.calls.map((c) => c.key)).toEqual(['run_1:a', 'run_1:b']);
  });

  it('waits until the time an expression gives, and fails the step when it is not a timestamp', async () => {
    const h = harness([{ id: 'pause', wait: { until: '{{ trigger.data.at }}' } }], {}, { data: { at: '2026-01-02T08:00:00+08:00' } });
    expect(await h.run()).toEqual({ kind: 'waiting', until: Date.parse('2026-01-02T00:00:00Z') });
    const bad = harness([{ id: 'pause', wait: { until: '{{ trigger.data.at }}' } }], {}, { data: { at: 'tomorrow' } });
    const outcome = await bad.run();
    expect(outcome).toMatchObject({ kind: 'failed', failure: { code: 'workflow.wait_invalid', step: 'pause' } });
  });

  it('runs forEach items at most `concurrency` at a time, each with item and index, and outputs every item\'s results', async () => {
    let active = 0;
    let most = 0;
    const h = harness(
      [{ id: 'each', forEach: { items: '{{ trigger.data.people }}', concurrency: 2, steps: [{ id: 'send', action: 'p/send', input: { to: '{{ item }}', n: '{{ index }}' } }] } }],
      {
        'p/send': async (input) => {
          active += 1;
          most = Math.max(most, active);
          await new Promise((r) => setTimeout(r, 5));
          active -= 1;
          return ok({ sent: input.to });
        },
      },
      { data: { people: ['a', 'b', 'c', 'd', 'e'] } },
    );
    expect(await h.finish()).toEqual({ kind: 'completed' });
    expect(most).toBe(2);
    expect(h.calls.map((c) => c.key).sort()).toEqual(['run_1:each[0].send', 'run_1:each[1].send', 'run_1:each[2].send', 'run_1:each[3].send', 'run_1:each[4].send']);
    expect(h.calls.find((c) => c.key === 'run_1:each[3].send')!.input).toEqual({ to: 'd', n: 3 });
    expect(JSON.parse(h.records.find((r) => r.stepPath === 'each')!.output!)).toEqual(['a', 'b', 'c', 'd', 'e'].map((p) => ({ send: { sent: p } })));
  });

  it('fails a forEach whose items are not an array', async () => {
    const h = harness([{ id: 'each', forEach: { items: '{{ trigger.data }}', steps: [{ id: 's', action: 'p/x' }] } }], {});
    expect(await h.run()).toMatchObject({ kind: 'failed', failure: { code: 'workflow.expression_failed', message: expect.stringContaining('not an array') } });
  });

  it('a failing item fails the forEach; its onError continue lets the run go on', async () => {
    const steps = (onError?: string) => [
      { id: 'each', ...(onError ? { onError } : {}), forEach: { items: '{{ [1, 2, 3] }}', steps: [{ id: 's', action: 'p/x', input: { n: '{{ item }}' } }] } },
      { id: 'after', action: 'p/x', input: { n: 0 } },
    ];
    const actions = { 'p/x': (input: { n: number }) => (input.n === 2 ? fail('plugin.boom') : ok()) };
    const failing = harness(steps(), actions);
    expect(await failing.finish()).toMatchObject({ kind: 'failed', failure: { code: 'plugin.boom', step: 'each[1].s' } });
    expect(failing.calls.map((c) => c.input)).toEqual([{ n: 1 }, { n: 2 }]);
    const continuing = harness(steps('continue'), actions);
    expect(await continuing.finish()).toEqual({ kind: 'completed' });
    expect(continuing.calls.at(-1)!.input).toEqual({ n: 0 });
  });

  it('a stop ends the run: completed, or failed with its reason', async () => {
    const done = harness([{ id: 'end', stop: { status: 'completed' } }, { id: 'never', action: 'p/x' }], { 'p/x': () => ok() });
    expect(await done.finish()).toEqual({ kind: 'completed' });
    expect(done.calls).toHaveLength(0);
    const failed = harness([{ id: 'end', stop: { status: 'failed', reason: 'no store for {{ trigger.data.name }}' } }], {});
    expect(await failed.finish()).toEqual({ kind: 'failed', failure: { code: 'workflow.stopped', message: 'no store for Li', step: 'end' } });
  });

  it('a stop inside a forEach item ends the whole run', async () => {
    const h = harness(
      [{ id: 'each', forEach: { items: '{{ [1, 2, 3] }}', steps: [{ id: 'halt', if: 'item = 2', stop: { status: 'completed' } }, { id: 's', action: 'p/x' }] } }, { id: 'after', action: 'p/x' }],
      { 'p/x': () => ok() },
    );
    expect(await h.finish()).toEqual({ kind: 'completed' });
    expect(h.calls.map((c) => c.key)).toEqual(['run_1:each[0].s']);
  });

  it('retries a retryable failure with exponential backoff and jitter, recording each attempt', async () => {
    let n = 0;
    const h = harness(
      [{ id: 'a', action: 'p/flaky', retry: { attempts: 4, backoff: { initialMs: 1000, multiplier: 3, jitter: 0.2 } } }],
      { 'p/flaky': () => (++n < 3 ? fail('sandbox.crashed', true) : ok({ n })) },
    );
    const start = h.now;
    const first = await h.run();
    // random() is 0.5: no spread, so the waits are exactly 1000 ms, then 3000 ms.
    expect(first).toEqual({ kind: 'waiting', until: start + 1000 });
    h.advance(1000);
    expect(await h.run()).toEqual({ kind: 'waiting', until: start + 4000 });
    h.advance(3000);
    expect(await h.run()).toEqual({ kind: 'completed' });
    expect(h.records.map((r) => [r.attempt, r.status, r.failure?.code ?? null])).toEqual([[1, 'failed', 'sandbox.crashed'], [2, 'failed', 'sandbox.crashed'], [3, 'completed', null]]);
    expect(new Set(h.calls.map((c) => c.key))).toEqual(new Set(['run_1:a']));
  });

  it('retries only the codes `on` names, and never a failure not marked retryable without `on`', async () => {
    const named = harness([{ id: 'a', action: 'p/x', retry: { attempts: 3, on: ['plugin.*'] } }], { 'p/x': () => fail('plugin.busy') });
    expect(await named.finish()).toMatchObject({ kind: 'failed', failure: { code: 'plugin.busy' } });
    expect(named.calls).toHaveLength(3);
    const unnamed = harness([{ id: 'a', action: 'p/x', retry: { attempts: 3, on: ['sandbox.crashed'] } }], { 'p/x': () => fail('plugin.busy', true) });
    await unnamed.finish();
    expect(unnamed.calls).toHaveLength(1);
    const plain = harness([{ id: 'a', action: 'p/x', retry: { attempts: 3 } }], { 'p/x': () => fail('action.input_invalid') });
    await plain.finish();
    expect(plain.calls).toHaveLength(1);
  });

  it('onError continue exposes the failure as steps.<id>.error; goto jumps forward', async () => {
    const h = harness(
      [
        { id: 'a', action: 'p/bad', onError: 'continue' },
        { id: 'b', action: 'p/bad', onError: { goto: 'd' } },
        { id: 'c', action: 'p/ok' },
        { id: 'd', action: 'p/ok', input: { why: '{{ steps.a.error.code }}' } },
      ],
      { 'p/bad': () => fail('plugin.nope'), 'p/ok': (input) => ok(input) },
    );
    expect(await h.finish()).toEqual({ kind: 'completed' });
    expect(h.calls.map((c) => c.key)).toEqual(['run_1:a', 'run_1:b', 'run_1:d']);
    expect(h.calls[2]!.input).toEqual({ why: 'plugin.nope' });
  });

  it('passes the step timeout to the call, and fails the step when its input expression fails', async () => {
    const h = harness([{ id: 'a', action: 'p/x', timeoutMs: 150 }, { id: 'b', action: 'p/x', input: { n: '{{ $number("x") }}' } }], { 'p/x': () => ok() });
    expect(await h.finish()).toMatchObject({ kind: 'failed', failure: { code: 'workflow.expression_failed', step: 'b' } });
    expect(h.calls).toEqual([{ action: 'p/x', input: {}, key: 'run_1:a', timeoutMs: 150 }]);
  });

  it('fails an action of a plugin that is no longer installed', async () => {
    const h = harness([{ id: 'a', action: 'gone/x' }], {});
    expect(await h.finish()).toMatchObject({ kind: 'failed', failure: { code: 'workflow.install_missing', step: 'a' } });
  });

  it('makes a decision durable before the effect it leads to', async () => {
    let checkpointsAtCall = -1;
    const h = harness([{ id: 'a', action: 'p/x', if: 'true' }], {
      'p/x': () => {
        checkpointsAtCall = h.checkpoints;
        return ok();
      },
    });
    await h.finish();
    expect(checkpointsAtCall).toBe(1);
  });

  it('a process dying during step b resumes at b: step a, finished before, is not called again', async () => {
    let dies = true;
    const h = harness([{ id: 'a', action: 'p/a' }, { id: 'b', action: 'p/b' }], {
      'p/a': () => ok({ n: 1 }),
      'p/b': () => {
        if (dies) throw new Error('the process dies while b runs');
        return ok();
      },
    });
    await expect(h.run()).rejects.toThrow('the process dies');
    dies = false;
    expect(await h.run()).toEqual({ kind: 'completed' });
    expect(h.calls.map((c) => c.key)).toEqual(['run_1:a', 'run_1:b', 'run_1:b']);
  });

  it('resumed from a cursor stored after a step, does not call that step again', async () => {
    const h = harness([{ id: 'a', action: 'p/x' }, { id: 'pause', wait: 'PT1S' }, { id: 'b', action: 'p/x', input: { from: '{{ steps.a.output.n }}' } }], { 'p/x': () => ok({ n: 7 }) });
    expect((await h.run()).kind).toBe('waiting');
    h.advance(1000);
    await h.run();
    expect(h.calls.map((c) => [c.key, c.input])).toEqual([['run_1:a', {}], ['run_1:b', { from: 7 }]]);
  });
});
