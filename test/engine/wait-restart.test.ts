// A run waiting when its host stops is resumed by the next host on the same database, at its wake-up time: the wait
// is persisted, not held in a timer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../core/src/host.ts';
import { createLogger } from '../../core/src/ops/logger.ts';
import type { StoredRun } from '../../core/src/store/types.ts';
import { signedCallback } from '../../core/src/wecom/simulator/callbacks.ts';
import { contactAddedXml } from '../../core/src/wecom/simulator/messages.ts';
import { demoCorpId, demoKeys, testConfig } from '../support/host.ts';
import { inlinePlugin, testInstall, testManifest } from '../support/plugins.ts';

const plugin = inlinePlugin(testManifest('acme.noop', ['noop']), 'lianjie.register({ actions: { noop: () => ({ at: Date.now() }) } });');

describe('a waiting run across a host restart', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-wait-'));
  const config = testConfig(`file:${path.join(dir, 'lianjie.db')}`);
  const installs = [testInstall(plugin, 'acme')];
  const hosts: Host[] = [];
  afterAll(async () => {
    for (const host of hosts) await host.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async () => {
    const host = createHost(config, { logger: createLogger('silent'), installs });
    hosts.push(host);
    return { host, ...(await host.listen()) };
  };
  const runOf = async (host: Host, until: (run: StoredRun) => boolean): Promise<StoredRun> => {
    for (let i = 0; i < 300; i++) {
      const [run] = await host.store.runs().list({ tenantId: 'acme', limit: 1 });
      if (run && until(run)) return run;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the run never got there');
  };

  it('is resumed by the next host once its wait is over, not before', async () => {
    const first = await start();
    await first.host.store.workflows().apply('acme', 'later', JSON.stringify({
      id: 'later', name: 'later', tenantId: 'acme', trigger: { event: 'wecom.external_contact.add' },
      steps: [{ id: 'now', action: 'acme.noop/noop' }, { id: 'pause', wait: 'PT2S' }, { id: 'after', action: 'acme.noop/noop' }],
    }));
    await new Promise((r) => setTimeout(r, 300)); // the router re-reads workflows every 250 ms
    const cb = signedCallback({ ...demoKeys, receiveId: demoCorpId }, contactAddedXml({ corpId: demoCorpId, userId: 'staff', externalUserId: 'wmLater', createTime: 1700600000 }), { agentId: 218 });
    expect((await fetch(`${first.url}/wecom/callback/acme/crm?${cb.query}`, { method: 'POST', body: cb.body })).status).toBe(200);
    const waiting = await runOf(first.host, (r) => r.status === 'waiting');
    await first.host.close();

    const second = await start();
    const done = await runOf(second.host, (r) => r.status === 'completed');
    const steps = await second.host.store.runs().steps(done.id);
    expect(steps.map((s) => s.stepPath)).toEqual(['now', 'pause', 'after']);
    expect(steps[2]!.startedAt).toBeGreaterThanOrEqual(waiting.wakeAt!);
    expect(waiting.wakeAt! - steps[0]!.finishedAt).toBeGreaterThanOrEqual(2000);
  });
});
