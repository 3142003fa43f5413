// Contact quotas on PostgreSQL: a take locks the customer, reads its sends and records its own in one transaction
// on one connection.
import type pg from 'pg';
import type { ContactSends, QuotaVerdict, QuotaWindow } from '../types.ts';
import { firstFull, oldest } from '../quota-windows.ts';
import { inTransaction } from './transaction.ts';

// Two hosts taking for one customer at once would both count the sends before either wrote; the transaction-scoped
// advisory lock on the customer makes them take turns, while other customers never wait on it. The key is a 64-bit
// hash of the (tenant, contact) pair, length-prefixed so that no two pairs spell the same text (a text cannot hold
// chr(0) to separate them); a hash collision would only make two customers take turns.
const lockContactSql = "SELECT pg_advisory_xact_lock(hashtextextended('lianjie.contact_sends:' || length($1::text) || ':' || $1::text || $2::text, 0))";

// A statement of its own after the lock: in READ COMMITTED each statement sees what was committed when it began, so
// this read sees the send of whoever held the lock before us. It answers the sends the windows can count and the
// key's own record, in one read of the customer's few rows; with no windows ($4 null) only the key's.
const readSql = `SELECT sent_at::float8 AS sent_at, key = $3 AS same FROM contact_sends
  WHERE tenant_id = $1 AND contact_id = $2 AND (sent_at >= $4 OR key = $3)`;

const insertSql = 'INSERT INTO contact_sends (tenant_id, contact_id, key, sent_at) VALUES ($1, $2, $3, $4)';

const releaseSql = 'DELETE FROM contact_sends WHERE tenant_id = $1 AND contact_id = $2 AND key = $3';

const listSql = `SELECT key, sent_at::float8 AS "sentAt" FROM contact_sends WHERE tenant_id = $1 AND contact_id = $2 AND sent_at >= $3
  ORDER BY sent_at DESC, key DESC`;

const pruneSql = 'DELETE FROM contact_sends WHERE sent_at < $1';

export function createPgContactSends(pool: pg.Pool): ContactSends {
  return {
    async take(send, windows) {
      const { tenantId, contactId, key, sentAt } = send;
      return inTransaction(pool, async (client): Promise<QuotaVerdict> => {
        await client.query({ name: 'lianjie_contact_sends_lock', text: lockContactSql, values: [tenantId, contactId] });
        const { rows } = await client.query<{ sent_at: number; same: boolean }>({
          name: 'lianjie_contact_sends_read', text: readSql, values: [tenantId, contactId, key, oldest(windows)],
        });
        // A refusal or a retry changed nothing; committing just ends the transaction and frees the lock.
        if (rows.some((r) => r.same)) return { ok: true, counted: false };
        const refused = firstFull(rows.map((r) => r.sent_at), windows);
        if (refused) return refused;
        await client.query({ name: 'lianjie_contact_sends_insert', text: insertSql, values: [tenantId, contactId, key, sentAt] });
        return { ok: true, counted: true };
      });
    },

    async release(tenantId, contactId, key) {
      // No lock needed: removing a send can only make a concurrent take count too many, never too few.
      const { rowCount } = await pool.query({ name: 'lianjie_contact_sends_release', text: releaseSql, values: [tenantId, contactId, key] });
      return (rowCount ?? 0) > 0;
    },

    async list(tenantId, contactId, since) {
      const { rows } = await pool.query<{ key: string; sentAt: number }>({
        name: 'lianjie_contact_sends_list', text: listSql, values: [tenantId, contactId, since],
      });
      return rows;
    },

    async prune(before) {
      const { rowCount } = await pool.query({ name: 'lianjie_contact_sends_prune', text: pruneSql, values: [before] });
      return rowCount ?? 0;
    },
  };
}
