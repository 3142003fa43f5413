// The admin API: every /api/v1 route, declared once (define-route.ts), authenticated, checked and documented
// (GET /openapi.json). Errors are `{ error: { code, message, details } }` with the JSON pointer of what was wrong.
import { Hono, type Context } from 'hono';
import type { ApiToken } from '../config/types.ts';
import { isLianjieError, LianjieError } from '../errors.ts';
import type { Logger } from '../ops/logger.ts';
import type { Store } from '../store/types.ts';
import { createAuthenticator, type Caller } from './auth.ts';
import { mountRoutes, type RouteSpec } from './define-route.ts';
import { openApiDocument } from './openapi.ts';
import { registryRoutes } from './registry-routes.ts';
import { runsRoutes } from './runs-routes.ts';
import { tokenRoutes } from './token-routes.ts';
import { installRoutes } from './install-routes.ts';
import { lazy } from './lazy.ts';
import { tenantRoutes } from './tenant-routes.ts';
import { usageRoutes } from './usage-routes.ts';
import { workflowRoutes } from './workflow-routes.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { InstallAdmin } from '../marketplace/install-admin.ts';
import type { TenantAdmin } from '../marketplace/tenant-admin.ts';

/** What the routes work on. */
export interface AdminServices {
  store: Store;
  catalog: Catalog;
  tenants: TenantAdmin;
  installs: InstallAdmin;
  /** Days a disabled tenant's data is kept unless the request says otherwise. */
  retainDays: number;
}

export interface AdminApiDeps extends AdminServices {
  /** Bootstrap tokens from the host config. */
  tokens: readonly ApiToken[];
  logger: Pick<Logger, 'error'>;
}

export const apiVersion = '1.0.0';

/** Every /api/v1 route. `services` is reached only when a handler runs, so the declarations can be listed without a host. */
export function adminRoutes(services: AdminServices): RouteSpec[] {
  const get = () => services;
  const store = lazy(() => services.store);
  return [
    ...tenantRoutes(() => ({
      tenants: services.tenants, retainDays: services.retainDays,
      catalogTenants: async () => [...(await services.catalog.refresh()).tenants.values()],
    })),
    ...installRoutes(get), ...workflowRoutes(get), ...usageRoutes(get), ...runsRoutes(store), ...tokenRoutes(store),
    ...registryRoutes(store, (pluginId) => services.installs.catchUp(pluginId)),
  ];
}

export function adminApi(deps: AdminApiDeps): Hono<{ Variables: { caller: Caller } }> {
  const app = new Hono<{ Variables: { caller: Caller } }>();
  const authenticate = createAuthenticator(deps.tokens, deps.store.apiTokens());
  const routes = adminRoutes(deps);
  let document: Record<string, unknown> | undefined;
  app.get('/openapi.json', (c) => c.json((document ??= openApiDocument(routes, apiVersion))));
  mountRoutes(app, routes, (c: Context) => authenticate(c.req.header('authorization')));
  // Any other /api/v1 address: the caller must still be known before learning what exists.
  app.all('/api/v1/*', async (c) => {
    await authenticate(c.req.header('authorization'));
    throw new LianjieError('route.not_found', `no route ${c.req.method} ${c.req.path}`);
  });
  app.onError((error, c) => {
    const known = isLianjieError(error) ? error : new LianjieError('internal', 'unexpected failure', [], { cause: error });
    if (!isLianjieError(error)) deps.logger.error({ err: error }, 'api handler failed');
    const headers: Record<string, string> = known.code === 'api.unauthorized' ? { 'www-authenticate': 'Bearer' } : {};
    return c.json(known.toJSON(), known.status as 400, headers);
  });
  return app;
}
