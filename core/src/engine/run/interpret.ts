// Runs a workflow plan from a cursor until the run ends or has to wait: every step kind, retries, onError, the
// forEach concurrency bound. Storage and the sandbox are the caller's (RunEnv); this file only decides.
import { isLianjieError } from '../../errors.ts';
import type { Failure, Result } from '../../../../sdk/src/sandbox/index.ts';
import type { RunFailure, StepRecord } from '../../store/types.ts';
import { evaluateCondition, evaluateMapping } from '../expressions/evaluate.ts';
import type { ExpressionScope } from '../expressions/scope.ts';
import type { Cursor, StepResult, StepState, Thread } from './cursor.ts';
import type { PlannedStep, WorkflowPlan } from './plan.ts';
import { runForEach } from './for-each.ts';
import { retries, retryDelayMs } from './retry.ts';

export type StepRecordDraft = Omit<StepRecord, 'runId'>;

export interface RunEnv {
  runId: string;
  /** What expressions see as `trigger`. */
  trigger: unknown;
  now(): number;
  random(): number;
  /** The config of the tenant's install of `pluginId`, or undefined when the plugin is not installed. */
  installConfig(pluginId: string): Record<string, unknown> | undefined;
  callAction(step: Extract<PlannedStep, { kind: 'action' }>, input: unknown, call: { idempotencyKey: string; timeoutMs?: number }): Promise<Result>;
  /** Adds a record to the next checkpoint; `pluginId` names whose secrets to redact from it. */
  record(record: StepRecordDraft, pluginId?: string): void;
  /** Makes the cursor and the records so far durable; rejects when the run is no longer this worker's. */
  checkpoint(): Promise<void>;
  /** Notes that the cursor holds a decision (an if, a branch arm, forEach items, a wait's end) not yet durable. */
  decided(): void;
  /** Checkpoints when a decision is not yet durable: called before every effect. */
  settle(): Promise<void>;
  /** True once the run should stop at the next step boundary (its host is shutting down). */
  yielding(): boolean;
}

export type RunOutcome =
  | { kind: 'completed' }
  | { kind: 'failed'; failure: RunFailure }
  | { kind: 'waiting'; until: number };

/** Continues the run at `cursor` (mutated as it goes) until it completes, fails or waits. */
export async function interpret(plan: WorkflowPlan, cursor: Cursor, env: RunEnv): Promise<RunOutcome> {
  const frame: Frame = { steps: cursor.steps, path: '' };
  const outcome = await runList(plan.steps, cursor.thread, frame, env, true);
  switch (outcome.kind) {
    case 'done': return { kind: 'completed' };
    case 'stop': return outcome.status === 'completed' ? { kind: 'completed' } : { kind: 'failed', failure: outcome.failure };
    case 'failed': return { kind: 'failed', failure: outcome.failure };
    case 'suspend': return { kind: 'waiting', until: outcome.until };
  }
}

/** The steps a list's expressions can see, and where its step paths start. */
export interface Frame {
  steps: Record<string, StepResult>;
  /** `each[2].` inside item 2 of forEach `each`; '' at the top. */
  path: string;
  parent?: Frame;
  item?: { value: unknown; index: number };
}

export type ListOutcome =
  | { kind: 'done' }
  | { kind: 'stop'; status: 'completed' | 'failed'; failure: RunFailure }
  | { kind: 'failed'; failure: RunFailure }
  | { kind: 'suspend'; until: number };

/** `called`: an action ran; its result and the position past it are written before anything else happens. */
type StepOutcome = ListOutcome | { kind: 'next'; called?: true } | { kind: 'goto'; target: string; called?: true };

/** `ends`: nothing follows this list in the run, so the write of the run's end carries its last step's result. */
export async function runList(steps: readonly PlannedStep[], thread: Thread, frame: Frame, env: RunEnv, ends = false): Promise<ListOutcome> {
  while (thread.at < steps.length) {
    // A host shutting down hands the run back between steps; it resumes at once elsewhere or after the restart.
    if (!thread.state && env.yielding()) return { kind: 'suspend', until: env.now() };
    const step = steps[thread.at]!;
    const outcome = await runStep(step, thread, frame, env);
    if (outcome.kind === 'next' || outcome.kind === 'goto') {
      thread.at = outcome.kind === 'next' ? thread.at + 1 : steps.findIndex((s) => s.id === outcome.target);
      delete thread.state;
      if (outcome.called && !(ends && thread.at >= steps.length)) await env.checkpoint();
      continue;
    }
    return outcome;
  }
  return { kind: 'done' };
}

