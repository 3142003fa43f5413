// The scheduler against a real SQLite store: ticks in the tenant's timezone, each tick fired by one of several
// schedulers, and a tick abandoned by a dead claimer fired by the sweep.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inlinePlugin, testInstall, testManifest } from '../../../../test/support/plugins.ts';
import { openStore } from '../../store/open.ts';
import type { Store } from '../../store/types.ts';
import { createScheduler, type Scheduler, type SchedulerOptions } from './scheduler.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const plugin = (cron: string) => inlinePlugin(
  testManifest('acme.clock', [], { triggers: [{ id: 'tick', kind: 'schedule', cron, output: { type: 'object' } }] }),
  'lianjie.register({ triggers: { tick: (input) => input } });',
);

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function freshStore(): Promise<Store> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-scheduler-'));
  const store = openStore(`file:${path.join(dir, 'db.sqlite')}`);
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await store.migrate();
  return store;
}

/** A scheduler whose trigger runs and started runs are recorded instead of sandboxed and stored. */
function recordingScheduler(store: Store, owner: string, overrides: Partial<SchedulerOptions>) {
  const fired: { installId: string; triggerId: string; input: unknown }[] = [];
  const started: { tenantId: string; plugin: string; output: unknown; triggerKey: string }[] = [];
  const scheduler: Scheduler = createScheduler({
    installs: () => [], timezone: () => 'Asia/Shanghai', ticks: store.scheduleTicks(), owner,
    runTrigger: async (install, triggerId, input) => {
      fired.push({ installId: install.id, triggerId, input });
      return { ok: true, output: input };
    },
    router: { startFromPlugin: async (tenantId, plugin, output, triggerKey) => (started.push({ tenantId, plugin, output, triggerKey }), ['run_x']) },
    ...overrides,
  });
  cleanups.push(() => scheduler.stop());
  return { scheduler, fired, started };
}

describe('scheduler', () => {
  it('fires a tick in the tenant\'s timezone: 09:00 in Shanghai is 01:00 UTC, while 09:00 in Berlin is hours away', async () => {
    const store = await freshStore();
    const shanghai = testInstall(plugin('0 9 * * *'), 'acme');
    const berlin = testInstall(plugin('0 9 * * *'), 'beta');
    // A clock 80 ms before 01:00 UTC on 1 January, running at the real pace.
    const offset = Date.parse('2026-01-01T00:59:59.920Z') - Date.now();
    const { scheduler, fired, started } = recordingScheduler(store, 'w1', {
      installs: () => [shanghai, berlin], timezone: (tenantId) => (tenantId === 'beta' ? 'Europe/Berlin' : 'Asia/Shanghai'), now: () => Date.now() + offset,
    });
    scheduler.start();
    await sleep(400);
    expect(fired).toEqual([{ installId: shanghai.id, triggerId: 'tick', input: { tick: '2026-01-01T01:00:00.000Z', timezone: 'Asia/Shanghai' } }]);
    expect(started).toEqual([{
      tenantId: 'acme', plugin: 'acme.clock/tick', output: { tick: '2026-01-01T01:00:00.000Z', timezone: 'Asia/Shanghai' },
      triggerKey: `schedule:${shanghai.id}:tick:2026-01-01T01:00:00.000Z`,
    }]);
  });

  it('installs made after the start get their timers on reconcile; uninstalled ones stop at their next tick', async () => {
    const store = await freshStore();
    const early = testInstall(plugin('* * * * * *'), 'acme');
    const late = testInstall(plugin('* * * * * *'), 'beta');
    let current = [early];
    const { scheduler, fired } = recordingScheduler(store, 'w1', { installs: () => current });
    scheduler.start();
    await sleep(1200);
    expect(new Set(fired.map((f) => f.installId))).toEqual(new Set([early.id]));
    current = [late];
    scheduler.reconcile();
    // A second reconcile changes nothing: one timer chain per install and trigger, not two.
    scheduler.reconcile();
    // A tick of the early install already being fired when it went away may still finish.
    await sleep(200);
    fired.length = 0;
    await sleep(2200);
    await scheduler.stop();
    expect(fired.filter((f) => f.installId === early.id)).toEqual([]);
    const lateTicks = fired.filter((f) => f.installId === late.id).map((f) => (f.input as { tick: string }).tick);
    expect(lateTicks.length).toBeGreaterThanOrEqual(2);
    expect(new Set(lateTicks).size).toBe(lateTicks.length);
  });

  it('with two schedulers on one database, each tick is fired once', async () => {
    const store = await freshStore();
    const install = testInstall(plugin('* * * * * *'), 'acme');
    const a = recordingScheduler(store, 'w1', { installs: () => [install] });
    const b = recordingScheduler(store, 'w2', { installs: () => [install] });
    a.scheduler.start();
    b.scheduler.start();
    await sleep(3300);
    await a.scheduler.stop();
    await b.scheduler.stop();
    const ticks = [...a.started, ...b.started].map((s) => s.triggerKey).sort();
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ticks).size).toBe(ticks.length);
    for (const key of ticks) expect(key).toMatch(/:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  });

  it('the sweep fires a tick whose claimer died before finishing it', async () => {
    const store = await freshStore();
    const install = testInstall(plugin('0 0 1 1 *'), 'acme');
    const tick = { installId: install.id, triggerId: 'tick', tickAt: Date.parse('2026-01-01T00:00:00Z') };
    await store.scheduleTicks().claim(tick, 'dead-host', Date.now() - 1, Date.now() - 1000);
    const { scheduler, started } = recordingScheduler(store, 'w1', { installs: () => [install], sweepMs: 50 });
    scheduler.start();
    await sleep(300);
    expect(started.map((s) => s.triggerKey)).toEqual([`schedule:${install.id}:tick:2026-01-01T00:00:00.000Z`]);
    expect(await store.scheduleTicks().abandoned(Date.now() + 720_000, 10, [install.id])).toEqual([]);
  });

  it('the sweep passes over abandoned ticks of installs this process does not have', async () => {
    const store = await freshStore();
    const install = testInstall(plugin('0 0 1 1 *'), 'acme');
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 60; i++) await store.scheduleTicks().claim({ installId: 'removed', triggerId: 'tick', tickAt: start + i }, 'dead-host', Date.now() - 10_000 + i, Date.now() - 20_000);
    await store.scheduleTicks().claim({ installId: install.id, triggerId: 'tick', tickAt: start }, 'dead-host', Date.now() - 1, Date.now() - 1000);
    const { scheduler, started } = recordingScheduler(store, 'w1', { installs: () => [install], sweepMs: 50 });
    scheduler.start();
    await sleep(300);
    expect(started.map((s) => s.triggerKey)).toEqual([`schedule:${install.id}:tick:2026-01-01T00:00:00.000Z`]);
  });

  it('a failing trigger marks its tick done with the failure and starts nothing', async () => {
    const store = await freshStore();
    const install = testInstall(plugin('0 0 1 1 *'), 'acme');
    const { scheduler, started } = recordingScheduler(store, 'w1', {
      installs: () => [install], runTrigger: async () => ({ ok: false, failure: { code: 'plugin.error', message: 'boom', retryable: false } }),
    });
    const tick = { installId: install.id, triggerId: 'tick', tickAt: Date.parse('2026-01-01T00:00:00Z') };
    expect(await scheduler.fire(tick)).toBe(true);
    expect(started).toEqual([]);
    expect(await scheduler.fire(tick)).toBe(false);
  });
});
