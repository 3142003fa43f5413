// Schedule triggers: every host process keeps a timer per (install, schedule trigger) in the tenant's timezone; at
// each tick one process claims it (store.scheduleTicks), runs the trigger in the sandbox and starts the runs its
// output starts. A tick whose claimer died is claimed again by a later sweep, once its claim has ended. Ticks missed
// while no host ran are not made up.
import { Cron } from 'croner';
import type { Logger } from '../../ops/logger.ts';
import type { Install } from '../../plugins/types.ts';
import type { Result } from '../../../../sdk/src/sandbox/index.ts';
import type { ScheduleTick, ScheduleTickRepository } from '../../store/types.ts';
import { derivedFrom, type InstallSource } from '../../catalog/install-index.ts';
import type { Router } from './router.ts';

export interface SchedulerOptions {
  installs: InstallSource<Install>;
  /** A tenant's IANA timezone. */
  timezone(tenantId: string): string;
  ticks: ScheduleTickRepository;
  runTrigger(install: Install, triggerId: string, input: unknown): Promise<Result>;
  router: Pick<Router, 'startFromPlugin'>;
  owner: string;
  logger?: Pick<Logger, 'warn' | 'error'>;
  /**
   * How long a claim holds while the trigger runs and its runs are created: longer than any trigger may run (the
   * sandbox maxima allow 10 minutes), so a slow trigger is never claimed and run a second time. Default 11 minutes.
   */
  claimMs?: number;
  /** How often to look for ticks whose claimer died. Default 30 s. */
  sweepMs?: number;
  now?: () => number;
}

export interface Scheduler {
  start(): void;
  /** The installs changed: timers start for new schedule triggers, and those of installs gone stop at their next tick. */
  reconcile(): void;
  stop(): Promise<void>;
  /** Claims and fires one tick; answers whether this process fired it. */
  fire(tick: ScheduleTick): Promise<boolean>;
}

/** setTimeout cannot wait longer than about 24.8 days; a far tick is waited for in steps of an hour. */
const maxWaitMs = 3_600_000;

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { ticks, router, owner, logger } = options;
  const now = options.now ?? Date.now;
  const claimMs = options.claimMs ?? 660_000;
  const sweepMs = options.sweepMs ?? 30_000;
  const installs = derivedFrom(options.installs, (all) => new Map(all.map((i) => [i.id, i])));
  /** The timer chain of each (install, trigger, cron, timezone) now scheduled; a chain whose key is gone ends. */
  const chains = new Map<string, object>();
  const timers = new Set<NodeJS.Timeout>();
  const firing = new Set<Promise<unknown>>();
  let stopped = true;

  async function fire(tick: ScheduleTick): Promise<boolean> {
    const install = installs().get(tick.installId);
    if (!install) return false;
    if (!(await ticks.claim(tick, owner, now() + claimMs, now()))) return false;
    const at = new Date(tick.tickAt).toISOString();
    const timezone = options.timezone(install.tenantId);
    const result = await options.runTrigger(install, tick.triggerId, { tick: at, timezone });
    if (!result.ok) {
      logger?.warn({ installId: install.id, triggerId: tick.triggerId, tick: at, failure: result.failure }, 'schedule trigger failed');
      await ticks.done(tick, owner, { code: result.failure.code, message: result.failure.message });
      return true;
    }
    if (result.output !== null) {
      await router.startFromPlugin(install.tenantId, `${install.plugin.manifest.id}/${tick.triggerId}`, result.output, `schedule:${install.id}:${tick.triggerId}:${at}`);
    }
    await ticks.done(tick, owner);
    return true;
  }

  /** Runs `work` unless stopping, tracked so stop() waits for it; a failure is logged, and the claim left to expire. */
  function track(work: () => Promise<unknown>, what: Record<string, unknown>): void {
    if (stopped) return;
    const running = work().catch((error: unknown) => logger?.error({ err: error, ...what }, 'schedule tick not finished; a sweep will retry it'));
    firing.add(running);
    void running.finally(() => firing.delete(running));
  }

  function after(ms: number, task: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      task();
    }, ms);
    timers.add(timer);
  }

  /** The chains the current installs want, by key. */
  function wanted(): Map<string, { install: Install; triggerId: string; cron: string; timezone: string }> {
    const chainsWanted = new Map<string, { install: Install; triggerId: string; cron: string; timezone: string }>();
    for (const install of installs().values()) {
      const timezone = options.timezone(install.tenantId);
      for (const trigger of install.plugin.manifest.triggers) {
        if (trigger.kind !== 'schedule') continue;
        chainsWanted.set(`${install.id}\n${trigger.id}\n${trigger.cron}\n${timezone}`, { install, triggerId: trigger.id, cron: trigger.cron, timezone });
      }
    }
    return chainsWanted;
  }

  function reconcile(): void {
    if (stopped) return;
    const want = wanted();
    for (const key of chains.keys()) if (!want.has(key)) chains.delete(key);
    for (const [key, chain] of want) {
      if (chains.has(key)) continue;
      // A chain ended and started again under the same key before its timer fired: the old timer sees another token.
      const token = {};
      chains.set(key, token);
      // The manifest's cron was parsed when the plugin loaded; `paused`: this file keeps its own timers.
      schedule(key, token, chain.install.id, chain.triggerId, new Cron(chain.cron, { timezone: chain.timezone, paused: true }));
    }
  }

  function schedule(key: string, token: object, installId: string, triggerId: string, cron: Cron): void {
    const next = cron.nextRun(new Date(now()));
    if (!next || stopped || chains.get(key) !== token) return;
    const wait = next.getTime() - now();
    if (wait > maxWaitMs) return after(maxWaitMs, () => schedule(key, token, installId, triggerId, cron));
    after(Math.max(0, wait), () => {
      if (chains.get(key) !== token) return;
      const tick = { installId, triggerId, tickAt: next.getTime() };
      track(() => fire(tick), tick);
      schedule(key, token, installId, triggerId, cron);
    });
  }

  function sweep(): void {
    track(async () => {
      for (const tick of await ticks.abandoned(now(), 50, [...installs().keys()])) {
        if (stopped) return;
        await fire(tick);
      }
    }, { sweep: true });
    after(sweepMs, sweep);
  }

  return {
    fire,
    reconcile,
    start() {
      if (!stopped) return;
      stopped = false;
      reconcile();
      after(sweepMs, sweep);
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      chains.clear();
      await Promise.all(firing);
    },
  };
}
