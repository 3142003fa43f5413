// The store's one interface; store/sqlite/ and store/pg/ implement it and test/contracts/store.contract.ts checks both.

/** A verified callback envelope as the ingress received it: what is acknowledged is what is kept. */
export interface InboxEnvelope {
  route: 'app' | 'suite';
  tenantId: string | null;
  appId: string | null;
  suiteId: string | null;
  msgSignature: string;
  timestamp: string;
  nonce: string;
  /** The `Encrypt` value exactly as received. */
  encrypt: string;
  /** Epoch milliseconds. */
  receivedAt: number;
  /** Set when the envelope verified but cannot be decoded: it is stored as a dead letter from the start. */
  deadLetter?: { code: string; message: string };
}

export type InboxStatus = 'pending' | 'done' | 'dead';

export interface InboxRow extends Omit<InboxEnvelope, 'deadLetter'> {
  id: string;
  status: InboxStatus;
  errorCode: string | null;
  errorMessage: string | null;
  eventId: string | null;
  processedAt: number | null;
}

/** A WeCom callback as the host understands it; `data` validates against schemas/events/<type>.schema.json. */
export interface CanonicalEvent {
  id: string;
  tenantId: string | null;
  appId: string | null;
  suiteId: string | null;
  type: string;
  /** ISO 8601, UTC. */
  occurredAt: string;
  receivedAt: string;
  dedupKey: string;
  data: Record<string, unknown>;
}

export interface StoredEvent extends CanonicalEvent {
  /** The decrypted message, byte for byte. */
  raw: string;
  inboxId: string;
}

/** What decoding one inbox row produced. */
export type DecodeOutcome =
  | { kind: 'event'; event: CanonicalEvent; raw: string }
  | { kind: 'dead'; code: string; message: string };

export interface EventQuery {
  tenantId?: string;
  suiteId?: string;
  type?: string;
  /** Newest first; at most this many. Default 100. */
  limit?: number;
}

export interface DecodeBatchResult {
  /** Inbox rows handled in this batch. */
  processed: number;
  /** New events written. */
  inserted: number;
  /** Events whose dedup key was already stored (a redelivery). */
  duplicates: number;
  dead: number;
  /** receivedAt of each processed row, for the decode-lag metric. */
  receivedAt: number[];
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Applies the committed migrations; safe to call on every start. */
  migrate(): Promise<void>;
  /** True when the database answers and every committed migration is applied. */
  ready(): Promise<boolean>;
  /** Writes the envelopes in one transaction (the ingress's group commit); resolves once durable. Returns their ids in order. */
  appendInbox(envelopes: InboxEnvelope[]): Promise<string[]>;
  /**
   * Claims up to `limit` pending rows (oldest first; skipping rows another process holds), runs `decode` on each,
   * and in the same transaction writes the events (ignoring duplicate dedup keys) and marks the rows done or dead.
   */
  decodePending(limit: number, decode: (row: InboxRow) => DecodeOutcome): Promise<DecodeBatchResult>;
  listEvents(query: EventQuery): Promise<StoredEvent[]>;
  countEvents(query?: Omit<EventQuery, 'limit'>): Promise<number>;
  listInbox(status: InboxStatus, limit?: number): Promise<InboxRow[]>;
  /** Inbox rows with this status; pending rows (the inbox depth) by default. */
  countInbox(status?: InboxStatus): Promise<number>;
  /** The plugins' key-value store in this database (the `store` capability's data); the same object on every call. */
  pluginKv(): PluginKv;
  /** Workflow definitions and their versions; the same object on every call. */
  workflows(): WorkflowRepository;
  /** The effects ledger: what each external effect answered, by idempotency key; the same object on every call. */
  effects(): EffectLedger;
  /** Runs and their step history; the same object on every call. */
  runs(): RunRepository;
  /** Which schedule ticks a worker has claimed and finished; the same object on every call. */
  scheduleTicks(): ScheduleTickRepository;
  close(): Promise<void>;
}

/** What one install keeps in its plugin store: its key count and the UTF-8 bytes of its values' JSON. */
export interface KvUsage {
  keys: number;
  bytes: number;
}

export interface KvQuota {
  maxKeys: number;
  maxBytes: number;
}

/** A refused write names the quota and the numbers: the limit, the usage now, and what the write would make it. */
export type KvSetOutcome =
  | { ok: true; bytes: number; usage: KvUsage }
  | { ok: false; quota: keyof KvQuota; limit: number; current: number; wouldBe: number };

/**
 * Plugin key-value data, every row owned by one install: no method reaches another install's keys.
 * Values are JSON texts; the capability parses and serialises them.
 */
export interface PluginKv {
  /** The value's JSON text, or null when the install has no such key. */
  get(installId: string, key: string): Promise<string | null>;
  /** Writes unless the install's usage afterwards would pass `quota`; the check and the write are one transaction. */
  set(installId: string, key: string, json: string, quota: KvQuota): Promise<KvSetOutcome>;
  /** True when the key existed. */
  delete(installId: string, key: string): Promise<boolean>;
  /** Keys starting with `prefix`, in code-point (UTF-8 byte) order, at most `limit`. */
  list(installId: string, options: { prefix?: string; limit: number }): Promise<string[]>;
  usage(installId: string): Promise<KvUsage>;
}

/** One version of a workflow as stored: runs keep the version they started with. */
export interface StoredWorkflow {
  tenantId: string;
  workflowId: string;
  version: number;
  /** The workflow's JSON text as applied. */
  definition: string;
  /** ISO 8601. */
  createdAt: string;
}

export interface WorkflowRepository {
  /**
   * Stores `definition` as the workflow's next version (1, 2, …). Applying the text the latest version already has
   * stores nothing and answers that version with `created: false`, so applying the same file twice is harmless.
   */
  apply(tenantId: string, workflowId: string, definition: string): Promise<{ version: number; created: boolean }>;
  /** One version, the latest when `version` is not given. */
  get(tenantId: string, workflowId: string, version?: number): Promise<StoredWorkflow | undefined>;
  /** The latest version of every workflow, of one tenant or of all, ordered by tenant and workflow id. */
  listLatest(tenantId?: string): Promise<StoredWorkflow[]>;
}

/** An external effect as recorded: what the capability answered the first time. */
export interface RecordedEffect {
  key: string;
  tenantId: string;
  /** The capability method that caused it, e.g. `wecom.sendWelcomeMessage`. */
  effect: string;
  /** The answer as JSON text. */
  result: string;
  /** ISO 8601. */
  recordedAt: string;
}

/**
 * The effects ledger. A capability that acts on the outside world records each effect under the step's idempotency
 * key (`runId:stepId` plus the effect's ordinal within the step); a retried or resumed step finds the record and
 * answers it instead of acting again.
 */
export interface EffectLedger {
  find(key: string): Promise<RecordedEffect | undefined>;
  /**
   * Records an effect unless the key is taken; answers what the ledger holds under the key afterwards, so two
   * processes racing on one key both see the first record.
   */
  record(effect: { key: string; tenantId: string; effect: string; result: string }): Promise<{ recorded: boolean; effect: RecordedEffect }>;
}

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
  /** From newRunId(): sorts by creation time. */
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

export interface StoredRun {
  id: string;
  tenantId: string;
  workflowId: string;
  version: number;
  triggerKey: string;
  trigger: string;
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
