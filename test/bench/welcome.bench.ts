// The welcome path under a steady load: the WeCom simulator sends add_external_contact callbacks (signed, encrypted,
// each with a channel code's State and a fresh 20-second welcome code) to a host on SQLite, whose workflow sends the
// State's welcome (lianjie.channel-welcome) and tags the customer (lianjie.customer-tags). Measured: from the moment
// the simulator starts sending a callback to the moment send_welcome_msg for its code arrives at the simulator.
// Baseline, in the same run: the same send_welcome_msg made straight by the host's WeCom client (the last hop alone).
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { InstallConfig } from '../../core/src/config/types.ts';
import { loadInstalls } from '../../core/src/plugins/installs.ts';
import { createWecomClient } from '../../core/src/wecom/api/client.ts';
import { createWecomSimulator } from '../../core/src/wecom/simulator/index.ts';
import { demoKeys, startHost, testConfig } from '../support/host.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const corpId = 'wwbenchcorp0001';
const secret = 'bench-secret';
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? Number.NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { rate: { type: 'string', default: '50' }, seconds: { type: 'string', default: '10' } } });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const sim = createWecomSimulator({ corps: [{ corpId, secrets: { [secret]: 1000002 } }], rateLimit: { perMinute: 1_000_000, perHour: 10_000_000 } });
  const simServer = await sim.listen();
  const world = sim.world(corpId);
  world.addStaff({ userid: 'zhangsan' });
  world.addTagGroup({ groupName: 'Stores', tags: [{ id: 'etSTORE42', name: 'Store 42' }] });
  const configId = world.addContactWay({ users: ['zhangsan'], state: 'store-42' }).configId;
  const installs: InstallConfig[] = [
    { id: 'welcome', tenant: 'acme', plugin: path.join(repo, 'plugins/channel-welcome'), grants: ['wecom.welcome.send'], config: { byState: { 'store-42': { text: 'Welcome to store 42' } } } },
    { id: 'tags', tenant: 'acme', plugin: path.join(repo, 'plugins/customer-tags'), grants: ['wecom.corp_tag.mark'], config: { rules: [{ state: 'store-42', tags: ['etSTORE42'] }] } },
  ];
  const config = { tenants: [{ id: 'acme', corpId, apps: [{ id: 'crm', agentId: 1000002, secret, ...demoKeys }] }], installs, wecom: { baseUrl: simServer.url } } as never;
  const host = await startHost('sqlite', { installs: await loadInstalls(testConfig('file:unused.db', config), '/'), config });
  await host.host.store.workflows().apply('acme', 'store-welcome', JSON.stringify({
    id: 'store-welcome', name: 'Store welcome', tenantId: 'acme', trigger: { event: 'wecom.external_contact.add' },
    steps: [
      { id: 'welcome', action: 'lianjie.channel-welcome/send', input: { welcomeCode: '{{ trigger.data.welcomeCode }}', state: '{{ trigger.data.state }}' } },
      { id: 'tag', action: 'lianjie.customer-tags/apply', input: { userId: '{{ trigger.data.userId }}', externalUserId: '{{ trigger.data.externalUserId }}', state: '{{ trigger.data.state }}' } },
    ],
  }));
  sim.setCallbacks(corpId, [{ url: `${host.url}/wecom/callback/acme/crm`, ...demoKeys, receiveId: corpId }]);
  console.log(`welcome bench: ${rate} add-customer callbacks/s for ${seconds} s, host on SQLite, 2-step workflow (welcome, tag)`);

  try {
    // Baseline: send_welcome_msg straight from the client, one at a time, with codes the world issued.
    const client = createWecomClient({ baseUrl: simServer.url });
    const direct: number[] = [];
    for (let i = 0; i < 200; i++) {
      const code = `bench-code-${i}`;
      world.welcomeCodes.set(code, { code, userid: 'zhangsan', externalUserid: `wm-base-${i}`, issuedAt: Date.now() });
      const t0 = performance.now();
      await client.call({ kind: 'corp', corpId, secret }, '/cgi-bin/externalcontact/send_welcome_msg', { body: { welcome_code: code, text: { content: 'hi' } } });
      direct.push(performance.now() - t0);
    }
    const baselineP50 = percentile(direct.slice(50), 0.5);
    const baselineP99 = percentile(direct.slice(50), 0.99);
    console.log(`  baseline (send_welcome_msg straight from the client): p50 ${round(baselineP50, 2)} ms, p99 ${round(baselineP99, 2)} ms`);

    const startedAt = new Map<string, number>();
    const welcomeAt = () => {
      const at = new Map<string, number>();
      for (const e of sim.effects) if (e.path === '/cgi-bin/externalcontact/send_welcome_msg' && e.errcode === 0) at.set(String(e.body.welcome_code), e.time);
      return at;
    };
    const emit = async () => {
      const t0 = Date.now();
      const added = await world.customerAddsStaff({ configId });
      if (added.welcomeCode) startedAt.set(added.welcomeCode, t0);
    };
    // Warm up: the sandbox workers and the plugins' isolates start with the first runs.
    await Promise.all(Array.from({ length: 20 }, emit));
    await sleep(1000);
    startedAt.clear();

    const total = Math.round(rate * seconds);
    const interval = 1000 / rate;
    const sends: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      const due = t0 + i * interval - performance.now();
      if (due > 0) await sleep(due);
      sends.push(emit());
    }
    await Promise.all(sends);
    const loadSeconds = (performance.now() - t0) / 1000;
    for (let waited = 0; waited < 30_000; waited += 100) {
      const at = welcomeAt();
      if ([...startedAt.keys()].every((code) => at.has(code))) break;
      await sleep(100);
    }
    const at = welcomeAt();
    const latencies = [...startedAt].flatMap(([code, start]) => (at.has(code) ? [at.get(code)! - start] : []));
    const missed = startedAt.size - latencies.length;
    const p50 = percentile(latencies, 0.5);
    const p99 = percentile(latencies, 0.99);
    const loadPerSec = round(total / loadSeconds, 1);
    const late = latencies.filter((ms) => ms >= 20_000).length;
    console.log(`  load: ${total} callbacks in ${round(loadSeconds, 1)} s (${loadPerSec}/s)`);
    console.log(`  callback sent → send_welcome_msg at WeCom: p50 ${p50} ms, p99 ${p99} ms, max ${Math.max(...latencies)} ms; ` +
      `${missed} missed, ${late} past the 20 s window (${round(p50 / baselineP50, 1)}× the baseline p50)`);
    console.log(JSON.stringify({
      bench: 'welcome', loadPerSec, seconds: round(loadSeconds, 1), callbacks: total, p50Ms: p50, p99Ms: p99, maxMs: Math.max(...latencies),
      missed, pastWindow: late, baselineP50Ms: round(baselineP50, 2), baselineP99Ms: round(baselineP99, 2), ratioP50: round(p50 / baselineP50, 1),
    }));
  } finally {
    await host.close();
    await simServer.close();
  }
}
