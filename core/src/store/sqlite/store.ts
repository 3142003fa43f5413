// The Store on one SQLite file (better-sqlite3): WAL, raw prepared statements on the write paths, drizzle for reads.
import type Database from 'better-sqlite3';
import { and, count, desc, asc, eq, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { planRows, settle, unwrittenKeys, type EventValues, type RowResult } from '../decode-plan.ts';
import { newInboxId } from '../inbox-ids.ts';
import { allMigrationsRecorded, migrationsFolder, migrationsTable } from '../migrations.ts';
import { inboxColumns, inboxValues, rowLimit, toInboxRow, toStoredEvent, type InboxValues } from '../rows.ts';
import type { ApiTokenStore, CatalogRevision, InstallStore, PluginRegistry, TenantStore, UsageStore, ContactSends, ScheduleTickRepository, DecodeBatchResult, EventQuery, InboxRow, InboxStatus, EffectLedger, PluginKv, RunRepository, Store, WorkflowRepository } from '../types.ts';
import { createThreadAppender, type Appender } from './appender.ts';
import { openConnection, prepareAppend } from './connection.ts';
import { createSqlitePluginKv } from './plugin-kv.ts';
import { createSqliteApiTokens } from './api-tokens.ts';
import { createSqlitePluginRegistry } from './registry.ts';
import { createSqliteTenants } from './tenants.ts';
import { createSqliteInstalls } from './installs.ts';
import { createSqliteCatalogRevision } from './catalog-revision.ts';
import { createSqliteUsage } from './usage.ts';
import { createSqliteContactSends } from './contact-sends.ts';
import { createSqliteEffects } from './effects.ts';
import { createSqliteScheduleTicks } from './schedule-ticks.ts';
import { createSqliteRuns } from './runs.ts';
import { createSqliteWorkflows } from './workflows.ts';
import { events, inbox } from './schema.ts';

export interface SqliteStoreOptions {
  /** A file path, or ':memory:'. */
  file: string;
  /** FULL fsyncs every commit; NORMAL (in WAL) only at checkpoints, so a power cut can lose the last commits. */
  synchronous: 'FULL' | 'NORMAL';
  /** How long a write waits for another connection's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
}

const folder = migrationsFolder('sqlite');

export function createSqliteStore(options: SqliteStoreOptions): Store {
  const sqlite = openConnection(options);
  const db = drizzle({ client: sqlite });
  // Statements are prepared on first use: before migrate() the tables they name do not exist yet.
  let writes: ReturnType<typeof prepareWrites> | undefined;
  const w = () => (writes ??= prepareWrites(sqlite));
  // A file gets its own append thread; an in-memory database exists only on this connection.
  let appender: Appender | undefined;
  // While appends fail (thread dead, file unwritable) the store is not ready; a dead thread is replaced,
  // at most once a second so that a flood of callbacks cannot turn into a flood of thread starts.
  let appendFailedAt = 0;
  const append = async (rows: InboxValues[]): Promise<void> => {
    if (options.file === ':memory:') return w().appendAll(rows);
    if (appender?.failure()) {
      if (Date.now() - appendFailedAt < 1000) throw appender.failure();
      appender = undefined;
    }
    appender ??= createThreadAppender(options, inboxColumns);
    try {
      await appender.append(rows);
      appendFailedAt = 0;
    } catch (error) {
      appendFailedAt = Date.now();
      throw error;
    }
  };
  let kv: PluginKv | undefined;
  let workflowRepository: WorkflowRepository | undefined;
  let effectLedger: EffectLedger | undefined;
  let ticks: ScheduleTickRepository | undefined;
  let runRepository: RunRepository | undefined;
  let contactSendLedger: ContactSends | undefined;
  let tokenStore: ApiTokenStore | undefined;
  let pluginRegistry: PluginRegistry | undefined;
  let tenantStore: TenantStore | undefined;
  let installStore: InstallStore | undefined;
  let revision: CatalogRevision | undefined;
  let usageStore: UsageStore | undefined;
  let closed = false;

  // Runs under the write lock, after decoding: the lock is held for the writes only, never for the decoding,
  // so the append thread's commits (the acknowledgements) do not queue behind a batch being parsed.
  const writeDecoded = (plans: ReturnType<typeof planRows>): DecodeBatchResult => {
    const s = w();
    const inserted = new Map<string, string>();
    for (const plan of plans) {
      if (plan.kind !== 'event') continue;
      const written = s.insertEvent.get(...eventParams(plan.event)) as { id: string } | undefined;
      if (written) inserted.set(plan.event.dedupKey, written.id);
    }
    const existing = new Map<string, string>();
    for (const key of unwrittenKeys(plans, inserted)) {
      const found = s.findEvent.get(key) as { id: string } | undefined;
      if (found) existing.set(key, found.id);
    }
    const { results, batch } = settle(plans, inserted, existing);
    const now = Date.now();
    for (const r of results) s.markRow.run(...markParams(r, now));
    return batch;
  };

  const ready = async (): Promise<boolean> => {
    if (appendFailedAt !== 0) return false;
    try {
      const rows = sqlite.prepare(`SELECT created_at FROM ${migrationsTable}`).pluck().all();
      return allMigrationsRecorded(folder, rows);
    } catch {
      // No migrations table yet, or the file is unreadable: either way not ready.
      return false;
    }
  };

  return {
    dialect: 'sqlite',

    async migrate() {
      try {
        migrate(db, { migrationsFolder: folder, migrationsTable });
      } catch (error) {
        // drizzle reads what is applied before taking the write lock, so a second process starting on the same
        // file at the same moment re-runs a migration the first just committed and fails; that is fine if all are in.
        if (!(await ready())) throw error;
      }
    },

    ready,

    async appendInbox(envelopes) {
      if (envelopes.length === 0) return [];
      const now = Date.now();
      const rows = envelopes.map((e) => inboxValues(newInboxId(now), e, now));
      await append(rows);
      return rows.map((r) => r[0]);
    },

    async decodePending(limit, decode) {
      const n = rowLimit(limit);
      // The decoder polls: an empty inbox is answered by a WAL read, without queueing for the write lock.
      if (n === 0 || !w().anyPending.get()) return { processed: 0, inserted: 0, duplicates: 0, dead: 0, receivedAt: [] };
        // Rows are read from a WAL snapshot and decoded without the lock; marking them is guarded by
      // `status = 'pending'`, so a second process on the same file cannot mark a row twice.
      const rows = (w().claim.all(n) as Parameters<typeof toInboxRow>[0][]).map(toInboxRow);
      const plans = planRows(rows, decode);
      return sqlite.transaction(writeDecoded).immediate(plans);
    },

    async listEvents(query) {
      const limit = rowLimit(query.limit);
      if (limit === 0) return [];
      const rows = db.select().from(events).where(eventFilter(query))
        .orderBy(desc(events.receivedAt), desc(events.id)).limit(limit).all();
      return rows.map(toStoredEvent);
    },

    async countEvents(query = {}) {
      const [row] = db.select({ n: count() }).from(events).where(eventFilter(query)).all();
      return row?.n ?? 0;
    },

    async listInbox(status: InboxStatus, limit?: number): Promise<InboxRow[]> {
      const n = rowLimit(limit);
      if (n === 0) return [];
      const rows = db.select().from(inbox).where(eq(inbox.status, status))
        .orderBy(asc(inbox.receivedAt), asc(inbox.id)).limit(n).all();
      return rows.map(toInboxRow);
    },

    async countInbox(status = 'pending') {
      const [row] = db.select({ n: count() }).from(inbox).where(eq(inbox.status, status)).all();
      return row?.n ?? 0;
    },

    // On the main connection: a plugin's writes are few and small, unlike the inbox's stream of fsynced appends.
    pluginKv: () => (kv ??= createSqlitePluginKv(sqlite)),
    workflows: () => (workflowRepository ??= createSqliteWorkflows(sqlite)),
    effects: () => (effectLedger ??= createSqliteEffects(sqlite)),
    scheduleTicks: () => (ticks ??= createSqliteScheduleTicks(sqlite)),
    runs: () => (runRepository ??= createSqliteRuns(sqlite)),
    contactSends: () => (contactSendLedger ??= createSqliteContactSends(sqlite)),
    apiTokens: () => (tokenStore ??= createSqliteApiTokens(sqlite)),
    registry: () => (pluginRegistry ??= createSqlitePluginRegistry(sqlite)),
    tenants: () => (tenantStore ??= createSqliteTenants(sqlite)),
    installs: () => (installStore ??= createSqliteInstalls(sqlite)),
    catalogRevision: () => (revision ??= createSqliteCatalogRevision(sqlite)),
    usage: () => (usageStore ??= createSqliteUsage(sqlite)),

    async close() {
      if (closed) return;
      closed = true;
      await appender?.close();
      sqlite.close();
    },
  };
}

function prepareWrites(sqlite: Database.Database) {
  return {
    appendAll: prepareAppend(sqlite, inboxColumns),
    claim: sqlite.prepare(
      `SELECT id, route, tenant_id AS tenantId, app_id AS appId, suite_id AS suiteId, msg_signature AS msgSignature,
         timestamp, nonce, encrypt, received_at AS receivedAt, status, error_code AS errorCode,
         error_message AS errorMessage, event_id AS eventId, processed_at AS processedAt
       FROM inbox WHERE status = 'pending' ORDER BY received_at, id LIMIT ?`,
    ),
    // No conflict target: a clash on the dedup key is a redelivery, and a clash on the id is settled as dead
    // by settle(); neither may throw and roll back the batch.
    insertEvent: sqlite.prepare(
      `INSERT INTO events (id, tenant_id, app_id, suite_id, type, occurred_at, received_at, dedup_key, data, raw, inbox_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
    ),
    anyPending: sqlite.prepare("SELECT 1 FROM inbox WHERE status = 'pending' LIMIT 1").pluck(),
    findEvent: sqlite.prepare('SELECT id FROM events WHERE dedup_key = ?'),
    markRow: sqlite.prepare(
      "UPDATE inbox SET status = ?, event_id = ?, error_code = ?, error_message = ?, processed_at = ? WHERE id = ? AND status = 'pending'",
    ),
  };
}

function eventParams(e: EventValues): unknown[] {
  return [e.id, e.tenantId, e.appId, e.suiteId, e.type, e.occurredAt, e.receivedAt, e.dedupKey, e.data, e.raw, e.inboxId];
}

function markParams(r: RowResult, now: number): unknown[] {
  return [r.status, r.eventId, r.errorCode, r.errorMessage, now, r.id];
}

function eventFilter(query: Omit<EventQuery, 'limit'>): SQL | undefined {
  return and(
    query.tenantId === undefined ? undefined : eq(events.tenantId, query.tenantId),
    query.suiteId === undefined ? undefined : eq(events.suiteId, query.suiteId),
    query.type === undefined ? undefined : eq(events.type, query.type),
  );
}
