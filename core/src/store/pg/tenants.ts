// Run-time tenants, their apps and the suite tickets on PostgreSQL. An insert is its own check: ON CONFLICT DO NOTHING
// (no target: the primary key and the corp id's unique index both arbitrate) waits for a racing insert of the same id or
// corp to commit and then inserts nothing, so of two racing creates one wins and the other is answered, never thrown at.
// Only then is the reason read.
import type pg from 'pg';
import { tenantPurgeStatements, toApp, toTenant, type AppRow, type TenantRow as Row } from '../tenancy-rows.ts';
import type { NewTenant, TenantCreateOutcome, TenantStore } from '../types.ts';
import { inTransaction } from './transaction.ts';

const insertSql = `INSERT INTO tenants (id, name, corp_id, timezone, contact_quota, origin, suite_id, permanent_code, suite_agent_id, status, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, $10)
  ON CONFLICT DO NOTHING RETURNING *`;

const takenSql = `SELECT CASE WHEN EXISTS (SELECT 1 FROM tenants WHERE id = $1) THEN 'exists'
    WHEN EXISTS (SELECT 1 FROM tenants WHERE corp_id = $2) THEN 'corp_taken' END AS reason`;

const getSql = 'SELECT * FROM tenants WHERE id = $1';

const byCorpSql = 'SELECT * FROM tenants WHERE corp_id = $1';

// COLLATE "C" orders by code point whatever the database's collation, as SQLite's BINARY does.
const listSql = `SELECT * FROM tenants WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR origin = $2)
  ORDER BY id COLLATE "C"`;

const updateSql = `UPDATE tenants SET name = CASE WHEN $2::boolean THEN $3::text ELSE name END, timezone = coalesce($4::text, timezone),
    contact_quota = CASE WHEN $5::boolean THEN $6::text ELSE contact_quota END, updated_at = $7
  WHERE id = $1 RETURNING *`;

const reactivateSql = `UPDATE tenants SET status = 'active', suite_id = $2, permanent_code = $3, suite_agent_id = $4,
    disabled_at = NULL, purge_after = NULL, updated_at = $5
  WHERE corp_id = $1 AND origin = 'suite' RETURNING *`;

const suiteCorpSql = "SELECT 1 FROM tenants WHERE corp_id = $1 AND origin = 'suite'";

// coalesce keeps the first disabling's time: a racing second UPDATE waits for the first's row lock, then re-reads the
// row it committed. enable clears it, so the next disabling starts afresh.
const disableSql = `UPDATE tenants SET status = 'disabled', disabled_at = coalesce(disabled_at, $2), purge_after = $3, updated_at = $2
  WHERE id = $1 RETURNING *`;

const enableSql = "UPDATE tenants SET status = 'active', disabled_at = NULL, purge_after = NULL, updated_at = $2 WHERE id = $1 RETURNING *";

// The KEY SHARE lock holds the tenant row until the app is written: a purge deleting the tenant meanwhile either waits
// for it (and deletes the app too) or went first (and the app is not written), so no app outlives its tenant.
const putAppSql = `WITH tenant AS (SELECT id FROM tenants WHERE id = $1 FOR KEY SHARE)
  INSERT INTO tenant_apps (tenant_id, app_id, agent_id, secret, token, encoding_aes_key, created_at, updated_at)
  SELECT id, $2, $3, $4, $5, $6, $7, $7 FROM tenant
  ON CONFLICT (tenant_id, app_id) DO UPDATE SET agent_id = excluded.agent_id, secret = excluded.secret, token = excluded.token,
    encoding_aes_key = excluded.encoding_aes_key, updated_at = excluded.updated_at
  RETURNING *`;

const deleteAppSql = 'DELETE FROM tenant_apps WHERE tenant_id = $1 AND app_id = $2';

const appsSql = 'SELECT * FROM tenant_apps WHERE $1::text IS NULL OR tenant_id = $1 ORDER BY tenant_id COLLATE "C", app_id COLLATE "C"';

const putTicketSql = `INSERT INTO suite_tickets (suite_id, ticket, received_at) VALUES ($1, $2, $3)
  ON CONFLICT (suite_id) DO UPDATE SET ticket = excluded.ticket, received_at = excluded.received_at
  WHERE excluded.received_at >= suite_tickets.received_at`;

const ticketSql = 'SELECT ticket, received_at FROM suite_tickets WHERE suite_id = $1';

// SKIP LOCKED: a tenant another host is purging, or one being written (an app put, an enable), waits for the next purge,
// which re-reads its status and time.
const dueSql = `WITH due AS (SELECT id FROM tenants WHERE status = 'disabled' AND purge_after <= $1 FOR UPDATE SKIP LOCKED),
    gone AS (DELETE FROM tenants USING due WHERE tenants.id = due.id RETURNING tenants.id)
  SELECT id FROM gone ORDER BY id COLLATE "C"`;

const purgeSqls = tenantPurgeStatements((column) => `${column} = ANY($1::text[])`);

