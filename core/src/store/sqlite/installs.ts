// Installs of registry versions on the store's main SQLite connection. A create checks and inserts in one IMMEDIATE
// transaction; every change of an install is one UPDATE whose WHERE states the status (and version) it starts from.
import type Database from 'better-sqlite3';
import { installPurgeStatements, toInstall, type InstallRow } from '../tenancy-rows.ts';
import type { InstallCreateOutcome, InstallStore } from '../types.ts';

type NewInstall = Parameters<InstallStore['create']>[0];

export function createSqliteInstalls(sqlite: Database.Database): InstallStore {
  // Prepared on first use: before migrate() the tables do not exist.
  let statements: ReturnType<typeof prepare> | undefined;
  const s = () => (statements ??= prepare(sqlite));

  const create = sqlite.transaction((install: NewInstall, at: number): InstallCreateOutcome => {
    const taken = s().taken.get({ id: install.id, tenantId: install.tenantId, pluginId: install.pluginId }) as 'exists' | 'plugin_installed' | null;
    if (taken !== null) return { ok: false, reason: taken };
    const row = s().insert.get({
      id: install.id, tenantId: install.tenantId, pluginId: install.pluginId, version: install.version, grants: JSON.stringify(install.grants),
      config: install.config, webhookSecret: install.webhookSecret, wecomApp: install.wecomApp, at,
    }) as InstallRow;
    return { ok: true, install: toInstall(row) };
  });

  const purge = sqlite.transaction((now: number): string[] => {
    const ids = s().due.all({ now }) as string[];
    if (ids.length === 0) return ids;
    const params = { ids: JSON.stringify(ids) };
    for (const statement of s().purge) statement.run(params);
    s().deleteInstalls.run(params);
    return ids;
  });

  const one = (row: unknown) => (row === undefined ? undefined : toInstall(row as InstallRow));

  return {
    async create(install, at) {
      return create.immediate(install, at);
    },
    async get(id) {
      return one(s().get.get({ id }));
    },
    async list(filter = {}) {
      const rows = s().list.all({ tenantId: filter.tenantId ?? null, pluginId: filter.pluginId ?? null, status: filter.status ?? null }) as InstallRow[];
      return rows.map(toInstall);
    },
    async upgrade(id, change, at) {
      return one(s().upgrade.get({
        id, from: change.fromVersion, fromConfig: change.fromConfig, version: change.version, grants: JSON.stringify(change.grants), config: change.config, at,
      }));
    },
    async update(id, patch, at) {
      return one(s().update.get({
        id, at, config: patch.config ?? null,
        setSecret: patch.webhookSecret === undefined ? 0 : 1, webhookSecret: patch.webhookSecret ?? null,
        setApp: patch.wecomApp === undefined ? 0 : 1, wecomApp: patch.wecomApp ?? null,
      }));
    },
    async uninstall(id, at, retainUntil) {
      return one(s().uninstall.get({ id, at, retainUntil }));
    },
    async purgeDue(now) {
      return purge.immediate(now);
    },
  };
}

function prepare(sqlite: Database.Database) {
  return {
    taken: sqlite.prepare(
      `SELECT CASE WHEN EXISTS (SELECT 1 FROM installs WHERE id = @id) THEN 'exists'
         WHEN EXISTS (SELECT 1 FROM installs WHERE tenant_id = @tenantId AND plugin_id = @pluginId AND status = 'active') THEN 'plugin_installed' END`,
    ).pluck(),
    insert: sqlite.prepare(
      `INSERT INTO installs (id, tenant_id, plugin_id, version, grants, config, webhook_secret, wecom_app, status, created_at, updated_at)
       VALUES (@id, @tenantId, @pluginId, @version, @grants, @config, @webhookSecret, @wecomApp, 'active', @at, @at) RETURNING *`,
    ),
    get: sqlite.prepare('SELECT * FROM installs WHERE id = @id'),
    list: sqlite.prepare(
      `SELECT * FROM installs
       WHERE (@tenantId IS NULL OR tenant_id = @tenantId) AND (@pluginId IS NULL OR plugin_id = @pluginId) AND (@status IS NULL OR status = @status)
       ORDER BY tenant_id, id`,
    ),
    // The version check and the write are one statement: of two racing upgrades from one version only the first finds it.
    upgrade: sqlite.prepare(
      `UPDATE installs SET version = @version, grants = @grants, config = @config, updated_at = @at
       WHERE id = @id AND status = 'active' AND version = @from AND config = @fromConfig RETURNING *`,
    ),
    update: sqlite.prepare(
      `UPDATE installs SET config = coalesce(@config, config), webhook_secret = CASE WHEN @setSecret THEN @webhookSecret ELSE webhook_secret END,
         wecom_app = CASE WHEN @setApp THEN @wecomApp ELSE wecom_app END, updated_at = @at
       WHERE id = @id AND status = 'active' RETURNING *`,
    ),
    uninstall: sqlite.prepare(
      `UPDATE installs SET status = 'uninstalled', uninstalled_at = @at, retain_until = @retainUntil, updated_at = @at
       WHERE id = @id AND status = 'active' RETURNING *`,
    ),
    due: sqlite.prepare("SELECT id FROM installs WHERE status = 'uninstalled' AND retain_until <= @now ORDER BY id").pluck(),
    purge: installPurgeStatements(among).map((sql) => sqlite.prepare(sql)),
    deleteInstalls: sqlite.prepare(`DELETE FROM installs WHERE ${among('id')}`),
  };
}

const among = (column: string): string => `${column} IN (SELECT value FROM json_each(@ids))`;
