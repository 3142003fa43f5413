// Runs on the store's main SQLite connection: every read-then-write is one IMMEDIATE transaction, so a second
// process on the same file waits for the write lock instead of acting on what it read before.
import type Database from 'better-sqlite3';
import {
  checkpointColumns, failureText, rowLimit, stepValues, toStepRecord, toStoredEvent, toStoredRun,
  type EventRecord, type RunRow, type StepRow,
} from '../rows.ts';
import { candidatesPerSlot, claimPicker, type ClaimCandidate } from '../claim-pick.ts';
import type { ClaimOptions, NewRun, RunCheckpoint, RunQuery, RunRepository, RunStatus, StoredEvent, StoredRun } from '../types.ts';

type EventRow = Omit<EventRecord, 'data'> & { data: string };

export function createSqliteRuns(sqlite: Database.Database): RunRepository {
  // Prepared on first use: before migrate() the tables do not exist.
  let statements: ReturnType<typeof prepare> | undefined;
  const s = () => (statements ??= prepare(sqlite));

  const insertRun = (run: NewRun, floor: number, now: number): boolean => {
    const values = { ...run, failure: failureText(run.failure), now };
    // A run that failed at routing is final from the start: it never queues, so it takes no place in a lane.
    if (run.failure) return s().insertRun.run({ ...values, status: 'failed', vtime: 0, finishedAt: now }).changes > 0;
    const vtime = Math.max((s().lane.get({ tenantId: run.tenantId }) as number | undefined) ?? 0, floor);
    if (s().insertRun.run({ ...values, status: 'pending', vtime, finishedAt: null }).changes === 0) return false;
    s().advanceLane.run({ tenantId: run.tenantId, next: vtime + 1 });
    return true;
  };

  const route = sqlite.transaction((runs: readonly NewRun[], eventIds: readonly string[], now: number): string[] => {
    const floor = s().floor.get() as number;
    const inserted: string[] = [];
    for (const run of runs) if (insertRun(run, floor, now)) inserted.push(run.id);
    s().markRouted.run({ ids: JSON.stringify(eventIds), now });
    return inserted;
  });

  const claim = sqlite.transaction((owner: string, limit: number, options: ClaimOptions): StoredRun[] => {
    const excluded = JSON.stringify(options.excludeTenants ?? []);
    const picker = claimPicker(limit, options);
    const candidates = limit * candidatesPerSlot;
    const left = picker.take(s().due.all({ now: options.now, excluded, limit: candidates }) as ClaimCandidate[]);
    if (left > 0) picker.take(s().pending.all({ excluded, limit: candidates }) as ClaimCandidate[]);
    const lease = { owner, leaseUntil: options.now + options.leaseMs, now: options.now };
    return picker.picked.map((id) => toStoredRun(s().lease.get({ ...lease, id }) as RunRow));
  });

  const checkpoint = sqlite.transaction((owner: string, runId: string, update: RunCheckpoint, now: number): boolean => {
    const columns = checkpointColumns(owner, runId, update, now);
    if (s().checkpoint.run({ ...columns, id: runId, owner, now }).changes === 0) return false;
    for (const step of update.steps ?? []) s().upsertStep.run(...stepValues(step));
    return true;
  });

  const checkpointMany = sqlite.transaction((owner: string, updates: readonly { runId: string; update: RunCheckpoint }[], now: number): boolean[] =>
    updates.map(({ runId, update }) => checkpoint(owner, runId, update, now)));

  const prune = sqlite.transaction((before: number): number => {
    s().pruneSteps.run({ before });
    return s().pruneRuns.run({ before }).changes;
  });

  return {
    async unroutedEvents(limit) {
      const n = rowLimit(limit);
      if (n === 0) return [];
      return (s().unrouted.all({ limit: n }) as EventRow[]).map(toEvent);
    },
    async route(runs, eventIds) {
      return route.immediate(runs, eventIds, Date.now());
    },
    async claim(owner, options) {
      const limit = rowLimit(options.limit);
      return limit === 0 ? [] : claim.immediate(owner, limit, options);
    },
    async renew(owner, ids, leaseUntil) {
      const held = new Set(s().renew.all({ owner, ids: JSON.stringify(ids), leaseUntil }) as string[]);
      return ids.filter((id) => held.has(id));
    },
    async checkpoint(owner, runId, update) {
      return checkpoint.immediate(owner, runId, update, Date.now());
    },
    async checkpointMany(owner, updates) {
      return updates.length === 0 ? [] : checkpointMany.immediate(owner, updates, Date.now());
    },
    async get(runId) {
      const row = s().get.get({ id: runId }) as RunRow | undefined;
      return row && toStoredRun(row);
    },
    async steps(runId) {
      return (s().steps.all({ runId }) as StepRow[]).map(toStepRecord);
    },
    async list(query) {
      const limit = rowLimit(query.limit);
      if (limit === 0) return [];
      const { where, params } = runFilter(query);
      const sql = `SELECT * FROM runs ${where} ORDER BY created_at DESC, id DESC LIMIT @limit`;
      return (sqlite.prepare(sql).all({ ...params, limit }) as RunRow[]).map(toStoredRun);
    },
    async countByStatus(tenantId) {
      const rows = s().countByStatus.all({ tenantId: tenantId ?? null }) as { status: RunStatus; n: number }[];
      return Object.fromEntries(rows.map((r) => [r.status, r.n]));
    },
    async cancel(runId) {
      const row = (s().cancel.get({ id: runId, now: Date.now() }) ?? s().get.get({ id: runId })) as RunRow | undefined;
      return row && toStoredRun(row);
    },
    async nextDue() {
      return s().nextDue.get() as number | null;
    },
    async prune(before) {
      return prune.immediate(before);
    },
  };
}

