// Builders shared by the tenancy and installs contracts: a store handle with plain SQL beside it, tenants, apps and
// installs to store, and one row of every table that keeps rows under a tenant, an install or a run.
import type { InstallStore, NewTenant, StoredTenant, Store } from '../../core/src/store/types.ts';
import { iso, type StoreHandle } from './store.fixtures.ts';

/** A store, plus plain SQL on its database from outside the store. */
export interface TenancyHandle extends StoreHandle {
  /** Runs one statement. */
  exec(sql: string): Promise<void>;
  /** The first column of the first row, as a number. */
  count(sql: string): Promise<number>;
  /** The tables of the migrated database that have a column of this name. */
  tablesWith(column: string): Promise<string[]>;
}

export type NewInstall = Parameters<InstallStore['create']>[0];

export const tenant = (id: string, corpId: string, extra: Partial<NewTenant> = {}): NewTenant => ({
  id, name: `Tenant ${id}`, corpId, timezone: 'Asia/Shanghai', contactQuota: null, origin: 'api', suiteId: null, permanentCode: null,
  suiteAgentId: null, ...extra,
});

export const suiteTenant = (id: string, corpId: string, extra: Partial<NewTenant> = {}) => ({
  ...tenant(id, corpId, { origin: 'suite', ...extra }), suiteId: extra.suiteId ?? 'suite_a', permanentCode: extra.permanentCode ?? `sealed:code:${corpId}`,
});

export const stored = (t: NewTenant, at: number, extra: Partial<StoredTenant> = {}): StoredTenant => ({
  ...t, status: 'active', createdAt: iso(at), updatedAt: iso(at), disabledAt: null, purgeAfter: null, ...extra,
});

export const install = (id: string, tenantId: string, pluginId: string, extra: Partial<NewInstall> = {}): NewInstall => ({
  id, tenantId, pluginId, version: '1.0.0', grants: ['contacts.read'], config: `sealed:config:${id}`, webhookSecret: null, wecomApp: null, ...extra,
});

export const app = (tenantId: string, id: string, extra: Partial<{ agentId: number | null; secret: string | null; token: string; encodingAesKey: string }> = {}) => ({
  tenantId, id, agentId: 1000002, secret: `sealed:secret:${id}`, token: `sealed:token:${id}`, encodingAesKey: `sealed:aes:${id}`, ...extra,
});

/**
 * One row in every table that keeps rows under a tenant, an install or a run: the insert, and the condition that finds
 * it again. Ids are plain ASCII, so they are written into the SQL as they are.
 */
