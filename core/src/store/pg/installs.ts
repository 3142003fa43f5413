// Installs of registry versions on PostgreSQL. A create is an insert that is its own check: ON CONFLICT DO NOTHING
// (no target: the primary key and the one-active-install-per-plugin index both arbitrate) waits for a racing insert to
// commit, then inserts nothing, and only then is the reason read. Every change of an install is one UPDATE whose WHERE
// states the status (and version) it starts from: a racing UPDATE waits for the row lock, then re-checks the committed row.
import type pg from 'pg';
import { installPurgeStatements, toInstall, type InstallRow as Row } from '../tenancy-rows.ts';
import type { InstallCreateOutcome, InstallStore } from '../types.ts';
import { settled } from './tenants.ts';
import { inTransaction } from './transaction.ts';

const insertSql = `INSERT INTO installs (id, tenant_id, plugin_id, version, grants, config, webhook_secret, wecom_app, status, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $9)
  ON CONFLICT DO NOTHING RETURNING *`;

const takenSql = `SELECT CASE WHEN EXISTS (SELECT 1 FROM installs WHERE id = $1) THEN 'exists'
    WHEN EXISTS (SELECT 1 FROM installs WHERE tenant_id = $2 AND plugin_id = $3 AND status = 'active') THEN 'plugin_installed' END AS reason`;

const getSql = 'SELECT * FROM installs WHERE id = $1';

// COLLATE "C" orders by code point whatever the database's collation, as SQLite's BINARY does.
const listSql = `SELECT * FROM installs
  WHERE ($1::text IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR plugin_id = $2) AND ($3::text IS NULL OR status = $3)
  ORDER BY tenant_id COLLATE "C", id COLLATE "C"`;

const upgradeSql = `UPDATE installs SET version = $3, grants = $4, config = $5, updated_at = $6
  WHERE id = $1 AND status = 'active' AND version = $2 AND config = $7 RETURNING *`;

const updateSql = `UPDATE installs SET config = coalesce($2::text, config),
    webhook_secret = CASE WHEN $3::boolean THEN $4::text ELSE webhook_secret END,
    wecom_app = CASE WHEN $5::boolean THEN $6::text ELSE wecom_app END, updated_at = $7
  WHERE id = $1 AND status = 'active' RETURNING *`;

const uninstallSql = `UPDATE installs SET status = 'uninstalled', uninstalled_at = $2, retain_until = $3, updated_at = $2
  WHERE id = $1 AND status = 'active' RETURNING *`;

// SKIP LOCKED: an install another host is purging waits for the next purge, which re-reads it.
const dueSql = `WITH due AS (SELECT id FROM installs WHERE status = 'uninstalled' AND retain_until <= $1 FOR UPDATE SKIP LOCKED),
    gone AS (DELETE FROM installs USING due WHERE installs.id = due.id RETURNING installs.id)
  SELECT id FROM gone ORDER BY id COLLATE "C"`;

const purgeSqls = installPurgeStatements((column) => `${column} = ANY($1::text[])`);

export function createPgInstalls(pool: pg.Pool): InstallStore {
  const one = async (name: string, text: string, values: unknown[]) => {
    const { rows } = await pool.query<Row>({ name, text, values });
    return rows[0] && toInstall(rows[0]);
  };

  return {
    async create(install, at) {
      return settled(async (): Promise<InstallCreateOutcome | undefined> => {
        const created = await one('lianjie_installs_insert', insertSql, [
          install.id, install.tenantId, install.pluginId, install.version, JSON.stringify(install.grants), install.config, install.webhookSecret, install.wecomApp, at,
        ]);
        if (created) return { ok: true, install: created };
        const { rows } = await pool.query<{ reason: 'exists' | 'plugin_installed' | null }>({
          name: 'lianjie_installs_taken', text: takenSql, values: [install.id, install.tenantId, install.pluginId],
        });
        return rows[0]?.reason ? { ok: false, reason: rows[0].reason } : undefined;
      });
    },
    get: (id) => one('lianjie_installs_get', getSql, [id]),
    async list(filter = {}) {
      const { rows } = await pool.query<Row>({
        name: 'lianjie_installs_list', text: listSql, values: [filter.tenantId ?? null, filter.pluginId ?? null, filter.status ?? null],
      });
      return rows.map(toInstall);
    },
    upgrade: (id, change, at) => one('lianjie_installs_upgrade', upgradeSql, [
      id, change.fromVersion, change.version, JSON.stringify(change.grants), change.config, at, change.fromConfig,
    ]),
    update: (id, patch, at) => one('lianjie_installs_update', updateSql, [
      id, patch.config ?? null, patch.webhookSecret !== undefined, patch.webhookSecret ?? null, patch.wecomApp !== undefined, patch.wecomApp ?? null, at,
    ]),
    uninstall: (id, at, retainUntil) => one('lianjie_installs_uninstall', uninstallSql, [id, at, retainUntil]),
    async purgeDue(now) {
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ id: string }>({ name: 'lianjie_installs_due', text: dueSql, values: [now] });
        const ids = rows.map((row) => row.id);
        if (ids.length === 0) return ids;
        for (const [i, text] of purgeSqls.entries()) await client.query({ name: `lianjie_installs_purge_${i}`, text, values: [ids] });
        return ids;
      });
    },
  };
}
