// The router against a real SQLite store: event workflows and plugin event triggers, a trigger failure that passes
// (the event is routed again later) and one that does not (failed runs), and triggers of a batch run side by side.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inlinePlugin, testInstall, testManifest } from '../../../../test/support/plugins.ts';
import { newId } from '../../ids.ts';
import { openStore } from '../../store/open.ts';
import type { Result } from '../../../../sdk/src/sandbox/index.ts';
import type { Store } from '../../store/types.ts';
import { createRouter } from './router.ts';

const plugin = inlinePlugin(
  testManifest('acme.crm', [], { triggers: [{ id: 'vip', kind: 'event', events: ['wecom.message.text'], output: { type: 'object' } }] }),
  'lianjie.register({ triggers: { vip: (e) => e } });',
);
const install = testInstall(plugin, 'acme');

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A migrated store with two workflows of acme: one on message.text events, one on the plugin's vip trigger. */
async function setup(events: number): Promise<Store> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-router-'));
  const store = openStore(`file:${path.join(dir, 'db.sqlite')}`);
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await store.migrate();
  const steps = [{ id: 'pause', wait: 'PT1S' }];
  await store.workflows().apply('acme', 'plain', JSON.stringify({ id: 'plain', name: 'plain', tenantId: 'acme', trigger: { event: 'wecom.message.text' }, steps }));
  await store.workflows().apply('acme', 'derived', JSON.stringify({ id: 'derived', name: 'derived', tenantId: 'acme', trigger: { plugin: 'acme.crm/vip' }, steps }));
  await store.appendInbox(Array.from({ length: events }, (_, i) => ({
    route: 'app' as const, tenantId: 'acme', appId: 'crm', suiteId: null, msgSignature: 's', timestamp: '1', nonce: `n${i}`, encrypt: 'e', receivedAt: Date.now(),
  })));
  await store.decodePending(100, (row) => ({
    kind: 'event', raw: '<xml/>',
    event: { id: newId('evt'), tenantId: 'acme', appId: 'crm', suiteId: null, type: 'wecom.message.text', occurredAt: new Date().toISOString(), receivedAt: new Date().toISOString(), dedupKey: row.nonce, data: {} },
  }));
  return store;
}

const countBy = async (store: Store, workflowId: string) => (await store.runs().list({ tenantId: 'acme', workflowId, limit: 100 })).length;

describe('router', () => {
  it('routes an event again when its trigger\'s worker crashed, without starting its other workflows twice', async () => {
    const store = await setup(1);
    const answers: Result[] = [{ ok: false, failure: { code: 'sandbox.crashed', message: 'the worker died', retryable: true } }, { ok: true, output: { vip: true } }];
    const router = createRouter({ runs: store.runs(), workflows: store.workflows(), eventTriggers: { installs: () => [install], runTrigger: async () => answers.shift()! } });
    expect(await router.routeOnce()).toBe(0);
    expect([await countBy(store, 'plain'), await countBy(store, 'derived'), (await store.runs().unroutedEvents(10)).length]).toEqual([1, 0, 1]);
    expect(await router.routeOnce()).toBe(1);
    expect([await countBy(store, 'plain'), await countBy(store, 'derived'), (await store.runs().unroutedEvents(10)).length]).toEqual([1, 1, 0]);
  });

  it('records a trigger failure that will not pass as failed runs naming the trigger, and routes the event', async () => {
    const store = await setup(1);
    const router = createRouter({
      runs: store.runs(), workflows: store.workflows(),
      eventTriggers: { installs: () => [install], runTrigger: async () => ({ ok: false, failure: { code: 'sandbox.quarantined', message: 'refused', retryable: true } }) },
    });
    expect(await router.routeOnce()).toBe(1);
    const [failed] = await store.runs().list({ tenantId: 'acme', workflowId: 'derived', limit: 10 });
    expect(failed).toMatchObject({ status: 'failed', failure: { code: 'sandbox.quarantined', step: 'trigger:acme.crm/vip' } });
  });

  it('runs the triggers of a batch side by side, each with a bounded time', async () => {
    const store = await setup(6);
    let active = 0;
    let most = 0;
    const timeouts: number[] = [];
    const router = createRouter({
      runs: store.runs(), workflows: store.workflows(),
      eventTriggers: {
        installs: () => [install],
        runTrigger: async (_install, _trigger, input, context) => {
          timeouts.push(context.timeoutMs);
          active += 1;
          most = Math.max(most, active);
          await new Promise((r) => setTimeout(r, 50));
          active -= 1;
          return { ok: true, output: input as object };
        },
      },
    });
    expect(await router.routeOnce()).toBe(6);
    expect(most).toBe(6);
    expect(new Set(timeouts)).toEqual(new Set([5000]));
    expect(await countBy(store, 'derived')).toBe(6);
  });

  it('offers host events one at a time in arrival order; one that must wait holds back the host events after it', async () => {
    const store = await setup(4);
    const events = await store.runs().unroutedEvents(10);
    // All four are of a host event type; the second cannot be acted on yet.
    const hostIds = [events[1]!.id, events[3]!.id];
    const offered: string[] = [];
    let ready = false;
    const router = createRouter({
      runs: store.runs(), workflows: store.workflows(),
      hostEvents: { types: new Set(['wecom.message.text']), handle: async (event) => {
        if (!hostIds.includes(event.id)) return true;
        offered.push(event.id);
        return ready || event.id !== hostIds[0];
      } },
    });
    await router.routeOnce();
    // The first held back, and every host event after it with it (the last was not even offered); the one before it routed.
    expect(offered).toEqual([hostIds[0]]);
    expect((await store.runs().unroutedEvents(10)).map((e) => e.id)).toEqual(events.slice(1).map((e) => e.id));
    ready = true;
    await router.routeOnce();
    expect(offered).toEqual([hostIds[0], hostIds[0], hostIds[1]]);
    expect(await store.runs().unroutedEvents(10)).toEqual([]);
    expect(await countBy(store, 'plain')).toBe(4);
  });
});
