// /api/v1/usage: metering, per tenant, plugin, install and month. The platform team sees everything, a vendor the
// usage of its own plugins across tenants, a tenant admin its own tenant's.
import type { Store } from '../store/types.ts';
import type { RouteSpec } from './define-route.ts';

export function usageRoutes(deps: () => { store: Store }): RouteSpec[] {
  return [
    {
      method: 'get', path: '/api/v1/usage', tag: 'usage', roles: ['platform', 'vendor', 'tenant'],
      summary: 'Invocations, CPU ms, WeCom calls, effects, and distinct staff and contacts touched, per install and month',
      query: 'api/usage-query.schema.json', response: 'api/usage-list.schema.json',
      handler: async ({ caller, query }) => {
        const { store } = deps();
        // A vendor sees its plugins in every tenant; a tenant admin only its tenants, and asking for another one
        // sees what a tenant without usage shows: nothing.
        const visible = caller.role === 'tenant' ? caller.tenants ?? new Set<string>() : undefined;
        if (visible && query.tenant !== undefined && !visible.has(query.tenant)) return { usage: [] };
        let pluginIds: string[] | undefined = query.plugin === undefined ? undefined : [query.plugin];
        if (caller.role === 'vendor') {
          const own = new Set((await store.registry().list({ vendorId: caller.vendorId! })).map((v) => v.pluginId));
          pluginIds = (pluginIds ?? [...own]).filter((id) => own.has(id));
        }
        const tenants = visible ? [...visible].filter((t) => query.tenant === undefined || t === query.tenant) : [query.tenant];
        const rows = await Promise.all(tenants.map((tenantId) => store.usage().list({
          ...(tenantId !== undefined ? { tenantId } : {}), ...(pluginIds ? { pluginIds } : {}),
          ...(query.install ? { installId: query.install } : {}), ...(query.month ? { month: query.month } : {}),
          ...(query.from ? { fromMonth: query.from } : {}), ...(query.to ? { toMonth: query.to } : {}),
        })));
        // Per tenant queries, merged in the order one query gives: month descending, then tenant, plugin, install.
        const key = (r: { month: string; tenantId: string; pluginId: string; installId: string }) => [r.tenantId, r.pluginId, r.installId];
        return {
          usage: rows.flat().sort((a, b) => (a.month !== b.month ? (a.month < b.month ? 1 : -1) : key(a).join('\n') < key(b).join('\n') ? -1 : 1)),
        };
      },
    },
  ];
}