const toEvent = (row: EventRow): StoredEvent => toStoredEvent({ ...row, data: JSON.parse(row.data) as Record<string, unknown> });

/** The WHERE clause of a listing, with only the filters given: each shape can then use its index. */
function runFilter(query: RunQuery): { where: string; params: Record<string, unknown> } {
  const filters: [keyof RunQuery, string][] = [
    ['tenantId', 'tenant_id = @tenantId'], ['workflowId', 'workflow_id = @workflowId'], ['status', 'status = @status'],
    ['since', 'created_at >= @since'], ['until', 'created_at < @until'],
  ];
  const given = filters.filter(([key]) => query[key] !== undefined);
  return {
    where: given.length === 0 ? '' : `WHERE ${given.map(([, condition]) => condition).join(' AND ')}`,
    params: Object.fromEntries(given.map(([key]) => [key, query[key]])),
  };
}

function prepare(sqlite: Database.Database) {
  return {
    unrouted: sqlite.prepare(
      `SELECT id, tenant_id AS tenantId, app_id AS appId, suite_id AS suiteId, type, occurred_at AS occurredAt,
         received_at AS receivedAt, dedup_key AS dedupKey, data, raw, inbox_id AS inboxId
       FROM events WHERE routed_at IS NULL ORDER BY received_at, id LIMIT @limit`,
    ),
    // The head of the pending queue; with none pending, the last place any lane handed out (the queue has passed it).
    floor: sqlite.prepare(
      `SELECT coalesce((SELECT min(vtime) FROM runs WHERE status = 'pending'), (SELECT max(next_vtime) - 1 FROM run_lanes), 0)`,
    ).pluck(),
    lane: sqlite.prepare('SELECT next_vtime FROM run_lanes WHERE tenant_id = @tenantId').pluck(),
    insertRun: sqlite.prepare(
      `INSERT INTO runs (id, tenant_id, workflow_id, version, trigger_key, trigger, status, failure, vtime, created_at, updated_at, finished_at)
       VALUES (@id, @tenantId, @workflowId, @version, @triggerKey, @trigger, @status, @failure, @vtime, @now, @now, @finishedAt)
       ON CONFLICT (tenant_id, workflow_id, trigger_key) DO NOTHING`,
    ),
    advanceLane: sqlite.prepare(
      `INSERT INTO run_lanes (tenant_id, next_vtime) VALUES (@tenantId, @next)
       ON CONFLICT (tenant_id) DO UPDATE SET next_vtime = excluded.next_vtime`,
    ),
    markRouted: sqlite.prepare(
      'UPDATE events SET routed_at = @now WHERE id IN (SELECT value FROM json_each(@ids)) AND routed_at IS NULL',
    ),
    due: sqlite.prepare(
      `SELECT id, tenant_id AS tenantId FROM runs
       WHERE ((status = 'waiting' AND wake_at <= @now) OR (status = 'running' AND lease_until < @now))
         AND tenant_id NOT IN (SELECT value FROM json_each(@excluded))
       ORDER BY coalesce(wake_at, lease_until), id LIMIT @limit`,
    ),
    pending: sqlite.prepare(
      `SELECT id, tenant_id AS tenantId FROM runs WHERE status = 'pending' AND tenant_id NOT IN (SELECT value FROM json_each(@excluded))
       ORDER BY vtime, id LIMIT @limit`,
    ),
    lease: sqlite.prepare(
      `UPDATE runs SET status = 'running', lease_owner = @owner, lease_until = @leaseUntil, wake_at = NULL, updated_at = @now
       WHERE id = @id RETURNING *`,
    ),
    renew: sqlite.prepare(
      `UPDATE runs SET lease_until = @leaseUntil
       WHERE id IN (SELECT value FROM json_each(@ids)) AND lease_owner = @owner AND status = 'running' RETURNING id`,
    ).pluck(),
    checkpoint: sqlite.prepare(
      `UPDATE runs SET status = @status, cursor = @cursor, wake_at = @wakeAt, failure = @failure, lease_owner = @leaseOwner,
         lease_until = CASE WHEN @leaseOwner IS NULL THEN NULL ELSE coalesce(@leaseUntil, lease_until) END,
         updated_at = @now, finished_at = @finishedAt
       WHERE id = @id AND lease_owner = @owner AND status = 'running'`,
    ),
    // A record written again for the same attempt replaces the first, keeping its place in the history.
    upsertStep: sqlite.prepare(
      `INSERT INTO run_steps (run_id, step_path, attempt, status, input, output, failure, started_at, finished_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, step_path, attempt) DO UPDATE SET status = excluded.status, input = excluded.input,
         output = excluded.output, failure = excluded.failure, started_at = excluded.started_at, finished_at = excluded.finished_at`,
    ),
    get: sqlite.prepare('SELECT * FROM runs WHERE id = @id'),
    steps: sqlite.prepare('SELECT * FROM run_steps WHERE run_id = @runId ORDER BY seq'),
    countByStatus: sqlite.prepare(
      'SELECT status, count(*) AS n FROM runs WHERE (@tenantId IS NULL OR tenant_id = @tenantId) GROUP BY status',
    ),
    cancel: sqlite.prepare(
      `UPDATE runs SET status = 'cancelled', wake_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = @now, finished_at = @now
       WHERE id = @id AND status IN ('pending', 'running', 'waiting') RETURNING *`,
    ),
    nextDue: sqlite.prepare(
      `SELECT min(t) FROM (SELECT min(wake_at) AS t FROM runs WHERE status = 'waiting'
                           UNION ALL SELECT min(lease_until) FROM runs WHERE status = 'running')`,
    ).pluck(),
    // Only final runs have finished_at.
    pruneSteps: sqlite.prepare('DELETE FROM run_steps WHERE run_id IN (SELECT id FROM runs WHERE finished_at < @before)'),
    pruneRuns: sqlite.prepare('DELETE FROM runs WHERE finished_at < @before'),
  };
}
