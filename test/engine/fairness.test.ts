// One tenant's flood of 10,000 events must not starve another tenant: B's single event, arriving just after the last
// of A's, overtakes A's backlog. The callbacks go through real HTTP; the engine starts once all of them are stored,
// so the backlog is the same whatever the machine's speed. Measured from that moment, and printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedCallback } from '../../core/src/wecom/simulator/callbacks.ts';
import { contactAddedXml } from '../../core/src/wecom/simulator/messages.ts';
import { demoCorpId, demoKeys, startHost, suiteCorpId, type RunningHost } from '../support/host.ts';
import { inlinePlugin, testInstall, testManifest } from '../support/plugins.ts';

const flood = 10_000;
const plugin = inlinePlugin(testManifest('acme.noop', ['noop']), 'lianjie.register({ actions: { noop: (input) => ({ ok: true }) } });');
const workflow = (tenantId: string) => JSON.stringify({
  id: 'greet', name: 'greet', tenantId, trigger: { event: 'wecom.external_contact.add' },
  steps: ['one', 'two', 'three'].map((id) => ({ id, action: 'acme.noop/noop', input: { who: '{{ trigger.data.externalUserId }}' } })),
});

describe('fairness between tenants', () => {
  let host: RunningHost;
  beforeAll(async () => {
    host = await startHost('sqlite', {
      run: false,
      installs: [testInstall(plugin, 'acme'), testInstall(plugin, 'beta')],
      config: {
        tenants: [
          { id: 'acme', corpId: demoCorpId, timezone: 'Asia/Shanghai', apps: [{ id: 'crm', agentId: 218, ...demoKeys }] },
          { id: 'beta', corpId: suiteCorpId, timezone: 'Asia/Shanghai', apps: [{ id: 'shop', agentId: 219, ...demoKeys }] },
        ],
      },
    });
    for (const tenant of ['acme', 'beta']) await host.host.store.workflows().apply(tenant, 'greet', workflow(tenant));
  });
  afterAll(() => host?.close());

  async function send(tenant: 'acme' | 'beta', who: string): Promise<void> {
    const [corpId, app, agentId] = tenant === 'acme' ? [demoCorpId, 'crm', 218] : [suiteCorpId, 'shop', 219];
    const xml = contactAddedXml({ corpId, userId: 'staff', externalUserId: who, createTime: 1700400000 });
    const cb = signedCallback({ ...demoKeys, receiveId: corpId }, xml, { agentId });
    const response = await host.post(`/wecom/callback/${tenant}/${app}?${cb.query}`, cb.body);
    if (response.text !== 'success') throw new Error(`${tenant} callback: ${response.status} ${response.text}`);
  }

  /** `since` → the first action of the run of `who` started. */
  async function firstActionDelay(tenant: string, who: string, since: number): Promise<number> {
    for (;;) {
      const runs = await host.host.store.runs().list({ tenantId: tenant, limit: tenant === 'beta' ? 10 : flood });
      const run = runs.find((r) => JSON.parse(r.trigger).data.externalUserId === who);
      const first = run && (await host.host.store.runs().steps(run.id))[0];
      if (first) return first.startedAt - since;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it(`B's single event overtakes A's flood of ${flood}`, async () => {
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      for (let n = next++; n < flood; n = next++) await send('acme', `wmFlood${n}`);
    }));
    await send('beta', 'wmAlone');
    while ((await host.host.store.countInbox('pending')) > 0) await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    host.host.engine.start();
    const bDelay = await firstActionDelay('beta', 'wmAlone', started);
    const aDone = (await host.host.store.runs().countByStatus('acme')).completed ?? 0;
    const aDelay = await firstActionDelay('acme', `wmFlood${flood - 1}`, started);
    while (((await host.host.store.runs().countByStatus('acme')).completed ?? 0) < flood) await new Promise((r) => setTimeout(r, 50));
    const drainMs = Date.now() - started;
    console.log(`A's ${flood} events and then B's one stored; from the engine's start: B's first action after ${(bDelay / 1000).toFixed(2)} s ` +
      `(${aDone} of A's runs done by then), A's last event's first action after ${(aDelay / 1000).toFixed(2)} s, A drained after ${(drainMs / 1000).toFixed(1)} s`);
    expect(bDelay).toBeLessThan(aDelay);
    expect(aDone).toBeLessThan(flood / 2);
  }, 300_000);
});
