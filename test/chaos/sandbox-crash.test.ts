// Sandbox workers dying under load: in-flight calls fail as retryable crashes, the pool recovers, crashers are quarantined.
import { afterEach, describe, expect, it } from 'vitest';
import type { Install } from '../../core/src/plugins/types.ts';
import type { PoolEvent, Result } from '../../sdk/src/sandbox/index.ts';
import { createHarness, expectFailure, tenantsOnEveryWorker, workerIndexOf, type Harness } from '../support/runner-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

// One to eight store round trips: a burst keeps a worker busy for a while, its calls finishing at different times.
const slow = `async (input, ctx) => {
  for (let i = 0; i <= input.n % 8; i++) await ctx.store.set({ key: 'n' + (input.n % 10), value: input.n });
  const got = await ctx.store.get({ key: 'n' + (input.n % 10) });
  return { n: input.n, found: got.found };
}`;

/** Starts `count` invocations at once, and SIGKILLs the busiest shared worker once `killAfter` of them have finished. */
async function burstWithKill(harness: Harness, installs: Install[], count: number, killAfter: number) {
  let finished = 0;
  let killed: number | undefined;
  const kill = () => {
    const busiest = harness.runner.status().workers.filter((w) => w.solo === undefined).sort((a, b) => b.inflight - a.inflight)[0];
    if (!busiest?.pid || busiest.inflight === 0) return;
    killed = busiest.pid;
    process.kill(busiest.pid, 'SIGKILL');
  };
  const results = await Promise.all(
    Array.from({ length: count }, (_, n) =>
      harness.run(installs[n % installs.length]!, 'slow', { n }).then((result) => {
        if (++finished === killAfter) kill();
        return result;
      }),
    ),
  );
  return { results, killed };
}

function expectSucceededOrCrashed(results: Result[]) {
  for (const result of results) {
    if (result.ok) continue;
    expect(result.failure).toMatchObject({ code: 'sandbox.crashed', retryable: true });
  }
  const crashed = results.filter((r) => !r.ok).length;
  expect(crashed, 'at least one invocation was running on the killed worker').toBeGreaterThan(0);
  return crashed;
}

async function expectAllSucceed(harness: Harness, installs: Install[], count: number) {
  const after = await Promise.all(Array.from({ length: count }, (_, n) => harness.run(installs[n % installs.length]!, 'slow', { n })));
  expect(after.filter((r) => !r.ok).map((r) => !r.ok && `${r.failure.code}: ${r.failure.message}`)).toEqual([]);
}

describe('a sandbox worker SIGKILLed during a burst', () => {
  it('200 calls of one install: each succeeds or fails as a retryable crash, and the pool recovers', async () => {
    h = await createHarness();
    const install = h.install({ slow }, { tenantId: 'tenant-burst', permissions: ['store'] });
    expect((await h.run(install, 'slow', { n: 0 })).ok).toBe(true);
    const pidsBefore = h.runner.pids();

    const { results, killed } = await burstWithKill(h, [install], 200, 10);
    expect(killed).toBeDefined();
    expectSucceededOrCrashed(results);
    expect(h.runner.pids()).not.toContain(killed);
    expect(h.runner.pids().filter((pid) => !pidsBefore.includes(pid))).toHaveLength(1);

    await expectAllSucceed(h, [install], 50);
    await h.expectHostServes();
  });

  // A worker killed from outside (OOM killer, operator) while no guest code ran is no install's fault: the installs
  // there run alone for a while (suspects beyond the solo workers share one worker of their own), none is struck,
  // and none is refused.
  it('200 calls of twelve tenants: after a kill from outside, the next 50 calls all succeed', async () => {
    h = await createHarness();
    const first = h.install({ slow }, { tenantId: 'tenant-burst-0', permissions: ['store'] });
    const installs = [first, ...Array.from({ length: 11 }, (_, i) => h!.installAgain(first, `tenant-burst-${i + 1}`))];
    await Promise.all(installs.map((install, n) => h!.run(install, 'slow', { n })));

    const { results, killed } = await burstWithKill(h, installs, 200, 10);
    expect(killed).toBeDefined();
    expectSucceededOrCrashed(results);
    await expectAllSucceed(h, installs, 50);
  });
});

