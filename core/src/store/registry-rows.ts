// A plugin_versions row as either dialect returns it, and the record the registry answers with.
import type { PluginVersionRecord, PluginVersionStatus } from './types.ts';

export interface RegistryRow {
  plugin_id: string;
  version: string;
  vendor_id: string;
  manifest: string;
  bundle: string;
  sha256: string;
  readme: string | null;
  categories: string;
  permissions: string;
  status: PluginVersionStatus;
  reason: string | null;
  /** Milliseconds; PostgreSQL's bigint arrives as a string. */
  submitted_at: number | string;
  reviewed_at: number | string | null;
  reviewed_by: string | null;
}

export const toRecord = (row: RegistryRow): PluginVersionRecord => ({
  pluginId: row.plugin_id, version: row.version, vendorId: row.vendor_id, manifest: row.manifest, bundle: row.bundle,
  sha256: row.sha256, readme: row.readme, categories: JSON.parse(row.categories) as string[],
  permissions: JSON.parse(row.permissions) as string[], status: row.status, reason: row.reason,
  submittedAt: new Date(Number(row.submitted_at)).toISOString(),
  reviewedAt: row.reviewed_at === null ? null : new Date(Number(row.reviewed_at)).toISOString(), reviewedBy: row.reviewed_by,
});
