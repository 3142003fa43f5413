// PluginKv on PostgreSQL: a set locks the install, reads its usage and writes in one transaction on one connection.
import type pg from 'pg';
import { jsonBytes, judgeKvWrite } from '../kv-quota.ts';
import type { KvSetOutcome, PluginKv } from '../types.ts';
import { inTransaction } from './transaction.ts';

// Two concurrent sets of one install (on any host process) would both pass a check of the usage before either wrote;
// the transaction-scoped advisory lock on (namespace, install) makes them take turns. Readers never wait on it.
const lockInstallSql = "SELECT pg_advisory_xact_lock(hashtext('lianjie.plugin_kv'), hashtext($1))";

// The usage and the replaced key's size in one read; `existing` is null when the key is new (bytes is never null).
const usageSql = `SELECT count(*)::int AS keys, coalesce(sum(bytes), 0)::float8 AS bytes,
    max(bytes) FILTER (WHERE key = $2) AS existing
  FROM plugin_kv WHERE install_id = $1`;

const upsertSql = `INSERT INTO plugin_kv (install_id, key, value, bytes, updated_at) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (install_id, key) DO UPDATE SET value = excluded.value, bytes = excluded.bytes, updated_at = excluded.updated_at`;

// COLLATE "C" orders by code point whatever the database's collation, as SQLite's BINARY does.
const listSql = `SELECT key FROM plugin_kv WHERE install_id = $1 AND starts_with(key, $2)
  ORDER BY key COLLATE "C" LIMIT $3`;

interface UsageRow {
  keys: number;
  bytes: number;
  existing: number | null;
}

export function createPgPluginKv(pool: pg.Pool): PluginKv {
  return {
    async get(installId, key) {
      const { rows } = await pool.query<{ value: string }>({
        name: 'lianjie_kv_get', text: 'SELECT value FROM plugin_kv WHERE install_id = $1 AND key = $2', values: [installId, key],
      });
      return rows[0]?.value ?? null;
    },

    async set(installId, key, json, quota) {
      return inTransaction(pool, async (client) => {
        await client.query({ name: 'lianjie_kv_lock', text: lockInstallSql, values: [installId] });
        const { rows } = await client.query<UsageRow>({ name: 'lianjie_kv_usage', text: usageSql, values: [installId, key] });
        const row = rows[0] ?? { keys: 0, bytes: 0, existing: null };
        const outcome: KvSetOutcome = judgeKvWrite({ keys: row.keys, bytes: row.bytes }, row.existing, jsonBytes(json), quota);
        if (outcome.ok) {
          await client.query({ name: 'lianjie_kv_upsert', text: upsertSql, values: [installId, key, json, outcome.bytes, Date.now()] });
        }
        // A refused write changed nothing; committing just ends the transaction and frees the lock.
        return outcome;
      });
    },

    async delete(installId, key) {
      const { rowCount } = await pool.query({
        name: 'lianjie_kv_delete', text: 'DELETE FROM plugin_kv WHERE install_id = $1 AND key = $2', values: [installId, key],
      });
      return (rowCount ?? 0) > 0;
    },

    async list(installId, { prefix = '', limit }) {
      const { rows } = await pool.query<{ key: string }>({ name: 'lianjie_kv_list', text: listSql, values: [installId, prefix, limit] });
      return rows.map((r) => r.key);
    },

    async usage(installId) {
      const { rows } = await pool.query<UsageRow>({ name: 'lianjie_kv_usage', text: usageSql, values: [installId, null] });
      return { keys: rows[0]?.keys ?? 0, bytes: rows[0]?.bytes ?? 0 };
    },
  };
}
