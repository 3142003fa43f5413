// Run-time tenants, their apps and the suite tickets on the store's main SQLite connection. Each check-and-write is one
// IMMEDIATE transaction: it holds the write lock from the check on, so no other process on the file writes in between.
import type Database from 'better-sqlite3';
import { tenantPurgeStatements, toApp, toTenant, type AppRow, type TenantRow } from '../tenancy-rows.ts';
import type { NewTenant, TenantCreateOutcome, TenantStore } from '../types.ts';

type Authorised = Awaited<ReturnType<TenantStore['authorise']>>;
type Suite = NewTenant & { suiteId: string; permanentCode: string };

export function createSqliteTenants(sqlite: Database.Database): TenantStore {
  // Prepared on first use: before migrate() the tables do not exist.
  let statements: ReturnType<typeof prepare> | undefined;
  const s = () => (statements ??= prepare(sqlite));

  const create = sqlite.transaction((tenant: NewTenant, at: number): TenantCreateOutcome => {
    const taken = s().taken.get({ id: tenant.id, corpId: tenant.corpId }) as 'exists' | 'corp_taken' | null;
    if (taken !== null) return { ok: false, reason: taken };
    return { ok: true, tenant: toTenant(s().insert.get(tenantValues(tenant, at)) as TenantRow) };
  });

  // The corp decides: a corp seen before gets its own row back, whatever id the caller proposed.
  const authorise = sqlite.transaction((tenant: Suite, at: number): Authorised => {
    const back = s().reactivate.get({
      corpId: tenant.corpId, suiteId: tenant.suiteId, permanentCode: tenant.permanentCode, suiteAgentId: tenant.suiteAgentId, at,
    }) as TenantRow | undefined;
    if (back) return { ok: true, tenant: toTenant(back), reactivated: true };
    const reason = s().taken.get({ id: tenant.id, corpId: tenant.corpId }) as 'exists' | 'corp_taken' | null;
    if (reason !== null) return { ok: false, reason };
    return { ok: true, tenant: toTenant(s().insert.get(tenantValues(tenant, at)) as TenantRow), reactivated: false };
  });

  const purge = sqlite.transaction((now: number): string[] => {
    const ids = s().due.all({ now }) as string[];
    if (ids.length === 0) return ids;
    const params = { ids: JSON.stringify(ids) };
    for (const statement of s().purge) statement.run(params);
    s().deleteTenants.run(params);
    return ids;
  });

  const one = (row: unknown) => (row === undefined ? undefined : toTenant(row as TenantRow));

  return {
    async create(tenant, at) {
      return create.immediate(tenant, at);
    },
    async get(id) {
      return one(s().get.get({ id }));
    },
    async byCorpId(corpId) {
      return one(s().byCorp.get({ corpId }));
    },
    async list(filter = {}) {
      const rows = s().list.all({ status: filter.status ?? null, origin: filter.origin ?? null }) as TenantRow[];
      return rows.map(toTenant);
    },
    async update(id, patch, at) {
      return one(s().update.get({
        id, at, setName: patch.name === undefined ? 0 : 1, name: patch.name ?? null, timezone: patch.timezone ?? null,
        setQuota: patch.contactQuota === undefined ? 0 : 1, contactQuota: patch.contactQuota ?? null,
      }));
    },
    async authorise(tenant, at) {
      return authorise.immediate(tenant, at);
    },
    async disable(id, at, purgeAfter) {
      return one(s().disable.get({ id, at, purgeAfter }));
    },
    async enable(id, at) {
      return one(s().enable.get({ id, at }));
    },
    async putApp(app, at) {
      const row = s().putApp.get({
        tenantId: app.tenantId, appId: app.id, agentId: app.agentId, secret: app.secret, token: app.token, encodingAesKey: app.encodingAesKey, at,
      }) as AppRow | undefined;
      return row && toApp(row);
    },
    async deleteApp(tenantId, appId) {
      return s().deleteApp.run({ tenantId, appId }).changes > 0;
    },
    async apps(tenantId) {
      return (s().apps.all({ tenantId: tenantId ?? null }) as AppRow[]).map(toApp);
    },
    async putSuiteTicket(suiteId, sealedTicket, at) {
      s().putTicket.run({ suiteId, ticket: sealedTicket, at });
    },
    async suiteTicket(suiteId) {
      const row = s().ticket.get({ suiteId }) as { ticket: string; received_at: number } | undefined;
      return row && { ticket: row.ticket, receivedAt: new Date(row.received_at).toISOString() };
    },
    async purgeDue(now) {
      return purge.immediate(now);
    },
  };
}