/** Tries a conflicting write again when the row it conflicted with was gone before the reason could be read. */
export async function settled<T>(attempt: () => Promise<T | undefined>): Promise<T> {
  for (let tries = 0; tries < 5; tries++) {
    const outcome = await attempt();
    if (outcome !== undefined) return outcome;
  }
  throw new Error('a write kept conflicting with rows that were gone when read');
}

export function createPgTenants(pool: pg.Pool): TenantStore {
  const one = async (name: string, text: string, values: unknown[]) => {
    const { rows } = await pool.query<Row>({ name, text, values });
    return rows[0] && toTenant(rows[0]);
  };
  const insert = (tenant: NewTenant, at: number) => one('lianjie_tenants_insert', insertSql, [
    tenant.id, tenant.name, tenant.corpId, tenant.timezone, tenant.contactQuota, tenant.origin, tenant.suiteId, tenant.permanentCode, tenant.suiteAgentId, at,
  ]);

  return {
    async create(tenant, at) {
      return settled(async (): Promise<TenantCreateOutcome | undefined> => {
        const created = await insert(tenant, at);
        if (created) return { ok: true, tenant: created };
        const { rows } = await pool.query<{ reason: 'exists' | 'corp_taken' | null }>({ name: 'lianjie_tenants_taken', text: takenSql, values: [tenant.id, tenant.corpId] });
        return rows[0]?.reason ? { ok: false, reason: rows[0].reason } : undefined;
      });
    },
    get: (id) => one('lianjie_tenants_get', getSql, [id]),
    byCorpId: (corpId) => one('lianjie_tenants_by_corp', byCorpSql, [corpId]),
    async list(filter = {}) {
      const { rows } = await pool.query<Row>({ name: 'lianjie_tenants_list', text: listSql, values: [filter.status ?? null, filter.origin ?? null] });
      return rows.map(toTenant);
    },
    update: (id, patch, at) => one('lianjie_tenants_update', updateSql, [
      id, patch.name !== undefined, patch.name ?? null, patch.timezone ?? null, patch.contactQuota !== undefined, patch.contactQuota ?? null, at,
    ]),
    // The corp decides: a corp seen before gets its own row back, whatever id the caller proposed. Each step is one
    // statement; an insert that lost a race for the corp goes round again and finds the winner's row to take back.
    async authorise(tenant, at) {
      return settled(async () => {
        const back = await one('lianjie_tenants_reactivate', reactivateSql, [tenant.corpId, tenant.suiteId, tenant.permanentCode, tenant.suiteAgentId, at]);
        if (back) return { ok: true, tenant: back, reactivated: true } as const;
        const created = await insert(tenant, at);
        if (created) return { ok: true, tenant: created, reactivated: false } as const;
        // A suite tenant of the corp that appeared meanwhile (a racing authorisation) is taken back on the next round.
        if ((await pool.query({ name: 'lianjie_tenants_suite_corp', text: suiteCorpSql, values: [tenant.corpId] })).rowCount) return undefined;
        const { rows } = await pool.query<{ reason: 'exists' | 'corp_taken' | null }>({ name: 'lianjie_tenants_taken', text: takenSql, values: [tenant.id, tenant.corpId] });
        const reason = rows[0]?.reason;
        return reason ? { ok: false, reason } as const : undefined;
      });
    },
    disable: (id, at, purgeAfter) => one('lianjie_tenants_disable', disableSql, [id, at, purgeAfter]),
    enable: (id, at) => one('lianjie_tenants_enable', enableSql, [id, at]),
    async putApp(app, at) {
      const { rows } = await pool.query<AppRow>({
        name: 'lianjie_tenant_apps_put', text: putAppSql, values: [app.tenantId, app.id, app.agentId, app.secret, app.token, app.encodingAesKey, at],
      });
      return rows[0] && toApp(rows[0]);
    },
    async deleteApp(tenantId, appId) {
      const { rowCount } = await pool.query({ name: 'lianjie_tenant_apps_delete', text: deleteAppSql, values: [tenantId, appId] });
      return (rowCount ?? 0) > 0;
    },
    async apps(tenantId) {
      const { rows } = await pool.query<AppRow>({ name: 'lianjie_tenant_apps_list', text: appsSql, values: [tenantId ?? null] });
      return rows.map(toApp);
    },
    async putSuiteTicket(suiteId, sealedTicket, at) {
      await pool.query({ name: 'lianjie_suite_tickets_put', text: putTicketSql, values: [suiteId, sealedTicket, at] });
    },
    async suiteTicket(suiteId) {
      const { rows } = await pool.query<{ ticket: string; received_at: string }>({ name: 'lianjie_suite_tickets_get', text: ticketSql, values: [suiteId] });
      return rows[0] && { ticket: rows[0].ticket, receivedAt: new Date(Number(rows[0].received_at)).toISOString() };
    },
    async purgeDue(now) {
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ id: string }>({ name: 'lianjie_tenants_due', text: dueSql, values: [now] });
        const ids = rows.map((row) => row.id);
        if (ids.length === 0) return ids;
        for (const [i, text] of purgeSqls.entries()) await client.query({ name: `lianjie_tenants_purge_${i}`, text, values: [ids] });
        return ids;
      });
    },
  };
}
