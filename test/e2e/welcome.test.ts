// The welcome path end to end over loopback HTTP: the WeCom simulator sends add_external_contact (signed and
// encrypted, with the channel code's State and a 20-second welcome code) to a real host; the workflow sends the
// State's welcome through the simulator's send_welcome_msg and tags the customer. A second delivery of the same
// callback changes nothing.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstallConfig } from '../../core/src/config/types.ts';
import { loadInstalls } from '../../core/src/plugins/installs.ts';
import type { StoredRun } from '../../core/src/store/types.ts';
import { createWecomSimulator, type WecomSimulator } from '../../core/src/wecom/simulator/index.ts';
import { demoKeys, dialects, startHost, testConfig, type RunningHost } from '../support/host.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const corpId = 'wwacmefruit00001';
const secret = 'acme-crm-secret';

describe.each(dialects)('welcoming a customer through a channel code, on %s', (dialect) => {
  let sim: WecomSimulator;
  let simServer: { url: string; close(): Promise<void> };
  let host: RunningHost;
  let configId: string;
  let skew = 0;

  beforeAll(async () => {
    // WeCom's clock: moved forward to expire the host's token without waiting two hours.
    sim = createWecomSimulator({ clock: () => Date.now() + skew, corps: [{ corpId, secrets: { [secret]: 1000002 } }] });
    simServer = await sim.listen();
    const world = sim.world(corpId);
    world.addStaff({ userid: 'zhangsan', name: '张三' });
    world.addTagGroup({ groupName: '门店', tags: [{ id: 'etSTORE42', name: '42 号店' }] });
    configId = world.addContactWay({ users: ['zhangsan'], state: 'store-42' }).configId;

    const tenants = [{ id: 'acme', corpId, apps: [{ id: 'crm', agentId: 1000002, secret, ...demoKeys }] }];
    const installs: InstallConfig[] = [
      {
        id: 'welcome', tenant: 'acme', plugin: path.join(repo, 'plugins/channel-welcome'), grants: ['wecom.welcome.send'],
        config: { byState: { 'store-42': { text: '欢迎光临 42 号店' } }, fallback: { text: '欢迎' } },
      },
      { id: 'tags', tenant: 'acme', plugin: path.join(repo, 'plugins/customer-tags'), grants: ['wecom.corp_tag.mark'], config: { rules: [{ state: 'store-42', tags: ['etSTORE42'] }] } },
    ];
    const config = { tenants, installs, wecom: { baseUrl: simServer.url } } as never;
    host = await startHost(dialect, { installs: await loadInstalls(testConfig('file:unused.db', config), '/'), config });
    await host.host.store.workflows().apply('acme', 'store-welcome', JSON.stringify({
      id: 'store-welcome', name: 'Store welcome', tenantId: 'acme',
      trigger: { event: 'wecom.external_contact.add' },
      steps: [
        { id: 'welcome', action: 'lianjie.channel-welcome/send', input: { welcomeCode: '{{ trigger.data.welcomeCode }}', state: '{{ trigger.data.state }}' } },
        { id: 'tag', action: 'lianjie.customer-tags/apply', input: { userId: '{{ trigger.data.userId }}', externalUserId: '{{ trigger.data.externalUserId }}', state: '{{ trigger.data.state }}' } },
      ],
    }));
    sim.setCallbacks(corpId, [{ url: `${host.url}/wecom/callback/acme/crm`, ...demoKeys, receiveId: corpId }]);
  });
  afterAll(async () => {
    await host?.close();
    await simServer?.close();
  });

  async function runsOf(count: number): Promise<StoredRun[]> {
    for (let i = 0; i < 400; i++) {
      const runs = await host.host.store.runs().list({ tenantId: 'acme', workflowId: 'store-welcome', limit: 100 });
      if (runs.length >= count && runs.every((r) => r.finishedAt)) return runs;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the runs did not finish');
  }

  it('sends the State\'s welcome within the 20 s window and tags the customer; a redelivery changes nothing', async () => {
    const sent = Date.now();
    const added = await sim.world(corpId).customerAddsStaff({ configId });
    expect(added.deliveries.map((d) => d.status)).toEqual([200]);
    const [run] = await runsOf(1);
    expect(run).toMatchObject({ status: 'completed' });

    const welcomes = sim.effects.filter((e) => e.path === '/cgi-bin/externalcontact/send_welcome_msg');
    expect(welcomes).toHaveLength(1);
    expect(welcomes[0]).toMatchObject({ errcode: 0, body: { welcome_code: added.welcomeCode, text: { content: '欢迎光临 42 号店' } } });
    const elapsedMs = welcomes[0]!.time - sent;
    console.log(`[welcome e2e ${dialect}] callback sent → send_welcome_msg at the simulator: ${elapsedMs} ms (WeCom allows 20,000)`);
    expect(elapsedMs).toBeLessThan(20_000);

    const follow = sim.world(corpId).follow(added.externalUserId, 'zhangsan');
    expect(follow?.tagIds).toEqual(['etSTORE42']);

    // WeCom delivers the same callback again (our answer was lost, say): same plaintext, a new signature.
    const effectsBefore = sim.effects.length;
    const again = await fetch(`${host.url}/wecom/callback/acme/crm?${added.deliveries[0]!.query}`, { method: 'POST', body: added.deliveries[0]!.envelope });
    expect(again.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await runsOf(1)).toHaveLength(1);
    expect(sim.effects.length).toBe(effectsBefore);
  });

  it('an expired or invalidated token and a 45009 cost no failed step: the calls are retried inside the step', async () => {
    const before = (await runsOf(1)).length;
    let expected = before;
    const arrive = async () => {
      await sim.world(corpId).customerAddsStaff({ configId });
      return runsOf(++expected);
    };
    sim.invalidateTokens(corpId); // WeCom drops the tokens early: the next call gets 40014
    sim.inject('externalcontact/send_welcome_msg', 45009, 2); // and is rate-limited twice
    let runs = await arrive();
    expect(runs[0]).toMatchObject({ status: 'completed' });
    const steps = await host.host.store.runs().steps(runs[0]!.id);
    expect(steps.map((s) => `${s.stepPath}#${s.attempt}:${s.status}`)).toEqual(['welcome#1:completed', 'tag#1:completed']);
    const welcomes = sim.effects.filter((e) => e.path === '/cgi-bin/externalcontact/send_welcome_msg').slice(-4).map((e) => e.errcode);
    // Refused for the dropped token, limited twice, then taken: all within the one attempt of the step.
    expect(welcomes.at(-1)).toBe(0);
    expect(welcomes.filter((c) => c === 45009)).toHaveLength(2);
    expect(welcomes).toContain(40014);

    skew += 7_200_000; // two hours later for WeCom: the host's cached token has expired (42001)
    runs = await arrive();
    expect(runs.length).toBe(before + 2);
    expect(runs.every((r) => r.status === 'completed')).toBe(true);
    expect(sim.effects.filter((e) => e.path === '/cgi-bin/externalcontact/send_welcome_msg').slice(-2).map((e) => e.errcode)).toEqual([42001, 0]);
    const latest = await host.host.store.runs().steps(runs[0]!.id);
    expect(latest.every((s) => s.attempt === 1 && s.status === 'completed')).toBe(true);
  });
});
