// Liveness, readiness and metrics endpoints.
import { Hono } from 'hono';
import type { Store } from '../store/types.ts';
import type { HostMetrics } from './metrics.ts';

export function opsRoutes(deps: { store: Store; metrics: HostMetrics }): Hono {
  const routes = new Hono();
  routes.get('/healthz', (c) => c.json({ status: 'ok' }));
  routes.get('/readyz', async (c) => {
    const ready = await deps.store.ready().catch(() => false);
    return c.json({ status: ready ? 'ready' : 'not ready', database: deps.store.dialect }, ready ? 200 : 503);
  });
  routes.get('/metrics', async (c) => {
    const inboxDepth = await deps.store.countInbox('pending').catch(() => -1);
    return c.text(deps.metrics.render({ inboxDepth }), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
  return routes;
}
