// Run history as the CLI and the API present it: runs and steps as JSON, time filters, cancelling and replaying.
import { isCalendarDate } from '../../calendar.ts';
import { LianjieError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { activeRunStatuses, type RunStatus, type StepRecord, type Store, type StoredRun } from '../../store/types.ts';

export const runStatuses: readonly RunStatus[] = ['pending', 'running', 'waiting', 'completed', 'failed', 'cancelled'];

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function runJson(run: StoredRun) {
  return {
    id: run.id, tenantId: run.tenantId, workflowId: run.workflowId, version: run.version, status: run.status,
    triggerKey: run.triggerKey, trigger: JSON.parse(run.trigger), failure: run.failure, wakeAt: iso(run.wakeAt),
    createdAt: iso(run.createdAt), updatedAt: iso(run.updatedAt), finishedAt: iso(run.finishedAt),
  };
}

export function stepJson(step: StepRecord) {
  return {
    step: step.stepPath, attempt: step.attempt, status: step.status,
    input: step.input === null ? null : JSON.parse(step.input), output: step.output === null ? null : JSON.parse(step.output),
    failure: step.failure, startedAt: iso(step.startedAt), finishedAt: iso(step.finishedAt), ms: step.finishedAt - step.startedAt,
  };
}

/**
 * Epoch ms of an RFC 3339 time (2026-11-01T08:00:00+08:00) or a date (2026-11-01, midnight UTC); undefined when the
 * value is not one (a day the month does not have included: Date.parse would roll 2026-02-30 over to March 2).
 */
export function parseTimeFilter(value: string): number | undefined {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`)
    : /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(ms) || !isCalendarDate(value.slice(0, 10)) ? undefined : ms;
}

export async function getRun(store: Store, runId: string): Promise<StoredRun> {
  const run = await store.runs().get(runId);
  if (!run) throw new LianjieError('run.not_found', `no run ${runId}`);
  return run;
}

/** Cancels the run if it has not finished; answers it as it is afterwards and whether this call cancelled it. */
export async function cancelRun(store: Store, run: StoredRun): Promise<{ run: StoredRun; cancelled: boolean }> {
  const after = (await store.runs().cancel(run.id))!;
  return { run: after, cancelled: after.status === 'cancelled' && activeRunStatuses.includes(run.status) };
}

/**
 * Starts a new run of `run`'s trigger against its workflow's current version; a serving host executes it. A run whose
 * plugin trigger failed has no trigger output to replay and is refused.
 */
export async function replayRun(store: Store, run: StoredRun): Promise<{ id: string; version: number }> {
  if (run.failure?.step?.startsWith('trigger:')) {
    // Its plugin trigger failed, so the run never had the trigger's output; replaying the event in its place would
    // hand the workflow the wrong input.
    throw new LianjieError('run.not_replayable', `run ${run.id} never started: its trigger ${run.failure.step.slice(8)} failed (${run.failure.code})`);
  }
  const latest = await store.workflows().get(run.tenantId, run.workflowId);
  if (!latest) throw new LianjieError('workflow.not_found', `tenant ${run.tenantId} has no workflow ${run.workflowId} any more`);
  const id = newId('run');
  await store.runs().route([{ id, tenantId: run.tenantId, workflowId: run.workflowId, version: latest.version, triggerKey: `replay:${id}`, trigger: run.trigger }], []);
  return { id, version: latest.version };
}
