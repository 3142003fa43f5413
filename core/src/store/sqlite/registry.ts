// The plugin registry on the store's main SQLite connection. A submit checks the plugin id's owner and inserts in one
// IMMEDIATE transaction; a review checks the version's status and writes it in one UPDATE.
import type Database from 'better-sqlite3';
import type { PluginRegistry, PluginSubmitOutcome, PluginVersionStatus } from '../types.ts';
import { toRecord, type RegistryRow as Row } from '../registry-rows.ts';

/** The one status each review may start from. */
const reviewFrom = { approved: 'submitted', rejected: 'submitted', yanked: 'approved' } as const;

type SubmitInput = Parameters<PluginRegistry['submit']>[0];

export function createSqlitePluginRegistry(sqlite: Database.Database): PluginRegistry {
  // Prepared on first use: before migrate() the table does not exist.
  let statements: ReturnType<typeof prepare> | undefined;
  const s = () => (statements ??= prepare(sqlite));
  let submitChecked: ((v: SubmitInput) => PluginSubmitOutcome) | undefined;
  const submit = () => (submitChecked ??= sqlite.transaction((v: SubmitInput): PluginSubmitOutcome => {
    const owner = s().owner.get({ pluginId: v.pluginId }) as string | undefined;
    if (owner !== undefined && owner !== v.vendorId) return { ok: false, reason: 'owned', vendorId: owner };
    const row = s().insert.get({
      pluginId: v.pluginId, version: v.version, vendorId: v.vendorId, manifest: v.manifest, bundle: v.bundle, sha256: v.sha256,
      readme: v.readme, categories: JSON.stringify(v.categories), permissions: JSON.stringify(v.permissions), submittedAt: v.at,
    }) as Row | undefined;
    return row ? { ok: true, version: toRecord(row) } : { ok: false, reason: 'exists' };
  }).immediate);
  return {
    async submit(v) {
      return submit()(v);
    },
    async get(pluginId, version) {
      const row = s().get.get({ pluginId, version }) as Row | undefined;
      return row && toRecord(row);
    },
    async list(filter = {}) {
      const rows = s().list.all({
        vendorId: filter.vendorId ?? null, status: filter.status ?? null, category: filter.category ?? null,
        permission: filter.permission ?? null, pluginId: filter.pluginId ?? null, text: filter.text ?? null,
        limit: filter.limit ?? -1, withBundle: filter.withBundle ? 1 : 0,
      }) as Row[];
      return rows.map(toRecord);
    },
    async review(pluginId, version, change) {
      const row = s().review.get({
        pluginId, version, status: change.status, from: reviewFrom[change.status], reason: change.reason, by: change.by, at: change.at,
      }) as Row | undefined;
      if (row) return { ok: true, version: toRecord(row) };
      const from = s().status.get({ pluginId, version }) as PluginVersionStatus | undefined;
      return from === undefined ? undefined : { ok: false, from };
    },
  };
}

function prepare(sqlite: Database.Database) {
  return {
    owner: sqlite.prepare('SELECT vendor_id FROM plugin_versions WHERE plugin_id = @pluginId LIMIT 1').pluck(),
    insert: sqlite.prepare(
      `INSERT INTO plugin_versions (plugin_id, version, vendor_id, manifest, bundle, sha256, readme, categories, permissions, status, submitted_at)
       VALUES (@pluginId, @version, @vendorId, @manifest, @bundle, @sha256, @readme, @categories, @permissions, 'submitted', @submittedAt)
       ON CONFLICT (plugin_id, version) DO NOTHING RETURNING *`,
    ),
    get: sqlite.prepare('SELECT * FROM plugin_versions WHERE plugin_id = @pluginId AND version = @version'),
    status: sqlite.prepare('SELECT status FROM plugin_versions WHERE plugin_id = @pluginId AND version = @version').pluck(),
    // instr, not LIKE: the text's % and _ are plain characters. lower() folds ASCII only.
    list: sqlite.prepare(
      `SELECT plugin_id, version, vendor_id, manifest, CASE WHEN @withBundle THEN bundle ELSE '' END AS bundle, sha256, CASE WHEN @withBundle THEN readme ELSE NULL END AS readme,
         categories, permissions, status, reason, submitted_at, reviewed_at, reviewed_by
       FROM plugin_versions
       WHERE (@vendorId IS NULL OR vendor_id = @vendorId) AND (@status IS NULL OR status = @status)
         AND (@pluginId IS NULL OR plugin_id = @pluginId)
         AND (@category IS NULL OR EXISTS (SELECT 1 FROM json_each(categories) WHERE value = @category))
         AND (@permission IS NULL OR EXISTS (SELECT 1 FROM json_each(permissions) WHERE value = @permission))
         AND (@text IS NULL OR instr(lower(plugin_id), lower(@text)) > 0
           OR instr(lower(coalesce(json_extract(manifest, '$.name'), '')), lower(@text)) > 0
           OR instr(lower(coalesce(json_extract(manifest, '$.description'), '')), lower(@text)) > 0)
       ORDER BY submitted_at DESC, plugin_id DESC, version DESC
       LIMIT @limit`,
    ),
    // The status check and the write are one statement: of two racing reviews only one finds the version it expects.
    review: sqlite.prepare(
      `UPDATE plugin_versions SET status = @status, reason = @reason, reviewed_at = @at, reviewed_by = @by
       WHERE plugin_id = @pluginId AND version = @version AND status = @from RETURNING *`,
    ),
  };
}
