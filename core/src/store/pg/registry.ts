// The plugin registry on PostgreSQL. A submit takes a transaction-scoped advisory lock on the plugin id, so submits of one
// id take turns: the owner check and the insert cannot interleave with another vendor's. A review checks the version's
// status and writes it in one UPDATE.
import type pg from 'pg';
import type { PluginRegistry, PluginVersionStatus } from '../types.ts';
import { toRecord, type RegistryRow as Row } from '../registry-rows.ts';
import { inTransaction } from './transaction.ts';

/** The one status each review may start from. */
const reviewFrom = { approved: 'submitted', rejected: 'submitted', yanked: 'approved' } as const;

const columns = 'plugin_id, version, vendor_id, manifest, bundle, sha256, readme, categories, permissions, status, reason, submitted_at, reviewed_at, reviewed_by';

// Length-prefixed so no two ids share a key text; a hash collision only makes two ids take turns.
const lockPluginSql = "SELECT pg_advisory_xact_lock(hashtextextended('lianjie.plugin_versions:' || length($1::text) || ':' || $1::text, 0))";

// Read after the lock, in READ COMMITTED: this statement's snapshot sees every submit that held the lock before.
const ownerSql = 'SELECT vendor_id FROM plugin_versions WHERE plugin_id = $1 LIMIT 1';

const insertSql = `INSERT INTO plugin_versions (plugin_id, version, vendor_id, manifest, bundle, sha256, readme, categories, permissions, status, submitted_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'submitted', $10)
  ON CONFLICT (plugin_id, version) DO NOTHING RETURNING ${columns}`;

const getSql = `SELECT ${columns} FROM plugin_versions WHERE plugin_id = $1 AND version = $2`;

const statusSql = 'SELECT status FROM plugin_versions WHERE plugin_id = $1 AND version = $2';

// strpos, not LIKE: the text's % and _ are plain characters.
const listSql = `SELECT plugin_id, version, vendor_id, manifest, CASE WHEN $8::boolean THEN bundle ELSE '' END AS bundle, sha256, CASE WHEN $8::boolean THEN readme ELSE NULL END AS readme,
    categories, permissions, status, reason, submitted_at, reviewed_at, reviewed_by
  FROM plugin_versions
  WHERE ($1::text IS NULL OR vendor_id = $1) AND ($2::text IS NULL OR status = $2)
    AND ($3::text IS NULL OR categories::jsonb @> jsonb_build_array($3::text))
    AND ($4::text IS NULL OR permissions::jsonb @> jsonb_build_array($4::text))
    AND ($5::text IS NULL OR plugin_id = $5)
    AND ($6::text IS NULL OR strpos(lower(plugin_id), lower($6)) > 0
      OR strpos(lower(coalesce(manifest::jsonb ->> 'name', '')), lower($6)) > 0
      OR strpos(lower(coalesce(manifest::jsonb ->> 'description', '')), lower($6)) > 0)
  ORDER BY submitted_at DESC, plugin_id DESC, version DESC
  LIMIT $7::bigint`;

// The status check and the write are one statement: a racing review waits for the row lock, then re-checks the status
// the first one committed.
const reviewSql = `UPDATE plugin_versions SET status = $3, reason = $5, reviewed_at = $7, reviewed_by = $6
  WHERE plugin_id = $1 AND version = $2 AND status = $4 RETURNING ${columns}`;

export function createPgPluginRegistry(pool: pg.Pool): PluginRegistry {
  return {
    async submit(v) {
      return inTransaction(pool, async (client) => {
        await client.query({ name: 'lianjie_plugin_versions_lock', text: lockPluginSql, values: [v.pluginId] });
        const owner = await client.query<{ vendor_id: string }>({ name: 'lianjie_plugin_versions_owner', text: ownerSql, values: [v.pluginId] });
        const ownerId = owner.rows[0]?.vendor_id;
        if (ownerId !== undefined && ownerId !== v.vendorId) return { ok: false, reason: 'owned', vendorId: ownerId } as const;
        const { rows } = await client.query<Row>({
          name: 'lianjie_plugin_versions_insert', text: insertSql,
          values: [v.pluginId, v.version, v.vendorId, v.manifest, v.bundle, v.sha256, v.readme, JSON.stringify(v.categories), JSON.stringify(v.permissions), v.at],
        });
        return rows[0] ? { ok: true, version: toRecord(rows[0]) } as const : { ok: false, reason: 'exists' } as const;
      });
    },
    async get(pluginId, version) {
      const { rows } = await pool.query<Row>({ name: 'lianjie_plugin_versions_get', text: getSql, values: [pluginId, version] });
      return rows[0] && toRecord(rows[0]);
    },
    async list(filter = {}) {
      const { rows } = await pool.query<Row>({
        name: 'lianjie_plugin_versions_list', text: listSql,
        values: [
          filter.vendorId ?? null, filter.status ?? null, filter.category ?? null, filter.permission ?? null, filter.pluginId ?? null,
          filter.text ?? null, filter.limit ?? null, filter.withBundle === true,
        ],
      });
      return rows.map(toRecord);
    },
    async review(pluginId, version, change) {
      const { rows } = await pool.query<Row>({
        name: 'lianjie_plugin_versions_review', text: reviewSql,
        values: [pluginId, version, change.status, reviewFrom[change.status], change.reason, change.by, change.at],
      });
      if (rows[0]) return { ok: true, version: toRecord(rows[0]) };
      const status = await pool.query<{ status: PluginVersionStatus }>({ name: 'lianjie_plugin_versions_status', text: statusSql, values: [pluginId, version] });
      const from = status.rows[0]?.status;
      return from === undefined ? undefined : { ok: false, from };
    },
  };
}
