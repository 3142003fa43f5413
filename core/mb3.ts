import { Hono } from 'hono';
import { loadConfig } from './src/config/load.ts';
import { createDirectory } from './src/ingress/directory.ts';
import { checkCallback } from './src/ingress/verify.ts';
import { callbackQuery } from './src/ingress/query.ts';
import { readBodyText } from './src/ingress/read-body.ts';
import { createInboxWriter } from './src/inbox/writer.ts';
import { openStore } from './src/store/open.ts';
import { signedCallback } from './src/wecom/simulator/callbacks.ts';
const { config } = loadConfig('/tmp/prof/cfg.json');
const store = openStore(config.database, { synchronous: 'NORMAL' }); await store.migrate();
const dir = createDirectory(config);
const writer = createInboxWriter(store);
const keys = { token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wx5823bf96d3bd56c7' };
const reqs = Array.from({ length: 2000 }, (_, i) => signedCallback(keys, `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><CreateTime>${1700000000 + i}</CreateTime><MsgType><![CDATA[event]]></MsgType><ExternalUserID><![CDATA[wm${i}]]></ExternalUserID></xml>`, { agentId: 218 }));
const mk = (level: number) => { const a = new Hono(); a.post('/wecom/callback/:tenantId/:appId', async (c) => {
  const target = dir.app(c.req.param('tenantId'), c.req.param('appId'))!;
  const body = await readBodyText(c, 65536);
  if (level === 0) return c.text('success');
  const checked = checkCallback(target, { route: 'app', tenantId: 'acme', appId: 'crm', suiteId: null }, callbackQuery(c.req.url), body, Date.now());
  if (level === 1) return c.text('success');
  if (level === 2) { await new Promise((r) => setImmediate(r)); return c.text('success'); }
  await writer.write(checked.envelope);
  return c.text('success');
}); return a; };
async function run(name: string, app: Hono, conc = 50, N = 20000) {
  const t = performance.now(); let i = 0;
  await Promise.all(Array.from({ length: conc }, async () => { while (i < N) { const r = reqs[i++ % reqs.length]!; const res = await app.request(`/wecom/callback/acme/crm?${r.query}`, { method: 'POST', body: r.body, headers: { 'content-length': String(Buffer.byteLength(r.body)) } }); await res.text(); } }));
  console.log(name.padEnd(10), ((performance.now() - t) * 1000 / N).toFixed(1), 'us/req');
}
for (let k = 0; k < 2; k++) for (const l of [0, 1, 2, 3]) await run('level' + l, mk(l));