/** The insert's parameters, named one by one: a caller's object may carry more keys than the statement binds. */
function tenantValues(t: NewTenant, at: number) {
  return {
    id: t.id, name: t.name, corpId: t.corpId, timezone: t.timezone, contactQuota: t.contactQuota, origin: t.origin,
    suiteId: t.suiteId, permanentCode: t.permanentCode, suiteAgentId: t.suiteAgentId, at,
  };
}

function prepare(sqlite: Database.Database) {
  return {
    taken: sqlite.prepare(
      `SELECT CASE WHEN EXISTS (SELECT 1 FROM tenants WHERE id = @id) THEN 'exists'
         WHEN EXISTS (SELECT 1 FROM tenants WHERE corp_id = @corpId) THEN 'corp_taken' END`,
    ).pluck(),
    insert: sqlite.prepare(
      `INSERT INTO tenants (id, name, corp_id, timezone, contact_quota, origin, suite_id, permanent_code, suite_agent_id, status, created_at, updated_at)
       VALUES (@id, @name, @corpId, @timezone, @contactQuota, @origin, @suiteId, @permanentCode, @suiteAgentId, 'active', @at, @at) RETURNING *`,
    ),
    get: sqlite.prepare('SELECT * FROM tenants WHERE id = @id'),
    byCorp: sqlite.prepare('SELECT * FROM tenants WHERE corp_id = @corpId'),
    list: sqlite.prepare(
      'SELECT * FROM tenants WHERE (@status IS NULL OR status = @status) AND (@origin IS NULL OR origin = @origin) ORDER BY id',
    ),
    update: sqlite.prepare(
      `UPDATE tenants SET name = CASE WHEN @setName THEN @name ELSE name END, timezone = coalesce(@timezone, timezone),
         contact_quota = CASE WHEN @setQuota THEN @contactQuota ELSE contact_quota END, updated_at = @at
       WHERE id = @id RETURNING *`,
    ),
    reactivate: sqlite.prepare(
      `UPDATE tenants SET status = 'active', suite_id = @suiteId, permanent_code = @permanentCode, suite_agent_id = @suiteAgentId,
         disabled_at = NULL, purge_after = NULL, updated_at = @at
       WHERE corp_id = @corpId AND origin = 'suite' RETURNING *`,
    ),
    // coalesce keeps the first disabling's time; enable clears it, so the next disabling starts afresh.
    disable: sqlite.prepare(
      `UPDATE tenants SET status = 'disabled', disabled_at = coalesce(disabled_at, @at), purge_after = @purgeAfter, updated_at = @at
       WHERE id = @id RETURNING *`,
    ),
    enable: sqlite.prepare(
      "UPDATE tenants SET status = 'active', disabled_at = NULL, purge_after = NULL, updated_at = @at WHERE id = @id RETURNING *",
    ),
    // Selected from tenants, so an unknown tenant inserts nothing; the tenant check and the write are one statement.
    putApp: sqlite.prepare(
      `INSERT INTO tenant_apps (tenant_id, app_id, agent_id, secret, token, encoding_aes_key, created_at, updated_at)
       SELECT id, @appId, @agentId, @secret, @token, @encodingAesKey, @at, @at FROM tenants WHERE id = @tenantId
       ON CONFLICT (tenant_id, app_id) DO UPDATE SET agent_id = excluded.agent_id, secret = excluded.secret, token = excluded.token,
         encoding_aes_key = excluded.encoding_aes_key, updated_at = excluded.updated_at
       RETURNING *`,
    ),
    deleteApp: sqlite.prepare('DELETE FROM tenant_apps WHERE tenant_id = @tenantId AND app_id = @appId'),
    apps: sqlite.prepare('SELECT * FROM tenant_apps WHERE @tenantId IS NULL OR tenant_id = @tenantId ORDER BY tenant_id, app_id'),
    putTicket: sqlite.prepare(
      `INSERT INTO suite_tickets (suite_id, ticket, received_at) VALUES (@suiteId, @ticket, @at)
       ON CONFLICT (suite_id) DO UPDATE SET ticket = excluded.ticket, received_at = excluded.received_at
       WHERE excluded.received_at >= suite_tickets.received_at`,
    ),
    ticket: sqlite.prepare('SELECT ticket, received_at FROM suite_tickets WHERE suite_id = @suiteId'),
    due: sqlite.prepare("SELECT id FROM tenants WHERE status = 'disabled' AND purge_after <= @now ORDER BY id").pluck(),
    purge: tenantPurgeStatements(among).map((sql) => sqlite.prepare(sql)),
    deleteTenants: sqlite.prepare(`DELETE FROM tenants WHERE ${among('id')}`),
  };
}

const among = (column: string): string => `${column} IN (SELECT value FROM json_each(@ids))`;
