// /api/v1/tenants: enterprises and their WeCom apps at run time. The platform team makes and disables tenants; a
// tenant's admin reads and edits its own (name, timezone, contact quota, apps). Tenants from the host config file are
// listed too, read-only. Secrets go in and are sealed; they never come out.
import { LianjieError } from '../errors.ts';
import { tenantJson, type AppInput, type TenantAdmin, type TenantInput } from '../marketplace/tenant-admin.ts';
import type { RouteSpec } from './define-route.ts';

export interface TenantRouteDeps {
  tenants: TenantAdmin;
  /** Days a disabled tenant's data is kept, unless the request says. */
  retainDays: number;
  catalogTenants(): Promise<Parameters<typeof tenantJson>[0][]>;
}

export function tenantRoutes(deps: () => TenantRouteDeps): RouteSpec[] {
  const both = ['platform', 'tenant'] as const;
  const tenantParam = 'tenantId';
  const answer = (tenant: Parameters<typeof tenantJson>[0]) => ({ tenant: tenantJson(tenant) });
  return [
    {
      method: 'post', path: '/api/v1/tenants', tag: 'tenants', roles: ['platform'], status: 201,
      summary: 'Makes a tenant (an enterprise) with its WeCom apps; their secrets are sealed at rest',
      body: 'api/tenant-create.schema.json', response: 'api/tenant-answer.schema.json',
      handler: async ({ body }) => answer(await deps().tenants.create(body as TenantInput)),
    },
    {
      method: 'get', path: '/api/v1/tenants', tag: 'tenants', roles: both, summary: 'Every tenant the caller may see, the config file\'s included',
      response: 'api/tenant-list.schema.json',
      handler: async ({ caller }) => ({
        tenants: (await deps().catalogTenants()).filter((t) => !caller.tenants || caller.tenants.has(t.id)).map(tenantJson),
      }),
    },
    {
      method: 'get', path: '/api/v1/tenants/:tenantId', tag: 'tenants', roles: both, tenantParam, summary: 'A tenant and its apps (without secrets)',
      response: 'api/tenant-answer.schema.json',
      handler: async ({ params }) => answer(await deps().tenants.current(params.tenantId!)),
    },
    {
      method: 'patch', path: '/api/v1/tenants/:tenantId', tag: 'tenants', roles: both, tenantParam, summary: 'Changes a tenant\'s name, timezone or contact quota',
      body: 'api/tenant-update.schema.json', response: 'api/tenant-answer.schema.json',
      handler: async ({ params, body }) => answer(await deps().tenants.update(params.tenantId!, body as never)),
    },
    {
      method: 'delete', path: '/api/v1/tenants/:tenantId', tag: 'tenants', roles: ['platform'], tenantParam,
      summary: 'Disables a tenant: its callbacks are refused and nothing runs for it; its data is deleted after the retention period',
      query: 'api/tenant-disable.schema.json', response: 'api/tenant-answer.schema.json',
      handler: async ({ params, query }) => answer(await deps().tenants.disable(params.tenantId!, query.retainDays === undefined ? deps().retainDays : Number(query.retainDays))),
    },
    {
      method: 'post', path: '/api/v1/tenants/:tenantId/enable', tag: 'tenants', roles: ['platform'], tenantParam,
      summary: 'Serves a disabled tenant again, before its data is purged', response: 'api/tenant-answer.schema.json',
      handler: async ({ params }) => answer(await deps().tenants.enable(params.tenantId!)),
    },
    {
      method: 'put', path: '/api/v1/tenants/:tenantId/apps/:appId', tag: 'tenants', roles: both, tenantParam,
      summary: 'Adds or replaces a WeCom app of the tenant; its callback URL is /wecom/callback/{tenantId}/{appId}',
      body: 'api/app-put.schema.json', response: 'api/tenant-answer.schema.json',
      handler: async ({ params, body }) => {
        if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(params.appId!)) {
          throw new LianjieError('request.invalid', `app id "${params.appId}" is not an id`, [{ pointer: '/path/appId', message: 'must be lower-case letters, digits, "-" and "_"' }]);
        }
        return answer(await deps().tenants.putApp(params.tenantId!, params.appId!, body as AppInput));
      },
    },
    {
      method: 'delete', path: '/api/v1/tenants/:tenantId/apps/:appId', tag: 'tenants', roles: both, tenantParam,
      summary: 'Removes a WeCom app of the tenant', response: 'api/app-deleted.schema.json',
      handler: async ({ params }) => ({ tenantId: params.tenantId!, appId: params.appId!, deleted: await deps().tenants.deleteApp(params.tenantId!, params.appId!) }),
    },
  ];
}