async function runStep(step: PlannedStep, thread: Thread, frame: Frame, env: RunEnv): Promise<StepOutcome> {
  const path = frame.path + step.id;
  const started = env.now();
  if (!thread.state) {
    if (step.if) {
      let holds: boolean;
      try {
        holds = await evaluateCondition(step.if, scopeFor(frame, env, step));
      } catch (error) {
        return failStep(step, frame, env, toFailure(error, path), started, 1);
      }
      if (!holds) {
        env.record({ stepPath: path, attempt: 1, status: 'skipped', input: null, output: null, failure: null, startedAt: started, finishedAt: env.now() });
        env.decided();
        return { kind: 'next' };
      }
    }
    const state = await startState(step, frame, env, path);
    if (state.kind === 'failed') return failStep(step, frame, env, state.failure, started, 1);
    if (state.kind === 'stop') {
      const output = state.reason === undefined ? null : { reason: state.reason };
      env.record({ stepPath: path, attempt: 1, status: 'completed', input: null, output: JSON.stringify(output), failure: null, startedAt: started, finishedAt: env.now() });
      const failure = { code: 'workflow.stopped', message: state.reason ?? `stopped by step ${path}`, step: path };
      return { kind: 'stop', status: state.status, failure };
    }
    thread.state = state;
    if (state.kind !== 'action' || step.if) env.decided();
  }
  const state = thread.state;
  switch (state.kind) {
    case 'action': return runAction(step as Extract<PlannedStep, { kind: 'action' }>, state, frame, env, path);
    case 'wait': {
      if (env.now() < state.until) return { kind: 'suspend', until: state.until };
      env.record({ stepPath: path, attempt: 1, status: 'completed', input: null, output: null, failure: null, startedAt: state.since, finishedAt: env.now() });
      frame.steps[step.id] = {};
      return { kind: 'next' };
    }
    case 'branch': {
      const planned = step as Extract<PlannedStep, { kind: 'branch' }>;
      const outcome = await runList(state.arm === 'then' ? planned.then : planned.else, state.thread, frame, env);
      return finishCompound(step, frame, env, path, outcome, { arm: state.arm });
    }
    case 'forEach': {
      const outcome = await runForEach(step as Extract<PlannedStep, { kind: 'forEach' }>, state, frame, env, path, runList);
      return finishCompound(step, frame, env, path, outcome, state.results);
    }
  }
}

/**
 * The state a step starts in. Decisions that depend on the moment (a branch condition, the forEach items, a
 * wait's end) are made once here and kept in the cursor; the next checkpoint before any effect makes them durable.
 */
async function startState(step: PlannedStep, frame: Frame, env: RunEnv, path: string): Promise<StepState | { kind: 'failed'; failure: RunFailure } | StopMarker> {
  // Every case returns; TypeScript cannot see that a switch over a union with an inner try covers them all.
  try {
    switch (step.kind) {
      case 'action': return { kind: 'action', attempt: 1 };
      case 'wait': return { kind: 'wait', since: env.now(), until: env.now() + step.durationMs };
      case 'waitUntil': {
        const value = await evaluateMapping(step.until, scopeFor(frame, env, step));
        const until = typeof value === 'string' && timestamp.test(value) ? Date.parse(value) : NaN;
        if (Number.isNaN(until)) {
          return { kind: 'failed', failure: { code: 'workflow.wait_invalid', message: `the wait's until gave ${JSON.stringify(value)?.slice(0, 100)}, not an RFC 3339 timestamp with an offset`, step: path } };
        }
        return { kind: 'wait', since: env.now(), until };
      }
      case 'branch': {
        const holds = await evaluateCondition(step.condition, scopeFor(frame, env, step));
        return { kind: 'branch', arm: holds ? 'then' : 'else', thread: { at: 0 } };
      }
      case 'forEach': {
        const items = await evaluateMapping(step.items, scopeFor(frame, env, step));
        if (!Array.isArray(items)) {
          return { kind: 'failed', failure: { code: 'workflow.expression_failed', message: `forEach items gave ${describeType(items)}, not an array`, step: path } };
        }
        return { kind: 'forEach', items, next: 0, running: {}, results: [] };
      }
      case 'stop': {
        const reason = step.reason === undefined ? undefined : String(await evaluateMapping(step.reason, scopeFor(frame, env, step)));
        return { kind: 'stop', status: step.status, reason };
      }
    }
  } catch (error) {
    return { kind: 'failed', failure: toFailure(error, path) };
  }
}

// A stop is never stored in the cursor: it ends the run in the same checkpoint.
interface StopMarker { kind: 'stop'; status: 'completed' | 'failed'; reason: string | undefined }

