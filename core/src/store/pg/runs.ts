// Runs on PostgreSQL. Several hosts share the tables: claiming skips rows another transaction holds, and every
// batch write takes its row locks in a fixed order (runs by key, lanes by tenant) so two routers cannot deadlock.
import type pg from 'pg';
import {
  checkpointColumns, failureText, rowLimit, stepValues, toStepRecord, toStoredEvent, toStoredRun,
  type EventRecord, type RunRow, type StepRow,
} from '../rows.ts';
import type { NewRun, RunQuery, RunRepository, RunStatus } from '../types.ts';
import { candidatesPerSlot, claimPicker, type ClaimCandidate } from '../claim-pick.ts';
import { inTransaction } from './transaction.ts';

const unroutedSql = `SELECT id, tenant_id AS "tenantId", app_id AS "appId", suite_id AS "suiteId", type,
    occurred_at AS "occurredAt", received_at AS "receivedAt", dedup_key AS "dedupKey", data, raw, inbox_id AS "inboxId"
  FROM events WHERE routed_at IS NULL ORDER BY received_at, id LIMIT $1`;

// The head of the pending queue; with none pending, the last place any lane handed out (the queue has passed it).
const floorSql = `SELECT coalesce((SELECT min(vtime) FROM runs WHERE status = 'pending'),
  (SELECT max(next_vtime) - 1 FROM run_lanes), 0) AS floor`;

// Pending runs are inserted at vtime 0 and placed once the lanes say where; the whole route is one transaction.
const insertRunsSql = `INSERT INTO runs (id, tenant_id, workflow_id, version, trigger_key, trigger, status, failure, vtime, created_at, updated_at, finished_at)
  SELECT id, tenant_id, workflow_id, version, trigger_key, trigger, CASE WHEN failure IS NULL THEN 'pending' ELSE 'failed' END,
    failure, 0, $8::bigint, $8::bigint, CASE WHEN failure IS NULL THEN NULL ELSE $8::bigint END
  FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[])
    AS u(id, tenant_id, workflow_id, version, trigger_key, trigger, failure)
  ORDER BY tenant_id, workflow_id, trigger_key
  ON CONFLICT (tenant_id, workflow_id, trigger_key) DO NOTHING
  RETURNING id`;

// Each tenant's lane moves past its new runs: from max(lane, floor), n places. Answers the lane's new end.
const advanceLanesSql = `INSERT INTO run_lanes (tenant_id, next_vtime)
  SELECT tenant_id, $3::bigint + n FROM unnest($1::text[], $2::bigint[]) AS u(tenant_id, n) ORDER BY tenant_id
  ON CONFLICT (tenant_id) DO UPDATE SET next_vtime = greatest(run_lanes.next_vtime, $3::bigint) + (excluded.next_vtime - $3::bigint)
  RETURNING tenant_id, next_vtime`;

const placeRunsSql = `UPDATE runs SET vtime = u.vtime FROM unnest($1::text[], $2::bigint[]) AS u(id, vtime) WHERE runs.id = u.id`;

const markRoutedSql = 'UPDATE events SET routed_at = $2 WHERE id = ANY($1::text[]) AND routed_at IS NULL';

const dueSql = `SELECT id, tenant_id AS "tenantId" FROM runs
  WHERE ((status = 'waiting' AND wake_at <= $1) OR (status = 'running' AND lease_until < $1)) AND tenant_id <> ALL($2::text[])
  ORDER BY coalesce(wake_at, lease_until), id LIMIT $3 FOR UPDATE SKIP LOCKED`;

const pendingSql = `SELECT id, tenant_id AS "tenantId" FROM runs WHERE status = 'pending' AND tenant_id <> ALL($1::text[])
  ORDER BY vtime, id LIMIT $2 FOR UPDATE SKIP LOCKED`;

const leaseSql = `UPDATE runs SET status = 'running', lease_owner = $2, lease_until = $3, wake_at = NULL, updated_at = $4
  WHERE id = ANY($1::text[]) RETURNING *`;

// Rows are locked in id order, as checkpointMany updates them, so a renewal and a checkpoint batch cannot deadlock.
const renewSql = `UPDATE runs SET lease_until = $3 WHERE id IN (
    SELECT id FROM runs WHERE id = ANY($1::text[]) AND lease_owner = $2 AND status = 'running' ORDER BY id FOR UPDATE
  ) RETURNING id`;

const lockHeldSql = `SELECT id FROM runs WHERE id = ANY($1::text[]) AND lease_owner = $2 AND status = 'running' ORDER BY id FOR UPDATE`;

const checkpointManySql = `UPDATE runs SET status = u.status, cursor = u.cursor, wake_at = u.wake_at, failure = u.failure,
    lease_owner = u.lease_owner, lease_until = CASE WHEN u.lease_owner IS NULL THEN NULL ELSE coalesce(u.lease_until, runs.lease_until) END,
    updated_at = $9, finished_at = u.finished_at
  FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bigint[], $8::bigint[])
    AS u(id, status, cursor, wake_at, failure, lease_owner, lease_until, finished_at)
  WHERE runs.id = u.id`;

