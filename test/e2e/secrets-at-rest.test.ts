// Secrets never reach the database: after a day's work (a WeCom app secret used for tokens, welcomes sent, an
// admin API token issued and used, an install with a webhook secret), the bytes of the SQLite file and its WAL
// hold none of them.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstallConfig } from '../../core/src/config/types.ts';
import { loadInstalls } from '../../core/src/plugins/installs.ts';
import { createWecomSimulator, type WecomSimulator } from '../../core/src/wecom/simulator/index.ts';
import { demoKeys, startHost, testConfig, type RunningHost } from '../support/host.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const corpId = 'wwsecretscorp01';
const appSecret = 'APP-SECRET-d41d8cd98f00b204e980';
const webhookSecret = 'WEBHOOK-SECRET-9e107d9d372bb682';
const platformToken = 'PLATFORM-TOKEN-e4d909c290d0fb1ca068';

describe('secrets at rest', () => {
  let sim: WecomSimulator;
  let server: { url: string; close(): Promise<void> };
  let host: RunningHost;
  let issuedSecret = '';

  beforeAll(async () => {
    sim = createWecomSimulator({ corps: [{ corpId, secrets: { [appSecret]: 1000002 } }] });
    server = await sim.listen();
    const world = sim.world(corpId);
    world.addStaff({ userid: 'zhangsan' });
    const installs: InstallConfig[] = [{
      id: 'welcome', tenant: 'acme', plugin: path.join(repo, 'plugins/channel-welcome'), grants: ['wecom.welcome.send'], webhookSecret,
      config: { fallback: { text: 'Welcome' } },
    }];
    const config = {
      tenants: [{ id: 'acme', corpId, apps: [{ id: 'crm', agentId: 1000002, secret: appSecret, ...demoKeys }] }], installs,
      wecom: { baseUrl: server.url }, api: { tokens: [{ id: 'ops', token: platformToken }] },
    } as never;
    host = await startHost('sqlite', { installs: await loadInstalls(testConfig('file:unused.db', config), '/'), config });
    await host.host.store.workflows().apply('acme', 'welcome', JSON.stringify({
      id: 'welcome', name: 'welcome', tenantId: 'acme', trigger: { event: 'wecom.external_contact.add' },
      steps: [{ id: 'welcome', action: 'lianjie.channel-welcome/send', input: { welcomeCode: '{{ trigger.data.welcomeCode }}' } }],
    }));
    sim.setCallbacks(corpId, [{ url: `${host.url}/wecom/callback/acme/crm`, ...demoKeys, receiveId: corpId }]);
    for (let i = 0; i < 3; i++) await world.customerAddsStaff({ userId: 'zhangsan' });
    const issued = await fetch(`${host.url}/api/v1/tokens`, {
      method: 'POST', headers: { authorization: `Bearer ${platformToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'tenant', tenantId: 'acme', label: 'acme admin' }),
    });
    issuedSecret = ((await issued.json()) as { secret: string }).secret;
    expect((await fetch(`${host.url}/api/v1/runs?tenant=acme`, { headers: { authorization: `Bearer ${issuedSecret}` } })).status).toBe(200);
    for (let i = 0; i < 200; i++) {
      const runs = await host.host.store.runs().list({ tenantId: 'acme', limit: 10 });
      if (runs.length === 3 && runs.every((r) => r.status === 'completed')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  afterAll(async () => {
    await host?.close();
    await server?.close();
  });

  it('the database file holds none of the secrets the host used', async () => {
    expect(sim.effects.filter((e) => e.path === '/cgi-bin/externalcontact/send_welcome_msg' && e.errcode === 0)).toHaveLength(3);
    const file = host.database.url.replace(/^file:/, '');
    const bytes = Buffer.concat(readdirSync(path.dirname(file)).filter((f) => f.startsWith(path.basename(file))).map((f) => readFileSync(path.join(path.dirname(file), f))));
    // The scan reads what the host wrote: the workflow and the runs' welcome codes are there.
    expect(bytes.includes(Buffer.from('lianjie.channel-welcome/send'))).toBe(true);
    const code = String(sim.effects.find((e) => e.path === '/cgi-bin/externalcontact/send_welcome_msg')?.body.welcome_code);
    expect(bytes.includes(Buffer.from(code))).toBe(true);
    for (const secret of [appSecret, webhookSecret, platformToken, issuedSecret, issuedSecret.split('.')[1]!, demoKeys.encodingAesKey]) {
      expect(bytes.includes(Buffer.from(secret)), secret.slice(0, 12)).toBe(false);
    }
  });
});