async function runAction(step: Extract<PlannedStep, { kind: 'action' }>, state: Extract<StepState, { kind: 'action' }>, frame: Frame, env: RunEnv, path: string): Promise<StepOutcome> {
  if (state.notBefore !== undefined && env.now() < state.notBefore) return { kind: 'suspend', until: state.notBefore };
  const started = env.now();
  const attempt = state.attempt;
  const config = env.installConfig(step.pluginId);
  if (!config) {
    const failure = { code: 'workflow.install_missing', message: `${step.pluginId} is not installed for this tenant any more`, step: path };
    return failStep(step, frame, env, failure, started, attempt);
  }
  let input: unknown;
  try {
    input = step.input === undefined ? {} : await evaluateMapping(step.input, scopeFor(frame, env, step, config));
  } catch (error) {
    return failStep(step, frame, env, toFailure(error, path), started, attempt);
  }
  // Whatever was decided on the way here (an if, a branch arm, forEach items) is durable before the effect.
  await env.settle();
  const result = await env.callAction(step, input, { idempotencyKey: `${env.runId}:${path}`, timeoutMs: step.timeoutMs });
  const inputJson = JSON.stringify(input);
  if (result.ok) {
    env.record({ stepPath: path, attempt, status: 'completed', input: inputJson, output: JSON.stringify(result.output ?? null), failure: null, startedAt: started, finishedAt: env.now() }, step.pluginId);
    frame.steps[step.id] = { output: result.output };
    return { kind: 'next', called: true };
  }
  const failure = { ...runFailure(result.failure), step: path };
  if (retries(step.retry, result.failure, attempt)) {
    env.record({ stepPath: path, attempt, status: 'failed', input: inputJson, output: null, failure, startedAt: started, finishedAt: env.now() }, step.pluginId);
    state.attempt = attempt + 1;
    // A failure that says when trying again can work (a contact quota's window opening) waits at least until then.
    const opens = result.failure.retryAt === undefined ? Number.NaN : Date.parse(result.failure.retryAt);
    const backoff = env.now() + retryDelayMs(step.retry, attempt, env.random);
    state.notBefore = Number.isNaN(opens) ? backoff : Math.max(backoff, opens);
    await env.checkpoint();
    return { kind: 'suspend', until: state.notBefore };
  }
  const outcome = failStep(step, frame, env, failure, started, attempt, inputJson);
  return outcome.kind === 'next' || outcome.kind === 'goto' ? { ...outcome, called: true } : outcome;
}

/** Records the failure and applies the step's onError. */
function failStep(step: PlannedStep, frame: Frame, env: RunEnv, failure: RunFailure, started: number, attempt: number, input: string | null = null): StepOutcome {
  env.decided();
  env.record({ stepPath: failure.step ?? frame.path + step.id, attempt, status: 'failed', input, output: null, failure, startedAt: started, finishedAt: env.now() }, step.kind === 'action' ? step.pluginId : undefined);
  return applyOnError(step, frame, failure);
}

function applyOnError(step: PlannedStep, frame: Frame, failure: RunFailure): StepOutcome {
  if (step.onError === 'fail') return { kind: 'failed', failure };
  frame.steps[step.id] = { error: { code: failure.code, message: failure.message } };
  return step.onError === 'continue' ? { kind: 'next' } : { kind: 'goto', target: step.onError.goto };
}

/** A branch or forEach whose inner steps have run: a failure inside is this step's failure. */
function finishCompound(step: PlannedStep, frame: Frame, env: RunEnv, path: string, outcome: ListOutcome, output: unknown): StepOutcome {
  if (outcome.kind === 'suspend' || outcome.kind === 'stop') return outcome;
  if (outcome.kind === 'failed') return applyOnError(step, frame, outcome.failure);
  const now = env.now();
  env.record({ stepPath: path, attempt: 1, status: 'completed', input: null, output: JSON.stringify(output), failure: null, startedAt: now, finishedAt: now });
  frame.steps[step.id] = { output };
  return { kind: 'next' };
}

const timestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function scopeFor(frame: Frame, env: RunEnv, step: PlannedStep, config?: Record<string, unknown>): ExpressionScope {
  const chain: Frame[] = [];
  for (let f: Frame | undefined = frame; f; f = f.parent) chain.unshift(f);
  const steps: Record<string, StepResult> = Object.assign({}, ...chain.map((f) => f.steps));
  const item = chain.findLast((f) => f.item)?.item;
  const installConfig = config ?? (step.kind === 'action' ? env.installConfig(step.pluginId) : undefined);
  return {
    trigger: env.trigger, steps, install: installConfig ? { config: installConfig } : {}, now: new Date(env.now()).toISOString(),
    item: item?.value, index: item?.index,
  };
}

function toFailure(error: unknown, step: string): RunFailure {
  if (isLianjieError(error)) return { code: error.code, message: error.message, step };
  throw error;
}

function runFailure(failure: Failure): RunFailure {
  return { code: failure.code, message: failure.message };
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

