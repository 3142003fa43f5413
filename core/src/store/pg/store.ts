// The Store on PostgreSQL (node-postgres Pool): drizzle for migrations and reads, one raw statement per write step.
import pg from 'pg';
import { and, asc, count, desc, eq, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { allMigrationsRecorded, migrationsFolder, migrationsTable, pgMigrationsSchema } from '../migrations.ts';
import { newInboxId } from '../inbox-ids.ts';
import { inboxValues, rowLimit, toInboxRow, toStoredEvent } from '../rows.ts';
import type { ApiTokenStore, CatalogRevision, InstallStore, PluginRegistry, TenantStore, UsageStore, ContactSends, ScheduleTickRepository, EventQuery, InboxRow, InboxStatus, EffectLedger, PluginKv, RunRepository, Store, WorkflowRepository } from '../types.ts';
import { decodePendingPg } from './decode.ts';
import { createPgPluginKv } from './plugin-kv.ts';
import { createPgApiTokens } from './api-tokens.ts';
import { createPgPluginRegistry } from './registry.ts';
import { createPgTenants } from './tenants.ts';
import { createPgInstalls } from './installs.ts';
import { createPgCatalogRevision } from './catalog-revision.ts';
import { createPgUsage } from './usage.ts';
import { createPgContactSends } from './contact-sends.ts';
import { createPgEffects } from './effects.ts';
import { createPgScheduleTicks } from './schedule-ticks.ts';
import { createPgRuns } from './runs.ts';
import { createPgWorkflows } from './workflows.ts';
import { appendInboxSql, inboxArrays } from './statements.ts';
import { events, inbox } from './schema.ts';

export interface PgStoreOptions {
  url: string;
  /** Connections in the pool. Default 10. */
  max?: number;
}

const folder = migrationsFolder('pg');
/** Serialises migrate() across host processes that start together. */
const migrateLock = "SELECT pg_advisory_lock(hashtext('lianjie.migrate'))";
const migrateUnlock = "SELECT pg_advisory_unlock(hashtext('lianjie.migrate'))";

/**
 * Time limits sized to WeCom's 5 s callback deadline: a write that cannot finish in time should fail (503, WeCom retries)
 * rather than hang. connect: 3 s to get a connection. statement_timeout: the server cancels a statement after 3 s and
 * the connection stays usable. query_timeout: 4 s without any answer (a silently dropped network, which no error ever
 * reports) fails the query on our side, and the client is then destroyed. TCP keepalive notices a dead peer on idle
 * clients. idle_in_transaction_session_timeout: if we vanish mid-transaction, the server ends the session and frees the
 * claimed rows instead of holding their locks until it notices (decode runs no slow work between its statements).
 */
const connectTimeoutMs = 3_000;
const sessionLimits = { statement_timeout: 3_000, query_timeout: 4_000, idle_in_transaction_session_timeout: 15_000 };
const keepAlive = { keepAlive: true, keepAliveInitialDelayMillis: 10_000 };

export function createPgStore(options: PgStoreOptions): Store {
  const pool = new pg.Pool({
    connectionString: options.url, max: options.max ?? 10, connectionTimeoutMillis: connectTimeoutMs, ...sessionLimits, ...keepAlive,
  });
  // An idle client dying (server restart, network) is reported here; unhandled, it would crash the host.
  // The pool drops that client and the next query gets a fresh one, so there is nothing else to do.
  pool.on('error', () => {});
  // pg-pool removes its own listener while a client is lent out (decode's transaction), and an 'error' no one hears
  // crashes the process. The same error already fails the query in flight (the caller's to handle) and marks the
  // client unqueryable, so pg-pool destroys it on release: hearing it is all that is needed.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzle({ client: pool });
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

  return {
    dialect: 'postgres',

    async migrate() {
      // A connection of its own, without the pool's statement and query timeouts: waiting for the advisory lock while
      // another host migrates, or a long migration, may rightly take more than 4 s, and cutting it off would fail startup.
      const client = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: connectTimeoutMs, ...keepAlive });
      // A lost connection fails the statement in flight, so migrate() rejects; unheard, the 'error' would crash the host.
      client.on('error', () => {});
      await client.connect();
      try {
        // drizzle's migrator reads then applies without a lock; two processes migrating at once would both apply.
        await client.query(migrateLock);
        try {
          await migrate(drizzle({ client }), { migrationsFolder: folder, migrationsTable, migrationsSchema: pgMigrationsSchema });
        } finally {
          await client.query(migrateUnlock);
        }
      } finally {
        // Closing the session also drops the advisory lock if the unlock above never ran.
        await client.end().catch(() => {});
      }
    },

    async ready() {
      try {
        const { rows } = await pool.query<{ created_at: string }>(
          `SELECT created_at FROM "${pgMigrationsSchema}"."${migrationsTable}"`,
        );
        return allMigrationsRecorded(folder, rows.map((r) => r.created_at));
      } catch {
        // Unreachable database or no migrations table yet: either way not ready.
        return false;
      }
    },

    async appendInbox(envelopes) {
      if (envelopes.length === 0) return [];
      const now = Date.now();
      const rows = envelopes.map((e) => inboxValues(newInboxId(now), e, now));
      // One statement is its own transaction: the batch commits (and is fsynced) whole or not at all.
      await pool.query({ name: 'lianjie_append_inbox', text: appendInboxSql, values: inboxArrays(rows) });
      return rows.map((r) => r[0]);
    },

    decodePending(limit, decode) {
      return decodePendingPg(pool, rowLimit(limit), decode);
    },

    async listEvents(query) {
      const limit = rowLimit(query.limit);
      if (limit === 0) return [];
      const rows = await db.select().from(events).where(eventFilter(query))
        .orderBy(desc(events.receivedAt), desc(events.id)).limit(limit);
      return rows.map(toStoredEvent);
    },

    async countEvents(query = {}) {
      const [row] = await db.select({ n: count() }).from(events).where(eventFilter(query));
      return row?.n ?? 0;
    },

    async listInbox(status: InboxStatus, limit?: number): Promise<InboxRow[]> {
      const n = rowLimit(limit);
      if (n === 0) return [];
      const rows = await db.select().from(inbox).where(eq(inbox.status, status))
        .orderBy(asc(inbox.receivedAt), asc(inbox.id)).limit(n);
      return rows.map(toInboxRow);
    },

    async countInbox(status = 'pending') {
      const [row] = await db.select({ n: count() }).from(inbox).where(eq(inbox.status, status));
      return row?.n ?? 0;
    },

    pluginKv: () => (kv ??= createPgPluginKv(pool)),
    workflows: () => (workflowRepository ??= createPgWorkflows(pool)),
    effects: () => (effectLedger ??= createPgEffects(pool)),
    scheduleTicks: () => (ticks ??= createPgScheduleTicks(pool)),
    runs: () => (runRepository ??= createPgRuns(pool)),
    contactSends: () => (contactSendLedger ??= createPgContactSends(pool)),
    apiTokens: () => (tokenStore ??= createPgApiTokens(pool)),
    registry: () => (pluginRegistry ??= createPgPluginRegistry(pool)),
    tenants: () => (tenantStore ??= createPgTenants(pool)),
    installs: () => (installStore ??= createPgInstalls(pool)),
    catalogRevision: () => (revision ??= createPgCatalogRevision(pool)),
    usage: () => (usageStore ??= createPgUsage(pool)),

    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

function eventFilter(query: Omit<EventQuery, 'limit'>): SQL | undefined {
  return and(
    query.tenantId === undefined ? undefined : eq(events.tenantId, query.tenantId),
    query.suiteId === undefined ? undefined : eq(events.suiteId, query.suiteId),
    query.type === undefined ? undefined : eq(events.type, query.type),
  );
}
