// /api/v1/tenants/:tenantId/installs: a tenant admin installs approved plugin versions with consent and config,
// changes their config, upgrades them (consenting again when a version asks for more), and uninstalls them. The
// config file's installs are listed too, read-only. Secrets in an install's config are never shown.
import type { Catalog } from '../catalog/catalog.ts';
import type { CatalogInstall } from '../catalog/types.ts';
import { withoutSecrets } from '../plugins/config-secrets.ts';
import { LianjieError } from '../errors.ts';
import type { InstallAdmin, InstallInput } from '../marketplace/install-admin.ts';
import type { StoredInstall, Store } from '../store/types.ts';
import type { RouteSpec } from './define-route.ts';

export interface InstallRouteDeps {
  installs: InstallAdmin;
  catalog: Catalog;
  store: Store;
}

export function installRoutes(deps: () => InstallRouteDeps): RouteSpec[] {
  const roles = ['platform', 'tenant'] as const;
  const tenantParam = 'tenantId';

  /** An install as the API shows it: the running one from the catalog (config opened, secrets redacted), else the row. */
  async function view(row: StoredInstall | undefined, running: CatalogInstall | undefined) {
    const { installs } = deps();
    const base = running ?? row!;
    const offer = row && row.status === 'active' ? await installs.offerFor(row) : null;
    return {
      id: base.id, tenantId: base.tenantId, plugin: running?.plugin.manifest.id ?? row!.pluginId, version: running?.version ?? row!.version,
      origin: running?.origin ?? 'registry', status: row?.status ?? 'active', grants: [...(running?.grants ?? row!.grants)],
      config: running ? redacted(running) : null, hasWebhookSecret: running ? running.webhookSecret !== undefined : row!.webhookSecret !== null,
      wecomApp: running?.wecomApp ?? row?.wecomApp ?? null, createdAt: row?.createdAt ?? null, uninstalledAt: row?.uninstalledAt ?? null,
      retainUntil: row?.retainUntil ?? null, upgrade: offer,
    };
  }

  async function one(tenantId: string, installId: string) {
    const { store, catalog } = deps();
    const running = (await catalog.refresh()).installs.find((i) => i.id === installId && i.tenantId === tenantId);
    const row = await store.installs().get(installId);
    if (!running && (!row || row.tenantId !== tenantId)) throw new LianjieError('install.not_found', `no install "${installId}"`);
    return view(row?.tenantId === tenantId ? row : undefined, running);
  }

  async function requireTenant(tenantId: string): Promise<void> {
    if (!(await deps().catalog.refresh()).tenants.has(tenantId)) throw new LianjieError('tenant.not_found', `no tenant "${tenantId}"`);
  }

  return [
    {
      method: 'post', path: '/api/v1/tenants/:tenantId/installs', tag: 'installs', roles, tenantParam, status: 201,
      summary: 'Installs an approved plugin version: consent to every permission it declares, and its config',
      body: 'api/install-create.schema.json', response: 'api/install-answer.schema.json',
      handler: async ({ params, body }) => {
        const made = await deps().installs.install(params.tenantId!, body as InstallInput);
        return { install: await one(params.tenantId!, made.id) };
      },
    },
    {
      method: 'get', path: '/api/v1/tenants/:tenantId/installs', tag: 'installs', roles, tenantParam,
      summary: 'The tenant\'s installs, uninstalled ones kept for retention included, each with the upgrade on offer',
      response: 'api/install-list.schema.json',
      handler: async ({ params }) => {
        const tenantId = params.tenantId!;
        await requireTenant(tenantId);
        const { store, catalog } = deps();
        const running = catalog.current().installs.filter((i) => i.tenantId === tenantId);
        const rows = await store.installs().list({ tenantId });
        const views = [
          ...running.filter((i) => i.origin === 'config').map((i) => view(undefined, i)),
          ...rows.map((row) => view(row, running.find((i) => i.id === row.id))),
        ];
        return { installs: await Promise.all(views) };
      },
    },
    {
      method: 'get', path: '/api/v1/tenants/:tenantId/installs/:installId', tag: 'installs', roles, tenantParam,
      summary: 'An install, with the upgrade on offer', response: 'api/install-answer.schema.json',
      handler: async ({ params }) => ({ install: await one(params.tenantId!, params.installId!) }),
    },
    {
      method: 'patch', path: '/api/v1/tenants/:tenantId/installs/:installId', tag: 'installs', roles, tenantParam,
      summary: 'Changes an install\'s config, webhook secret or WeCom app', body: 'api/install-update.schema.json', response: 'api/install-answer.schema.json',
      handler: async ({ params, body }) => {
        await deps().installs.update(params.tenantId!, params.installId!, body as never);
        return { install: await one(params.tenantId!, params.installId!) };
      },
    },
    {
      method: 'post', path: '/api/v1/tenants/:tenantId/installs/:installId/upgrade', tag: 'installs', roles, tenantParam,
      summary: 'Moves an install to a newer approved version, consenting to its permissions; across majors the plugin migrates the config',
      body: 'api/install-upgrade.schema.json', response: 'api/install-answer.schema.json',
      handler: async ({ params, body }) => {
        await deps().installs.upgrade(params.tenantId!, params.installId!, body as never);
        return { install: await one(params.tenantId!, params.installId!) };
      },
    },
    {
      method: 'delete', path: '/api/v1/tenants/:tenantId/installs/:installId', tag: 'installs', roles, tenantParam,
      summary: 'Uninstalls: the install stops, the tenant\'s workflows using it are disabled, its data is kept for the retention period',
      response: 'api/install-uninstalled.schema.json',
      handler: async ({ params }) => {
        const { install, disabledWorkflows } = await deps().installs.uninstall(params.tenantId!, params.installId!);
        return { install: await view(install, undefined), disabledWorkflows };
      },
    },
  ];
}

/** The install's config with every value its schema marks secret replaced, wherever the schema puts it. */
function redacted(install: CatalogInstall): Record<string, unknown> {
  return withoutSecrets(install.plugin.manifest.config, install.config) as Record<string, unknown>;
}