const stepColumnNames = ['run_id', 'step_path', 'attempt', 'status', 'input', 'output', 'failure', 'started_at', 'finished_at'];
const upsertStepsSql = `INSERT INTO run_steps (${stepColumnNames.join(', ')})
  SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[])
  ON CONFLICT (run_id, step_path, attempt) DO UPDATE SET status = excluded.status, input = excluded.input,
    output = excluded.output, failure = excluded.failure, started_at = excluded.started_at, finished_at = excluded.finished_at`;

const cancelSql = `UPDATE runs SET status = 'cancelled', wake_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = $2, finished_at = $2
  WHERE id = $1 AND status IN ('pending', 'running', 'waiting') RETURNING *`;

const nextDueSql = `SELECT min(t) AS t FROM (SELECT min(wake_at) AS t FROM runs WHERE status = 'waiting'
  UNION ALL SELECT min(lease_until) FROM runs WHERE status = 'running') due`;

// Only final runs have finished_at; their steps go in the same statement.
const pruneSql = `WITH gone AS (DELETE FROM runs WHERE finished_at < $1 RETURNING id),
  steps AS (DELETE FROM run_steps WHERE run_id IN (SELECT id FROM gone))
  SELECT count(*) AS n FROM gone`;

export function createPgRuns(pool: pg.Pool): RunRepository {
  const get = async (client: pg.Pool | pg.PoolClient, runId: string) => {
    const { rows } = await client.query<RunRow>({ name: 'lianjie_runs_get', text: 'SELECT * FROM runs WHERE id = $1', values: [runId] });
    return rows[0] && toStoredRun(rows[0]);
  };

  // A batch is four statements whatever its size: lock the runs still held (in id order, as renew locks them, so
  // the two cannot deadlock), update them from arrays, insert their step records from arrays.
  const checkpointMany: RunRepository['checkpointMany'] = async (owner, updates) => {
    if (updates.length === 0) return [];
    const now = Date.now();
    const columns = updates.map(({ runId, update }) => checkpointColumns(owner, runId, update, now));
    const write = () => inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ id: string }>({ name: 'lianjie_runs_lock_held', text: lockHeldSql, values: [updates.map((u) => u.runId), owner] });
      const held = new Set(rows.map((r) => r.id));
      const written = updates.map((u) => held.has(u.runId));
      const chosen = updates.flatMap((u, i) => (written[i] ? [i] : []));
      if (chosen.length === 0) return written;
      const column = <T>(pick: (i: number) => T) => chosen.map(pick);
      await client.query({
        name: 'lianjie_runs_checkpoint_many', text: checkpointManySql,
        values: [
          column((i) => updates[i]!.runId), column((i) => columns[i]!.status), column((i) => columns[i]!.cursor),
          column((i) => columns[i]!.wakeAt), column((i) => columns[i]!.failure), column((i) => columns[i]!.leaseOwner),
          column((i) => columns[i]!.leaseUntil), column((i) => columns[i]!.finishedAt), now,
        ],
      });
      // One row per (run, step, attempt): the last record of an attempt wins, as a second write of it would.
      const steps = new Map(chosen.flatMap((i) => (updates[i]!.update.steps ?? []).map((step) => [`${step.runId}\n${step.stepPath}\n${step.attempt}`, stepValues(step)] as const)));
      if (steps.size > 0) {
        const values = [...steps.values()];
        await client.query({ name: 'lianjie_runs_steps_many', text: upsertStepsSql, values: stepColumnNames.map((_, c) => values.map((v) => v[c])) });
      }
      return written;
    });
    try {
      return await write();
    } catch (error) {
      // Chosen as a deadlock victim (by a lock order outside ours, such as a cancel): nothing was written; once more.
      if ((error as { code?: string }).code !== '40P01') throw error;
      return write();
    }
  };

  return {
    async unroutedEvents(limit) {
      const n = rowLimit(limit);
      if (n === 0) return [];
      const { rows } = await pool.query<EventRecord>({ name: 'lianjie_runs_unrouted', text: unroutedSql, values: [n] });
      return rows.map(toStoredEvent);
    },

    async route(runs, eventIds) {
      const now = Date.now();
      return inTransaction(pool, async (client) => {
        // Read before inserting: the new runs sit at vtime 0 until placed, and would pull the floor down.
        const floor = Number((await client.query<{ floor: string }>(floorSql)).rows[0]!.floor);
        const inserted = runs.length === 0 ? new Set<string>() : await insertRuns(client, runs, now);
        await placePending(client, runs.filter((r) => inserted.has(r.id) && !r.failure), floor);
        if (eventIds.length > 0) await client.query(markRoutedSql, [eventIds, now]);
        return runs.filter((r) => inserted.has(r.id)).map((r) => r.id);
      });
    },

    async claim(owner, options) {
      const limit = rowLimit(options.limit);
      if (limit === 0) return [];
      const excluded = options.excludeTenants ?? [];
      return inTransaction(pool, async (client) => {
        // Candidates are locked as they are read; those not picked are free again at commit, a moment later.
        const picker = claimPicker(limit, options);
        const candidates = limit * candidatesPerSlot;
        const due = await client.query<ClaimCandidate>({ name: 'lianjie_runs_due', text: dueSql, values: [options.now, excluded, candidates] });
        if (picker.take(due.rows) > 0) {
          const pending = await client.query<ClaimCandidate>({ name: 'lianjie_runs_pending', text: pendingSql, values: [excluded, candidates] });
          picker.take(pending.rows);
        }
        const ids = picker.picked;
        if (ids.length === 0) return [];
        const leased = await client.query<RunRow>({
          name: 'lianjie_runs_lease', text: leaseSql, values: [ids, owner, options.now + options.leaseMs, options.now],
        });
        const byId = new Map(leased.rows.map((row) => [row.id, toStoredRun(row)]));
        return ids.map((id) => byId.get(id)!);
      });
    },

    async renew(owner, ids, leaseUntil) {
      const { rows } = await pool.query<{ id: string }>({ name: 'lianjie_runs_renew', text: renewSql, values: [ids, owner, leaseUntil] });
      const held = new Set(rows.map((r) => r.id));
      return ids.filter((id) => held.has(id));
    },

    async checkpoint(owner, runId, update) {
      return (await checkpointMany(owner, [{ runId, update }]))[0]!;
    },

    checkpointMany,

    get: (runId) => get(pool, runId),

    async steps(runId) {
      const { rows } = await pool.query<StepRow>({
        name: 'lianjie_runs_steps', text: 'SELECT * FROM run_steps WHERE run_id = $1 ORDER BY seq', values: [runId],
      });
      return rows.map(toStepRecord);
    },

    async list(query) {
      const limit = rowLimit(query.limit);
      if (limit === 0) return [];
      const { where, values } = runFilter(query);
      const { rows } = await pool.query<RunRow>(
        `SELECT * FROM runs ${where} ORDER BY created_at DESC, id DESC LIMIT $${values.length + 1}`, [...values, limit],
      );
      return rows.map(toStoredRun);
    },

    async countByStatus(tenantId) {
      const { rows } = await pool.query<{ status: RunStatus; n: string }>(
        'SELECT status, count(*) AS n FROM runs WHERE ($1::text IS NULL OR tenant_id = $1) GROUP BY status', [tenantId ?? null],
      );
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    },

    async cancel(runId) {
      const { rows } = await pool.query<RunRow>(cancelSql, [runId, Date.now()]);
      return rows[0] ? toStoredRun(rows[0]) : get(pool, runId);
    },

    async nextDue() {
      const { rows } = await pool.query<{ t: string | null }>(nextDueSql);
      return rows[0]!.t === null ? null : Number(rows[0]!.t);
    },

    async prune(before) {
      const { rows } = await pool.query<{ n: string }>(pruneSql, [before]);
      return Number(rows[0]!.n);
    },
  };
}

