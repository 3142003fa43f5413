// The executor against a real SQLite store and a fake runner: per-tenant caps, leases that lapse or are lost, shutdown.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inlinePlugin, testInstall, testManifest } from '../../../../test/support/plugins.ts';
import { newId } from '../../ids.ts';
import { openStore } from '../../store/open.ts';
import type { RunRepository, Store } from '../../store/types.ts';
import { createExecutor, type ActionRunner } from './executor.ts';
import { createPlanCache } from './plan-cache.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const plugin = inlinePlugin(testManifest('acme.p', ['x']), 'lianjie.register({ actions: { x: () => ({}) } })');
const installs = [testInstall(plugin, 'acme'), testInstall(plugin, 'beta')];

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** A migrated store with workflow `wf` (one action) for acme and beta, and `n` pending runs of `tenant`. */
async function setup(n: number, tenant = 'acme'): Promise<{ store: Store; ids: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-executor-'));
  const store = openStore(`file:${path.join(dir, 'db.sqlite')}`);
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await store.migrate();
  for (const t of ['acme', 'beta']) {
    await store.workflows().apply(t, 'wf', JSON.stringify({ id: 'wf', name: 'wf', tenantId: t, trigger: { event: 'x' }, steps: [{ id: 'a', action: 'acme.p/x' }] }));
  }
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(...(await store.runs().route([{ id: newId('run'), tenantId: tenant, workflowId: 'wf', version: 1, triggerKey: `k${i}`, trigger: '{}' }], [])));
  return { store, ids };
}

/** A runner whose action takes `ms`, counting calls by idempotency key and the most in flight at once. */
function slowRunner(ms: number) {
  const calls: string[] = [];
  let active = 0;
  let most = 0;
  const runner: ActionRunner = {
    async runAction(_install, _action, _input, context) {
      calls.push(context.idempotencyKey!);
      active += 1;
      most = Math.max(most, active);
      await sleep(ms);
      active -= 1;
      return { ok: true, output: {} };
    },
  };
  return { runner, calls, most: () => most };
}

function executor(runs: RunRepository, store: Store, runner: ActionRunner, options: { concurrency?: number; perTenant?: number; leaseMs?: number } = {}) {
  const ex = createExecutor({ runs, plans: createPlanCache(store.workflows()), installs: () => installs, runner, pollMs: 20, ...options });
  cleanups.push(() => ex.stop());
  return ex;
}

describe('executor', () => {
  it('runs at most perTenant runs of one tenant at once, even when one claim could take more', async () => {
    const { store } = await setup(10);
    const slow = slowRunner(150);
    const ex = executor(store.runs(), store, slow.runner, { concurrency: 8, perTenant: 2 });
    ex.start();
    await sleep(100);
    expect(slow.most()).toBe(2);
    expect(ex.inFlight()).toBe(2);
  });

  it('never claims again a run it is still executing after its lease lapsed', async () => {
    const { store, ids } = await setup(1);
    const runs = store.runs();
    // Renewal fails for longer than the lease (a database hiccup) while the action runs.
    const failingRenewals: RunRepository = { ...runs, renew: async () => { throw new Error('database unavailable'); } };
    const slow = slowRunner(500);
    const ex = executor(failingRenewals, store, slow.runner, { leaseMs: 100 });
    ex.start();
    await sleep(700);
    expect(slow.calls).toEqual([`${ids[0]}:a`]);
    expect((await runs.get(ids[0]!))!.status).toBe('completed');
  });

  it('a run cancelled while a step runs starts no further step', async () => {
    const { store, ids } = await setup(1);
    await store.workflows().apply('acme', 'wf', JSON.stringify({
      id: 'wf', name: 'wf', tenantId: 'acme', trigger: { event: 'x' },
      steps: [{ id: 'a', action: 'acme.p/x', if: 'true' }, { id: 'b', action: 'acme.p/x', if: 'true' }],
    }));
    await store.runs().route([{ id: 'run_cancelled', tenantId: 'acme', workflowId: 'wf', version: 2, triggerKey: 'c', trigger: '{}' }], []);
    await store.runs().cancel(ids[0]!);
    const slow = slowRunner(300);
    const ex = executor(store.runs(), store, slow.runner, { leaseMs: 150 });
    ex.start();
    await sleep(100);
    await store.runs().cancel('run_cancelled'); // while step a runs
    await sleep(600);
    expect(slow.calls).toEqual(['run_cancelled:a']);
    expect((await store.runs().get('run_cancelled'))!.status).toBe('cancelled');
  });

  it('on stop, renews the leases of runs in flight until they reach a step boundary, then hands them back', async () => {
    const { store, ids } = await setup(1);
    await store.workflows().apply('acme', 'wf', JSON.stringify({
      id: 'wf', name: 'wf', tenantId: 'acme', trigger: { event: 'x' }, steps: [{ id: 'a', action: 'acme.p/x' }, { id: 'b', action: 'acme.p/x' }],
    }));
    const [run] = await store.runs().route([{ id: newId('run'), tenantId: 'acme', workflowId: 'wf', version: 2, triggerKey: 'two-steps', trigger: '{}' }], []);
    await store.runs().cancel(ids[0]!);
    const slow = slowRunner(500);
    const a = executor(store.runs(), store, slow.runner, { leaseMs: 150 });
    const b = executor(store.runs(), store, slow.runner, { leaseMs: 150 });
    a.start();
    await sleep(50);
    const stopping = a.stop();
    b.start(); // would take the run over if a let its lease lapse
    await stopping;
    expect(slow.calls).toEqual([`${run}:a`]);
    await sleep(800);
    expect(slow.calls).toEqual([`${run}:a`, `${run}:b`]);
    expect((await store.runs().get(run!))!.status).toBe('completed');
  });
});
