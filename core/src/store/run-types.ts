// Runs, their step history and schedule ticks: the types of RunRepository and ScheduleTickRepository (types.ts's Store
// hands them out).
import type { StoredEvent } from './types.ts';

export type RunStatus = 'pending' | 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';

/** Statuses a run can still leave; the others are final. */
export const activeRunStatuses: readonly RunStatus[] = ['pending', 'running', 'waiting'];

/** A failure as a run or a step records it. */
export interface RunFailure {
  code: string;
  message: string;
  /** The step path it happened at, when a step failed. */
  step?: string;
}

/** A run as the router or a replay creates it. */
export interface NewRun {
  /** From newId('run'): sorts by creation time. */
  id: string;
  tenantId: string;
  workflowId: string;
  /** The workflow version the run executes, for its whole life. */
  version: number;
  /** The event id, webhook delivery id, schedule tick or replay id that started it: unique per (tenant, workflow). */
  triggerKey: string;
  /** JSON text of what expressions see as `trigger`. */
  trigger: string;
  /** Set for a run that fails before its first step (its trigger's condition could not be evaluated): stored as failed. */
  failure?: RunFailure;
}

export interface StoredRun extends Omit<NewRun, 'failure'> {
  status: RunStatus;
  /** JSON text of the executor's position in the run; null until its first checkpoint. */
  cursor: string | null;
  /** Epoch ms a waiting run becomes runnable again. */
  wakeAt: number | null;
  leaseOwner: string | null;
  /** Epoch ms the lease ends; a running run whose lease has ended may be claimed by another worker. */
  leaseUntil: number | null;
  failure: RunFailure | null;
  /** Fair-queue position among pending runs (see RunRepository.route). */
  vtime: number;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

/** One attempt of one step, or a step skipped by its `if`: the run's history. */
export interface StepRecord {
  runId: string;
  /** The step id, prefixed by enclosing forEach ids and item indexes: `send`, `each[2].send`. */
  stepPath: string;
  /** 1-based; 1 for skipped and non-action steps. */
  attempt: number;
  status: 'completed' | 'failed' | 'skipped';
  /** JSON texts, secrets already redacted; null when there is none. */
  input: string | null;
  output: string | null;
  failure: RunFailure | null;
  startedAt: number;
  finishedAt: number;
}

export interface RunQuery {
  tenantId?: string;
  workflowId?: string;
  status?: RunStatus;
  /** Created at or after (epoch ms). */
  since?: number;
  /** Created before (epoch ms). */
  until?: number;
  /** Newest first; at most this many. Default 100. */
  limit?: number;
}

/** What a worker writes after a step: the run's new state, guarded by its lease. */
export interface RunCheckpoint {
  status: RunStatus;
  cursor: string;
  /** Required when status is waiting. */
  wakeAt?: number | null;
  failure?: RunFailure | null;
  /** Step records written in the same transaction. */
  steps?: StepRecord[];
  /** Renews the lease to this time when the run stays running. */
  leaseUntil?: number;
}

export interface ClaimOptions {
  /** At most this many runs. */
  limit: number;
  /** The lease ends this long after `now`. */
  leaseMs: number;
  now: number;
  /** Tenants this worker is at its cap for: none of their runs are claimed. */
  excludeTenants?: readonly string[];
  /** Runs this worker is still executing (a lease that ran out while the step went on): never claimed again by it. */
  excludeRuns?: readonly string[];
  /** At most `max` runs of one tenant in this worker, counting the `running` it has: the claim takes no more. */
  perTenant?: { max: number; running: ReadonlyMap<string, number> };
}

/**
 * Runs and their step history. Every write a worker makes to a run it claimed is guarded by its lease: a worker
 * that lost the lease (it expired and another took the run, or the run was cancelled) writes nothing.
 */
export interface RunRepository {
  /** Events whose runs are not created yet (routed_at null), oldest first; events without a tenant are included. */
  unroutedEvents(limit: number): Promise<StoredEvent[]>;
  /**
   * In one transaction: inserts `runs` (a run whose (tenant, workflow, triggerKey) exists is skipped) and marks
   * `eventIds` routed. A pending run gets vtime = max(its tenant's next vtime, the smallest vtime of any pending
   * run), and its tenant's next vtime becomes vtime + 1: a tenant's flood queues behind itself while another
   * tenant's first run sorts next to the head of the queue. Answers the ids of the runs inserted.
   */
  route(runs: readonly NewRun[], eventIds: readonly string[]): Promise<string[]>;
  /**
   * Leases up to `limit` runnable runs to `owner` (status running, lease until now + leaseMs): first runs due
   * again (waiting with wakeAt ≤ now, or running with leaseUntil < now), earliest first; then pending runs by
   * (vtime, id); within the options' exclusions and per-tenant room. PostgreSQL skips rows another transaction
   * holds (several hosts claim at once).
   */
  claim(owner: string, options: ClaimOptions): Promise<StoredRun[]>;
  /** Extends the leases `owner` still holds on `ids`; answers the ids it still holds. */
  renew(owner: string, ids: readonly string[], leaseUntil: number): Promise<string[]>;
  /**
   * Writes the run's new state and `steps` in one transaction, only while `owner` holds the run's lease and it is
   * running; false (nothing written) otherwise. A final or waiting status releases the lease; finishedAt is set
   * with a final status.
   */
  checkpoint(owner: string, runId: string, update: RunCheckpoint): Promise<boolean>;
  /**
   * Several checkpoints in one transaction (a group commit: one durable write for many runs), each as `checkpoint`
   * would write it; answers, in order, whether each was written.
   */
  checkpointMany(owner: string, updates: readonly { runId: string; update: RunCheckpoint }[]): Promise<boolean[]>;
  get(runId: string): Promise<StoredRun | undefined>;
  /** The run's step records in the order they were written. */
  steps(runId: string): Promise<StepRecord[]>;
  list(query: RunQuery): Promise<StoredRun[]>;
  /** Runs per status, for metrics and tests. */
  countByStatus(tenantId?: string): Promise<Partial<Record<RunStatus, number>>>;
  /** Cancels a run that has not finished (its worker's next checkpoint fails); answers the run as it is afterwards. */
  cancel(runId: string): Promise<StoredRun | undefined>;
  /** The earliest time a waiting run wakes or a running run's lease ends, for the executor's sleep; null when none. */
  nextDue(): Promise<number | null>;
  /** Deletes finished runs (and their steps) that finished before `before` (epoch ms); answers how many. */
  prune(before: number): Promise<number>;
}

/** One tick of a plugin's schedule trigger. */
export interface ScheduleTick {
  installId: string;
  triggerId: string;
  /** The tick's scheduled time, epoch ms. */
  tickAt: number;
}

/**
 * Schedule ticks claimed across host processes: every process's scheduler reaches the same tick, one claims it, and
 * a tick whose claimer died before finishing is claimed again by the next that sweeps.
 */
export interface ScheduleTickRepository {
  /**
   * Claims `tick` for `owner` until `claimedUntil`: true when no one had it, or its claim ended without it being
   * done; false when another holds it or it is done.
   */
  claim(tick: ScheduleTick, owner: string, claimedUntil: number, now: number): Promise<boolean>;
  /** Marks a tick `owner` holds done, with the trigger's failure if it failed; false when the claim was lost. */
  done(tick: ScheduleTick, owner: string, failure?: RunFailure): Promise<boolean>;
  /** Ticks of `installIds` claimed, not done, whose claim ended before `now` (their worker died), oldest first. */
  abandoned(now: number, limit: number, installIds: readonly string[]): Promise<ScheduleTick[]>;
  /** Deletes ticks done before `before` (epoch ms); answers how many. */
  prune(before: number): Promise<number>;
}
