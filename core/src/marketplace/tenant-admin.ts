// Tenants and their WeCom apps made at run time: checked against the config file's (whose entries stay read-only),
// secrets sealed before they reach the store, and every process told through the catalog revision.
import type { Catalog } from '../catalog/catalog.ts';
import type { CatalogSnapshot, CatalogTenant } from '../catalog/types.ts';
import { LianjieError } from '../errors.ts';
import type { Sealer } from '../secrets/seal.ts';
import type { NewTenant, Store } from '../store/types.ts';
import type { ContactQuotaPolicy } from '../wecom/contact-quota.ts';
import { isTimezone } from './timezone.ts';

export interface AppInput {
  agentId?: number;
  secret?: string;
  token: string;
  encodingAesKey: string;
}

export interface TenantInput {
  id: string;
  name?: string;
  corpId: string;
  timezone?: string;
  contactQuota?: ContactQuotaPolicy;
  apps?: (AppInput & { id: string })[];
}

export interface TenantAdminDeps {
  store: Store;
  catalog: Catalog;
  secrets(): Sealer;
  now?: () => number;
}

export const defaultTimezone = 'Asia/Shanghai';

export function createTenantAdmin(deps: TenantAdminDeps) {
  const { store, catalog } = deps;
  const now = deps.now ?? Date.now;

  /** The tenant as the catalog holds it now, or tenant.not_found. */
  async function current(tenantId: string): Promise<CatalogTenant> {
    const tenant = (await catalog.refresh()).tenants.get(tenantId);
    if (!tenant) throw new LianjieError('tenant.not_found', `no tenant "${tenantId}"`);
    return tenant;
  }

  function writable(tenant: CatalogTenant): void {
    if (tenant.origin === 'config') throw new LianjieError('tenant.read_only', `tenant "${tenant.id}" is set in the host config file; change it there`);
  }

  function checkTimezone(timezone: string | undefined, pointer: string): void {
    if (timezone !== undefined && !isTimezone(timezone)) {
      throw new LianjieError('request.invalid', `"${timezone}" is not an IANA timezone`, [{ pointer, message: 'must be an IANA timezone such as Asia/Shanghai' }]);
    }
  }

  return {
    current,

    async create(input: TenantInput): Promise<CatalogTenant> {
      checkTimezone(input.timezone, '/body/timezone');
      const seen = (await catalog.refresh()).tenants;
      const clash = [...seen.values()].find((t) => t.id === input.id || t.corpId === input.corpId);
      if (clash) throw new LianjieError('tenant.exists', clash.id === input.id ? `tenant "${input.id}" exists` : `corp ${input.corpId} is tenant "${clash.id}"`);
      // Sealed before anything is written: without a key nothing is stored half-made.
      const sealed = (input.apps ?? []).map((app) => sealApp(deps.secrets(), app));
      const tenant: NewTenant = {
        id: input.id, name: input.name ?? null, corpId: input.corpId, timezone: input.timezone ?? defaultTimezone,
        contactQuota: input.contactQuota ? JSON.stringify(input.contactQuota) : null, origin: 'api', suiteId: null, permanentCode: null, suiteAgentId: null,
      };
      const created = await store.tenants().create(tenant, now());
      if (!created.ok) throw new LianjieError('tenant.exists', created.reason === 'exists' ? `tenant "${input.id}" exists` : `corp ${input.corpId} is another tenant`);
      for (const app of sealed) await store.tenants().putApp({ tenantId: input.id, ...app }, now());
      return shown(await catalog.changed(), input.id);
    },

    async update(tenantId: string, patch: { name?: string | null; timezone?: string; contactQuota?: ContactQuotaPolicy | null }): Promise<CatalogTenant> {
      writable(await current(tenantId));
      checkTimezone(patch.timezone, '/body/timezone');
      await store.tenants().update(tenantId, {
        ...('name' in patch ? { name: patch.name ?? null } : {}),
        ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
        ...('contactQuota' in patch ? { contactQuota: patch.contactQuota ? JSON.stringify(patch.contactQuota) : null } : {}),
      }, now());
      return shown(await catalog.changed(), tenantId);
    },

    async putApp(tenantId: string, appId: string, app: AppInput): Promise<CatalogTenant> {
      writable(await current(tenantId));
      const stored = await store.tenants().putApp({ tenantId, ...sealApp(deps.secrets(), { ...app, id: appId }) }, now());
      if (!stored) throw new LianjieError('tenant.not_found', `no tenant "${tenantId}"`);
      return shown(await catalog.changed(), tenantId);
    },

    async deleteApp(tenantId: string, appId: string): Promise<boolean> {
      writable(await current(tenantId));
      const deleted = await store.tenants().deleteApp(tenantId, appId);
      if (deleted) await catalog.changed();
      return deleted;
    },

    /** Stops serving the tenant (callbacks refused, no runs, no plugin calls); its data is deleted after `retainDays`. */
    async disable(tenantId: string, retainDays: number): Promise<CatalogTenant> {
      writable(await current(tenantId));
      const at = now();
      await store.tenants().disable(tenantId, at, at + retainDays * 86_400_000);
      return shown(await catalog.changed(), tenantId);
    },

    async enable(tenantId: string): Promise<CatalogTenant> {
      writable(await current(tenantId));
      await store.tenants().enable(tenantId, now());
      return shown(await catalog.changed(), tenantId);
    },
  };
}

export type TenantAdmin = ReturnType<typeof createTenantAdmin>;

/** The tenant as the catalog serves it after a change; one it cannot open (another key) is reported, not half shown. */
function shown(snapshot: CatalogSnapshot, tenantId: string): CatalogTenant {
  const tenant = snapshot.tenants.get(tenantId);
  if (!tenant) throw new LianjieError('internal', `tenant "${tenantId}" was stored but cannot be served; the host log says why`);
  return tenant;
}

function sealApp(sealer: Sealer, app: AppInput & { id: string }) {
  return {
    id: app.id, agentId: app.agentId ?? null, secret: app.secret === undefined ? null : sealer.seal(app.secret),
    token: sealer.seal(app.token), encodingAesKey: sealer.seal(app.encodingAesKey),
  };
}

/** What the API shows of a tenant: never a secret, only whether one is set. */
export function tenantJson(tenant: CatalogTenant) {
  return {
    id: tenant.id, name: tenant.name ?? null, corpId: tenant.corpId, timezone: tenant.timezone, contactQuota: tenant.contactQuota ?? null,
    origin: tenant.origin, status: tenant.status, suiteId: tenant.suite?.suiteId ?? null,
    disabledAt: tenant.disabledAt ?? null, purgeAfter: tenant.purgeAfter ?? null,
    apps: tenant.apps.map((app) => ({ id: app.id, agentId: app.agentId ?? null, hasSecret: app.secret !== undefined })),
  };
}
