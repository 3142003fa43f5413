// tenants, tenant_apps and installs rows as either dialect returns them, the records the stores answer with, and the
// deletes of a purge, written once so both dialects delete the same tables.
import type { InstallStatus, StoredApp, StoredInstall, StoredTenant, TenantOrigin, TenantStatus } from './tenancy-types.ts';

/** Milliseconds; PostgreSQL's bigint arrives as a string. */
type Millis = number | string;

export interface TenantRow {
  id: string;
  name: string | null;
  corp_id: string;
  timezone: string;
  contact_quota: string | null;
  origin: TenantOrigin;
  suite_id: string | null;
  permanent_code: string | null;
  suite_agent_id: number | null;
  status: TenantStatus;
  created_at: Millis;
  updated_at: Millis;
  disabled_at: Millis | null;
  purge_after: Millis | null;
}

export interface AppRow {
  tenant_id: string;
  app_id: string;
  agent_id: number | null;
  secret: string | null;
  token: string;
  encoding_aes_key: string;
  created_at: Millis;
  updated_at: Millis;
}

export interface InstallRow {
  id: string;
  tenant_id: string;
  plugin_id: string;
  version: string;
  grants: string;
  config: string;
  webhook_secret: string | null;
  wecom_app: string | null;
  status: InstallStatus;
  created_at: Millis;
  updated_at: Millis;
  uninstalled_at: Millis | null;
  retain_until: Millis | null;
}

const iso = (ms: Millis): string => new Date(Number(ms)).toISOString();
const isoOrNull = (ms: Millis | null): string | null => (ms === null ? null : iso(ms));

export const toTenant = (row: TenantRow): StoredTenant => ({
  id: row.id, name: row.name, corpId: row.corp_id, timezone: row.timezone, contactQuota: row.contact_quota, origin: row.origin,
  suiteId: row.suite_id, permanentCode: row.permanent_code, suiteAgentId: row.suite_agent_id, status: row.status,
  createdAt: iso(row.created_at), updatedAt: iso(row.updated_at), disabledAt: isoOrNull(row.disabled_at), purgeAfter: isoOrNull(row.purge_after),
});

export const toApp = (row: AppRow): StoredApp => ({
  tenantId: row.tenant_id, id: row.app_id, agentId: row.agent_id, secret: row.secret, token: row.token,
  encodingAesKey: row.encoding_aes_key, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at),
});

export const toInstall = (row: InstallRow): StoredInstall => ({
  id: row.id, tenantId: row.tenant_id, pluginId: row.plugin_id, version: row.version, grants: JSON.parse(row.grants) as string[],
  config: row.config, webhookSecret: row.webhook_secret, wecomApp: row.wecom_app, status: row.status,
  createdAt: iso(row.created_at), updatedAt: iso(row.updated_at), uninstalledAt: isoOrNull(row.uninstalled_at), retainUntil: isoOrNull(row.retain_until),
});

/** Tests a column against the dialect's list of ids (a bound parameter). */
type Among = (column: string) => string;

/**
 * The deletes of everything the host keeps under the tenants listed, the tenants rows aside: every table with a tenant_id
 * column, and the tables keyed by a run or install of theirs (read before the runs and installs go).
 */
export function tenantPurgeStatements(among: Among): string[] {
  const installs = `SELECT id FROM installs WHERE ${among('tenant_id')}`;
  return [
    `DELETE FROM run_steps WHERE run_id IN (SELECT id FROM runs WHERE ${among('tenant_id')})`,
    ...['plugin_kv', 'schedule_ticks'].map((table) => `DELETE FROM ${table} WHERE install_id IN (${installs})`),
    ...['runs', 'run_lanes', 'workflows', 'events', 'inbox', 'effects', 'contact_sends', 'api_tokens', 'tenant_apps', 'usage_counters', 'usage_subjects', 'installs']
      .map((table) => `DELETE FROM ${table} WHERE ${among('tenant_id')}`),
  ];
}

/** The deletes of an install's plugin storage, schedule ticks and usage, the installs rows aside. */
export function installPurgeStatements(among: Among): string[] {
  return ['plugin_kv', 'schedule_ticks', 'usage_counters', 'usage_subjects'].map((table) => `DELETE FROM ${table} WHERE ${among('install_id')}`);
}