export const owned: Record<string, (t: string, i: string) => { insert: string; where: string }> = {
  inbox: (t) => ({
    insert: `INSERT INTO inbox (id, route, tenant_id, app_id, msg_signature, timestamp, nonce, encrypt, received_at, status)
      VALUES ('inb_${t}', 'app', '${t}', 'crm', 'sig', '1409659813', 'nonce_${t}', 'enc', 1, 'done')`,
    where: `tenant_id = '${t}'`,
  }),
  events: (t) => ({
    insert: `INSERT INTO events (id, tenant_id, app_id, type, occurred_at, received_at, dedup_key, data, raw, inbox_id)
      VALUES ('evt_${t}', '${t}', 'crm', 'message.text', 1, 1, 'dedup_${t}', '{}', '<xml/>', 'inb_${t}')`,
    where: `tenant_id = '${t}'`,
  }),
  plugin_kv: (_t, i) => ({
    insert: `INSERT INTO plugin_kv (install_id, key, value, bytes, updated_at) VALUES ('${i}', 'k', '"v"', 3, 1)`,
    where: `install_id = '${i}'`,
  }),
  workflows: (t) => ({
    insert: `INSERT INTO workflows (tenant_id, workflow_id, version, definition, created_at) VALUES ('${t}', 'wf', 1, '{}', 1)`,
    where: `tenant_id = '${t}'`,
  }),
  effects: (t) => ({
    insert: `INSERT INTO effects (key, tenant_id, effect, result, recorded_at) VALUES ('run_${t}:send:0', '${t}', 'http', '{}', 1)`,
    where: `tenant_id = '${t}'`,
  }),
  runs: (t) => ({
    insert: `INSERT INTO runs (id, tenant_id, workflow_id, version, trigger_key, trigger, status, vtime, created_at, updated_at)
      VALUES ('run_${t}', '${t}', 'wf', 1, 'evt_${t}', '{}', 'pending', 1, 1, 1)`,
    where: `tenant_id = '${t}'`,
  }),
  run_steps: (t) => ({
    insert: `INSERT INTO run_steps (run_id, step_path, attempt, status, started_at, finished_at) VALUES ('run_${t}', 'send', 1, 'completed', 1, 1)`,
    where: `run_id = 'run_${t}'`,
  }),
  run_lanes: (t) => ({
    insert: `INSERT INTO run_lanes (tenant_id, next_vtime) VALUES ('${t}', 2)`,
    where: `tenant_id = '${t}'`,
  }),
  schedule_ticks: (_t, i) => ({
    insert: `INSERT INTO schedule_ticks (install_id, trigger_id, tick_at, claimed_by, claimed_until) VALUES ('${i}', 'tick', 1, 'host', 1)`,
    where: `install_id = '${i}'`,
  }),
  contact_sends: (t) => ({
    insert: `INSERT INTO contact_sends (tenant_id, contact_id, key, sent_at) VALUES ('${t}', 'wm_contact', 'send_${t}', 1)`,
    where: `tenant_id = '${t}'`,
  }),
  api_tokens: (t) => ({
    insert: `INSERT INTO api_tokens (id, role, tenant_id, label, hash, created_at) VALUES ('tok_${t}', 'tenant', '${t}', 'ops', 'hash', 1)`,
    where: `tenant_id = '${t}'`,
  }),
  tenant_apps: (t) => ({
    insert: `INSERT INTO tenant_apps (tenant_id, app_id, token, encoding_aes_key, created_at, updated_at) VALUES ('${t}', 'crm', 'tok', 'aes', 1, 1)`,
    where: `tenant_id = '${t}'`,
  }),
  installs: (t, i) => ({
    insert: `INSERT INTO installs (id, tenant_id, plugin_id, version, grants, config, status, created_at, updated_at)
      VALUES ('${i}', '${t}', 'acme.notes', '1.0.0', '[]', 'sealed', 'active', 1, 1)`,
    where: `tenant_id = '${t}'`,
  }),
  usage_counters: (t, i) => ({
    insert: `INSERT INTO usage_counters (tenant_id, plugin_id, install_id, month, invocations, cpu_ms, wecom_calls, effects)
      VALUES ('${t}', 'acme.notes', '${i}', '2025-01', 1, 2, 3, 4)`,
    where: `install_id = '${i}'`,
  }),
  usage_subjects: (t, i) => ({
    insert: `INSERT INTO usage_subjects (tenant_id, plugin_id, install_id, month, kind, subject) VALUES ('${t}', 'acme.notes', '${i}', '2025-01', 'staff', 'zhangsan')`,
    where: `install_id = '${i}'`,
  }),
};

export const installKeyed = ['plugin_kv', 'schedule_ticks', 'usage_counters', 'usage_subjects'];

/** What the contract's cases share: the current handle and its helpers (set up per test by tenancyContract). */
export interface TenancyContext {
  readonly handle: TenancyHandle;
  /** Runs `work` with a second store on the same database, as a second host process would open it. */
  withOther(work: (other: Store) => Promise<void>): Promise<void>;
  /** Inserts one row of each owned table for a tenant and one of its installs. */
  seed(tenantId: string, installId: string): Promise<void>;
  /** Rows per owned table of a tenant and install. */
  counts(tenantId: string, installId: string): Promise<Record<string, number>>;
  /** `n` rows in every owned table. */
  all(n: number): Record<string, number>;
}
