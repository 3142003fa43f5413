// A stored workflow version made ready to run: its step tree with every expression compiled once.
import type { Step, Workflow } from '../../generated/workflow.ts';
import { compileExpression, compileMapping, type CompiledExpression, type CompiledMapping } from '../expressions/compile.ts';
import { durationMs } from './duration.ts';
import { retryPolicy, type RetryPolicy } from './retry.ts';

interface StepBase {
  id: string;
  pointer: string;
  if?: CompiledExpression;
  onError: 'fail' | 'continue' | { goto: string };
}

export type PlannedStep = StepBase & (
  | { kind: 'action'; pluginId: string; actionId: string; input: CompiledMapping | undefined; retry: RetryPolicy; timeoutMs?: number }
  | { kind: 'branch'; condition: CompiledExpression; then: PlannedStep[]; else: PlannedStep[] }
  | { kind: 'wait'; durationMs: number } | { kind: 'waitUntil'; until: CompiledMapping }
  | { kind: 'forEach'; items: CompiledMapping; concurrency: number; body: PlannedStep[] }
  | { kind: 'stop'; status: 'completed' | 'failed'; reason: CompiledMapping | undefined }
);

export interface WorkflowPlan {
  tenantId: string;
  workflowId: string;
  version: number;
  trigger: Workflow['trigger'];
  triggerIf: CompiledExpression | undefined;
  steps: PlannedStep[];
  enabled: boolean;
}

/** Plans a workflow that was validated when it was applied; a definition that no longer compiles throws. */
export function planWorkflow(workflow: Workflow, version: number): WorkflowPlan {
  const trigger = workflow.trigger;
  return {
    tenantId: workflow.tenantId,
    workflowId: workflow.id,
    version,
    trigger,
    triggerIf: trigger.if === undefined ? undefined : compileExpression(trigger.if, '/trigger/if'),
    steps: planSteps(workflow.steps, '/steps'),
    enabled: workflow.enabled !== false,
  };
}

function planSteps(steps: Step[], pointer: string): PlannedStep[] {
  return steps.map((step, i) => planStep(step, `${pointer}/${i}`));
}

function planStep(step: Step, pointer: string): PlannedStep {
  const base: StepBase = {
    id: step.id,
    pointer,
    if: step.if === undefined ? undefined : compileExpression(step.if, `${pointer}/if`),
    onError: step.onError ?? 'fail',
  };
  if ('action' in step) {
    const slash = step.action.indexOf('/');
    return {
      ...base, kind: 'action', pluginId: step.action.slice(0, slash), actionId: step.action.slice(slash + 1),
      input: step.input === undefined ? undefined : compileMapping(step.input, `${pointer}/input`),
      retry: retryPolicy(step.retry), timeoutMs: step.timeoutMs,
    };
  }
  if ('branch' in step) {
    return {
      ...base, kind: 'branch', condition: compileExpression(step.branch.if, `${pointer}/branch/if`),
      then: planSteps(step.branch.then, `${pointer}/branch/then`), else: planSteps(step.branch.else ?? [], `${pointer}/branch/else`),
    };
  }
  if ('wait' in step) {
    return typeof step.wait === 'string'
      ? { ...base, kind: 'wait', durationMs: durationMs(step.wait) }
      : { ...base, kind: 'waitUntil', until: compileMapping(step.wait.until, `${pointer}/wait/until`) };
  }
  if ('forEach' in step) {
    return {
      ...base, kind: 'forEach', items: compileMapping(step.forEach.items, `${pointer}/forEach/items`),
      concurrency: step.forEach.concurrency ?? 1, body: planSteps(step.forEach.steps, `${pointer}/forEach/steps`),
    };
  }
  return {
    ...base, kind: 'stop', status: step.stop.status,
    reason: step.stop.reason === undefined ? undefined : compileMapping(step.stop.reason, `${pointer}/stop/reason`),
  };
}