describe('the circuit breaker', () => {
  it('quarantines an install that keeps crashing its worker, while another tenant is served throughout', async () => {
    const events: PoolEvent[] = [];
    h = await createHarness({ onEvent: (event) => events.push(event) });
    const harness = h;
    // With object values, V8 aborts the worker while doubling the Map's table (see hostile-plugins case 5).
    const crasher = harness.install(
      { crash: '() => { const m = new Map(); for (let i = 0; ; i++) m.set(i, { i }); }' },
      { tenantId: 'tenant-crasher', limits: { memoryMb: 16, cpuMs: 10_000, timeoutMs: 20_000 } },
    );
    const crasherWorker = workerIndexOf('tenant-crasher');
    const [elsewhere] = tenantsOnEveryWorker(2, 'tenant-calm').filter((t) => workerIndexOf(t) !== crasherWorker);
    const echo = harness.install({ echo: '(input) => ({ echoed: input })' }, { tenantId: elsewhere! });

    // Another tenant, on the other shared worker, calls all along.
    let calm = true;
    const served: Result[] = [];
    const calmLoop = (async () => {
      for (let n = 0; calm; n++) served.push(await harness.run(echo, 'echo', { n }));
    })();

    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const result = await harness.run(crasher, 'crash');
      outcomes.push(result.ok ? 'ok' : result.failure.code);
      // Tenants on every worker, the crasher's included, are served between its crashes.
      await harness.expectHostServes();
      if (!result.ok && result.failure.code === 'sandbox.quarantined') break;
    }
    calm = false;
    await calmLoop;

    // Three strikes within the window (the default): crashed on the shared worker, then twice more on a solo one.
    expect(outcomes).toEqual(['sandbox.crashed', 'sandbox.crashed', 'sandbox.crashed', 'sandbox.quarantined']);
    const refused = expectFailure(await harness.run(crasher, 'crash'), 'sandbox.quarantined', /quarantined until .*3 sandbox worker crashes within 60 s/);
    expect(refused.retryable).toBe(true);
    const { quarantined } = harness.runner.status();
    expect(quarantined).toEqual([
      { installKey: expect.stringContaining(`tenant-crasher/${crasher.id}/`), until: expect.any(String), reason: expect.stringMatching(/^3 sandbox worker crashes within 60 s, the last: killed by SIG[A-Z]+/) },
    ]);
    expect(events.filter((e) => e.type === 'install_quarantined')).toHaveLength(1);

    expect(served.length).toBeGreaterThan(10);
    expect(served.filter((r) => !r.ok)).toEqual([]);
  });
});

describe('a worker the supervisor stops', () => {
  // A worker silent for longer than any guest call may run is retired and replaced before it is killed, so a call
  // routed right after goes to the new worker.
  it('a call made right after the supervisor stopped a hung worker is served by its replacement', async () => {
    h = await createHarness();
    const [onWorker0] = h.bystanders;
    const waiter = h.install({ wait: '() => new Promise(() => {})' }, { tenantId: onWorker0, limits: { timeoutMs: 300 } });
    const echo = h.install({ echo: '(input) => ({ echoed: input })' }, { tenantId: onWorker0 });
    expect(await h.run(echo, 'echo', { n: 0 })).toEqual({ ok: true, output: { echoed: { n: 0 } } });

    const pending = h.run(waiter, 'wait');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const pid = h.runner.pids()[0]!;
    process.kill(pid, 'SIGSTOP'); // hung: its own watchdog cannot answer, only the supervisor can
    expectFailure(await pending, 'sandbox.timeout', 'its worker was stopped');

    expect(await h.run(echo, 'echo', { n: 1 })).toEqual({ ok: true, output: { echoed: { n: 1 } } });
  });
});