/** Inserts the runs whose trigger is new; answers their ids. */
async function insertRuns(client: pg.PoolClient, runs: readonly NewRun[], now: number): Promise<Set<string>> {
  const columns = [
    runs.map((r) => r.id), runs.map((r) => r.tenantId), runs.map((r) => r.workflowId), runs.map((r) => r.version),
    runs.map((r) => r.triggerKey), runs.map((r) => r.trigger), runs.map((r) => failureText(r.failure)),
  ];
  const { rows } = await client.query<{ id: string }>({ name: 'lianjie_runs_insert', text: insertRunsSql, values: [...columns, now] });
  return new Set(rows.map((r) => r.id));
}

/** Gives the new pending runs their vtimes: each tenant's runs, in the order given, take the next places of its lane. */
async function placePending(client: pg.PoolClient, runs: readonly NewRun[], floor: number): Promise<void> {
  if (runs.length === 0) return;
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(run.tenantId, (counts.get(run.tenantId) ?? 0) + 1);
  const { rows } = await client.query<{ tenant_id: string; next_vtime: string }>({
    name: 'lianjie_runs_lanes', text: advanceLanesSql, values: [[...counts.keys()], [...counts.values()], floor],
  });
  // Each lane answers its new end; its first new place is n before that.
  const next = new Map(rows.map((r) => [r.tenant_id, Number(r.next_vtime) - counts.get(r.tenant_id)!]));
  const vtimes = runs.map((run) => {
    const vtime = next.get(run.tenantId)!;
    next.set(run.tenantId, vtime + 1);
    return vtime;
  });
  await client.query({ name: 'lianjie_runs_place', text: placeRunsSql, values: [runs.map((r) => r.id), vtimes] });
}

/** The WHERE clause of a listing, with only the filters given: each shape can then use its index. */
function runFilter(query: RunQuery): { where: string; values: unknown[] } {
  const filters: [keyof RunQuery, string][] = [
    ['tenantId', 'tenant_id ='], ['workflowId', 'workflow_id ='], ['status', 'status ='], ['since', 'created_at >='], ['until', 'created_at <'],
  ];
  const given = filters.filter(([key]) => query[key] !== undefined);
  return {
    where: given.length === 0 ? '' : `WHERE ${given.map(([, condition], i) => `${condition} $${i + 1}`).join(' AND ')}`,
    values: given.map(([key]) => query[key]),
  };
}
