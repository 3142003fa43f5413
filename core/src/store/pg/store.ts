// The Store on PostgreSQL (node-postgres Pool): drizzle for migrations and reads, one raw statement per write step.
import pg from 'pg';
import { and, asc, count, desc, eq, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { allMigrationsRecorded, migrationsFolder, migrationsTable, pgMigrationsSchema } from '../migrations.ts';
import { newInboxId } from '../inbox-ids.ts';
import { inboxValues, rowLimit, toInboxRow, toStoredEvent } from '../rows.ts';
import type { EventQuery, InboxRow, InboxStatus, Store } from '../types.ts';
import { decodePendingPg } from './decode.ts';
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

export function createPgStore(options: PgStoreOptions): Store {
  const pool = new pg.Pool({ connectionString: options.url, max: options.max ?? 10, connectionTimeoutMillis: 10_000 });
  // An idle client dying (server restart, network) is reported here; unhandled, it would crash the host.
  // The pool drops that client and the next query gets a fresh one, so there is nothing else to do.
  pool.on('error', () => {});
  const db = drizzle({ client: pool });
  let closed = false;

  return {
    dialect: 'postgres',

    async migrate() {
      // drizzle's migrator reads then applies without a lock; two processes migrating at once would both apply.
      const client = await pool.connect();
      let failure: Error | undefined;
      try {
        await client.query(migrateLock);
        try {
          await migrate(drizzle({ client }), { migrationsFolder: folder, migrationsTable, migrationsSchema: pgMigrationsSchema });
        } finally {
          await client.query(migrateUnlock);
        }
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        // A client released with an error is discarded, which also drops any advisory lock it still held.
        client.release(failure);
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
