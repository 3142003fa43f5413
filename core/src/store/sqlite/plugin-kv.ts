// PluginKv on the store's main SQLite connection; a set reads the install's usage and writes in one IMMEDIATE transaction.
import type Database from 'better-sqlite3';
import { jsonBytes, judgeKvWrite } from '../kv-quota.ts';
import type { KvQuota, KvSetOutcome, PluginKv } from '../types.ts';

export function createSqlitePluginKv(sqlite: Database.Database): PluginKv {
  // Prepared on first use: before migrate() the table does not exist.
  let statements: ReturnType<typeof prepare> | undefined;
  const s = () => (statements ??= prepare(sqlite));

  // IMMEDIATE takes the write lock before reading the usage, so another process on the same file cannot slip a
  // write in between the quota check and this write. (The append thread's inbox commits share that lock briefly.)
  const setChecked = sqlite.transaction((installId: string, key: string, json: string, quota: KvQuota): KvSetOutcome => {
    const row = s().usage.get({ installId, key }) as { keys: number; bytes: number; existing: number | null };
    const outcome = judgeKvWrite({ keys: row.keys, bytes: row.bytes }, row.existing, jsonBytes(json), quota);
    if (outcome.ok) s().upsert.run({ installId, key, value: json, bytes: outcome.bytes, updatedAt: Date.now() });
    return outcome;
  });

  return {
    async get(installId, key) {
      return (s().get.get({ installId, key }) as string | undefined) ?? null;
    },

    async set(installId, key, json, quota) {
      return setChecked.immediate(installId, key, json, quota);
    },

    async delete(installId, key) {
      return s().delete.run({ installId, key }).changes > 0;
    },

    async list(installId, { prefix = '', limit }) {
      return s().list.all({ installId, prefix, limit }) as string[];
    },

    async usage(installId) {
      const row = s().usage.get({ installId, key: null }) as { keys: number; bytes: number };
      return { keys: row.keys, bytes: row.bytes };
    },
  };
}

function prepare(sqlite: Database.Database) {
  return {
    get: sqlite.prepare('SELECT value FROM plugin_kv WHERE install_id = @installId AND key = @key').pluck(),
    // The usage and the replaced key's size in one read; `existing` is null when the key is new (bytes is never null).
    usage: sqlite.prepare(
      `SELECT count(*) AS keys, coalesce(sum(bytes), 0) AS bytes, max(CASE WHEN key = @key THEN bytes END) AS existing
       FROM plugin_kv WHERE install_id = @installId`,
    ),
    upsert: sqlite.prepare(
      `INSERT INTO plugin_kv (install_id, key, value, bytes, updated_at) VALUES (@installId, @key, @value, @bytes, @updatedAt)
       ON CONFLICT (install_id, key) DO UPDATE SET value = excluded.value, bytes = excluded.bytes, updated_at = excluded.updated_at`,
    ),
    delete: sqlite.prepare('DELETE FROM plugin_kv WHERE install_id = @installId AND key = @key'),
    // BINARY collation compares UTF-8 bytes, which is code-point order, the order PostgreSQL's COLLATE "C" gives too.
    // substr/length count characters, so the prefix test never cuts a character in half.
    list: sqlite.prepare(
      `SELECT key FROM plugin_kv WHERE install_id = @installId AND substr(key, 1, length(@prefix)) = @prefix
       ORDER BY key LIMIT @limit`,
    ).pluck(),
  };
}
