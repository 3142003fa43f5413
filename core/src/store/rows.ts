// Conversions between the store's interface types and the rows both dialects keep (events: epoch ms in, ISO strings out; runs stay in epoch ms).
import { activeRunStatuses } from './types.ts';
import type { InboxEnvelope, InboxRow, InboxStatus, RunCheckpoint, RunFailure, RunStatus, StepRecord, StoredEvent, StoredRun } from './types.ts';

/** The inbox columns in the order the raw INSERTs of both dialects list them. */
export const inboxColumns = [
  'id', 'route', 'tenant_id', 'app_id', 'suite_id', 'msg_signature', 'timestamp', 'nonce', 'encrypt',
  'received_at', 'status', 'error_code', 'error_message', 'processed_at',
] as const;

export type InboxValues = [
  id: string, route: string, tenantId: string | null, appId: string | null, suiteId: string | null,
  msgSignature: string, timestamp: string, nonce: string, encrypt: string, receivedAt: number,
  status: InboxStatus, errorCode: string | null, errorMessage: string | null, processedAt: number | null,
];

/** Dead letters are judged at ingress, so they are "processed" when appended. */
export function inboxValues(id: string, e: InboxEnvelope, now: number): InboxValues {
  const dead = e.deadLetter;
  return [
    id, e.route, e.tenantId ?? null, e.appId ?? null, e.suiteId ?? null, e.msgSignature, e.timestamp, e.nonce,
    e.encrypt, e.receivedAt, dead ? 'dead' : 'pending', dead?.code ?? null, dead?.message ?? null, dead ? now : null,
  ];
}

/** An inbox row as drizzle returns it for either dialect's table (PostgreSQL bigints may arrive as strings). */
export type InboxRecord = Omit<InboxRow, 'receivedAt' | 'processedAt'> & { receivedAt: number | string; processedAt: number | string | null };

export function toInboxRow(r: InboxRecord): InboxRow {
  return {
    id: r.id, route: r.route, tenantId: r.tenantId, appId: r.appId, suiteId: r.suiteId,
    msgSignature: r.msgSignature, timestamp: r.timestamp, nonce: r.nonce, encrypt: r.encrypt,
    receivedAt: Number(r.receivedAt), status: r.status, errorCode: r.errorCode, errorMessage: r.errorMessage,
    eventId: r.eventId, processedAt: r.processedAt === null ? null : Number(r.processedAt),
  };
}

/** An event row as drizzle returns it for either dialect's table: epoch ms, data already parsed. */
export type EventRecord = Omit<StoredEvent, 'occurredAt' | 'receivedAt'> & { occurredAt: number; receivedAt: number };

export function toStoredEvent(r: EventRecord): StoredEvent {
  return {
    id: r.id, tenantId: r.tenantId, appId: r.appId, suiteId: r.suiteId, type: r.type,
    occurredAt: new Date(Number(r.occurredAt)).toISOString(), receivedAt: new Date(Number(r.receivedAt)).toISOString(),
    dedupKey: r.dedupKey, data: r.data, raw: r.raw, inboxId: r.inboxId,
  };
}

/** Negative, fractional or missing limits become a whole number of rows, never a database error. */
export function rowLimit(limit: number | undefined, fallback = 100): number {
  const n = limit === undefined ? fallback : Math.floor(limit);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** Epoch milliseconds as either dialect returns them (PostgreSQL bigints arrive as strings). */
type Ms = number | string;

const ms = (value: Ms | null): number | null => (value === null ? null : Number(value));

/** A runs row with its SQL column names. */
export interface RunRow {
  id: string;
  tenant_id: string;
  workflow_id: string;
  version: number;
  trigger_key: string;
  trigger: string;
  status: RunStatus;
  cursor: string | null;
  wake_at: Ms | null;
  lease_owner: string | null;
  lease_until: Ms | null;
  failure: string | null;
  vtime: Ms;
  created_at: Ms;
  updated_at: Ms;
  finished_at: Ms | null;
}

export function toStoredRun(r: RunRow): StoredRun {
  return {
    id: r.id, tenantId: r.tenant_id, workflowId: r.workflow_id, version: r.version, triggerKey: r.trigger_key,
    trigger: r.trigger, status: r.status, cursor: r.cursor, wakeAt: ms(r.wake_at), leaseOwner: r.lease_owner,
    leaseUntil: ms(r.lease_until), failure: parseFailure(r.failure), vtime: Number(r.vtime),
    createdAt: Number(r.created_at), updatedAt: Number(r.updated_at), finishedAt: ms(r.finished_at),
  };
}

/** A run_steps row with its SQL column names. */
export interface StepRow {
  run_id: string;
  step_path: string;
  attempt: number;
  status: StepRecord['status'];
  input: string | null;
  output: string | null;
  failure: string | null;
  started_at: Ms;
  finished_at: Ms;
}

export function toStepRecord(r: StepRow): StepRecord {
  return {
    runId: r.run_id, stepPath: r.step_path, attempt: r.attempt, status: r.status, input: r.input, output: r.output,
    failure: parseFailure(r.failure), startedAt: Number(r.started_at), finishedAt: Number(r.finished_at),
  };
}

/** The step columns in the order the raw INSERTs of both dialects list them. */
export function stepValues(s: StepRecord): unknown[] {
  return [s.runId, s.stepPath, s.attempt, s.status, s.input, s.output, failureText(s.failure), s.startedAt, s.finishedAt];
}

export const failureText = (failure: RunFailure | null | undefined): string | null => (failure ? JSON.stringify(failure) : null);

const parseFailure = (text: string | null): RunFailure | null => (text === null ? null : (JSON.parse(text) as RunFailure));

/** The run columns a checkpoint writes. A kept lease without a new end (leaseUntil null) keeps the old end. */
export interface CheckpointColumns {
  status: RunStatus;
  cursor: string;
  wakeAt: number | null;
  failure: string | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
  finishedAt: number | null;
}

/** Only a run that stays running keeps its lease: a waiting or pending run is claimed again, a final one never. */
export function checkpointColumns(owner: string, runId: string, update: RunCheckpoint, now: number): CheckpointColumns {
  if (update.status === 'waiting' && update.wakeAt == null) throw new Error(`checkpoint of run ${runId}: a waiting run needs wakeAt`);
  const foreign = update.steps?.find((s) => s.runId !== runId);
  // The lease guards this run only; another run's records would slip in under it.
  if (foreign) throw new Error(`checkpoint of run ${runId}: step record ${foreign.stepPath} belongs to run ${foreign.runId}`);
  const running = update.status === 'running';
  return {
    status: update.status,
    cursor: update.cursor,
    wakeAt: update.status === 'waiting' ? update.wakeAt! : null,
    failure: failureText(update.failure),
    leaseOwner: running ? owner : null,
    leaseUntil: running ? update.leaseUntil ?? null : null,
    finishedAt: activeRunStatuses.includes(update.status) ? null : now,
  };
}
