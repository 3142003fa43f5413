// The ingress benchmark's baseline: a bare Hono route on @hono/node-server that reads the body and answers "success".
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/wecom/callback/:tenantId/:appId', async (c) => {
  await c.req.text();
  return c.text('success');
});
app.get('/healthz', (c) => c.json({ status: 'ok' }));
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.argv[2] ?? 0) }, (info) => {
  console.log(JSON.stringify({ port: info.port }));
});
