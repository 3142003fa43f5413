// Contact quotas on the store's main SQLite connection: a take reads the customer's sends and records its own in one
// IMMEDIATE transaction, so a second process on the same file waits for the write lock instead of counting stale rows.
import type Database from 'better-sqlite3';
import type { ContactSends, QuotaVerdict, QuotaWindow } from '../types.ts';
import { firstFull, oldest } from '../quota-windows.ts';

interface Send {
  tenantId: string;
  contactId: string;
  key: string;
  sentAt: number;
}

/** One row of the take's read: a send in the oldest window, or the one already recorded under the key. */
interface TakeRow {
  sent_at: number;
  same: 0 | 1;
}

export function createSqliteContactSends(sqlite: Database.Database): ContactSends {
  // Prepared on first use: before migrate() the table does not exist.
  let statements: ReturnType<typeof prepare> | undefined;
  const s = () => (statements ??= prepare(sqlite));

  const take = sqlite.transaction((send: Send, windows: readonly QuotaWindow[]): QuotaVerdict => {
    const rows = s().read.all({ ...send, since: oldest(windows) }) as TakeRow[];
    if (rows.some((r) => r.same === 1)) return { ok: true, counted: false };
    const refused = firstFull(rows.map((r) => r.sent_at), windows);
    if (refused) return refused;
    s().insert.run(send);
    return { ok: true, counted: true };
  });

  return {
    async take(send, windows) {
      const { tenantId, contactId, key, sentAt } = send;
      return take.immediate({ tenantId, contactId, key, sentAt }, windows);
    },
    async release(tenantId, contactId, key) {
      return s().release.run({ tenantId, contactId, key }).changes > 0;
    },
    async list(tenantId, contactId, since) {
      return s().list.all({ tenantId, contactId, since }) as { key: string; sentAt: number }[];
    },
    async prune(before) {
      return s().prune.run({ before }).changes;
    },
  };
}

function prepare(sqlite: Database.Database) {
  return {
    // The sends the windows can count and the key's own record, in one read of the customer's few rows.
    read: sqlite.prepare(
      `SELECT sent_at, key = @key AS same FROM contact_sends
       WHERE tenant_id = @tenantId AND contact_id = @contactId AND (sent_at >= @since OR key = @key)`,
    ),
    insert: sqlite.prepare(
      'INSERT INTO contact_sends (tenant_id, contact_id, key, sent_at) VALUES (@tenantId, @contactId, @key, @sentAt)',
    ),
    release: sqlite.prepare('DELETE FROM contact_sends WHERE tenant_id = @tenantId AND contact_id = @contactId AND key = @key'),
    list: sqlite.prepare(
      `SELECT key, sent_at AS sentAt FROM contact_sends WHERE tenant_id = @tenantId AND contact_id = @contactId AND sent_at >= @since
       ORDER BY sent_at DESC, key DESC`,
    ),
    prune: sqlite.prepare('DELETE FROM contact_sends WHERE sent_at < @before'),
  };
}
