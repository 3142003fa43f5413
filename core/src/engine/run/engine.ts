// The workflow engine of one host process: the router that turns events into runs, the scheduler that fires schedule
// triggers, the executor that runs them, and the retention sweep that deletes old finished runs.
import type { EngineConfig } from '../../config/types.ts';
import type { Logger } from '../../ops/logger.ts';
import type { Install } from '../../plugins/types.ts';
import type { Result } from '../../../../sdk/src/sandbox/index.ts';
import type { Store } from '../../store/types.ts';
import type { InstallSource } from '../../catalog/install-index.ts';
import { createExecutor, type ActionRunner, type Executor, type ExecutorOptions } from './executor.ts';
import { createPlanCache } from './plan-cache.ts';
import { createRouter, type HostEvents, type Router } from './router.ts';
import { createScheduler, type Scheduler } from './scheduler.ts';

export interface EngineOptions {
  store: Store;
  installs: InstallSource<Install>;
  runner: ActionRunner & { runTrigger(install: Install, triggerId: string, input: unknown, context?: { timeoutMs?: number }): Promise<Result> };
  config: EngineConfig;
  /** A tenant's IANA timezone, for schedule triggers. */
  timezone(tenantId: string): string;
  /** Events the host acts on itself before routing them (router.ts). */
  hostEvents?: HostEvents;
  logger?: Pick<Logger, 'warn' | 'error' | 'info'>;
  onOutcome?: ExecutorOptions['onOutcome'];
}

export interface Engine {
  router: Router;
  executor: Executor;
  scheduler: Scheduler;
  start(): void;
  /** New events were stored: route them now rather than at the next poll. */
  wake(): void;
  stop(): Promise<void>;
}

const dayMs = 86_400_000;
const pruneEveryMs = 3_600_000;
const quotaMemoryMs = 35 * 86_400_000;

export function createEngine(options: EngineOptions): Engine {
  const { store, config, logger } = options;
  const runs = store.runs();
  const executor = createExecutor({
    runs, plans: createPlanCache(store.workflows()), runner: options.runner, installs: options.installs, logger,
    concurrency: config.concurrency, perTenant: config.perTenant, leaseMs: config.leaseMs, onOutcome: options.onOutcome,
  });
  const runTrigger = (install: Install, triggerId: string, input: unknown, context: { timeoutMs?: number } = {}) =>
    options.runner.runTrigger(install, triggerId, input, context);
  const router = createRouter({
    runs, workflows: store.workflows(), logger, onRouted: () => executor.wake(), eventTriggers: { installs: options.installs, runTrigger }, hostEvents: options.hostEvents,
  });
  const scheduler = createScheduler({
    installs: options.installs, timezone: options.timezone, ticks: store.scheduleTicks(), router, owner: executor.owner, logger, runTrigger,
  });
  let pruneTimer: NodeJS.Timeout | undefined;

  const prune = async () => {
    try {
      const before = Date.now() - config.retentionDays * dayMs;
      const deleted = await runs.prune(before);
      await store.scheduleTicks().prune(before);
      // Contact quota windows reach back a natural month at most: older sends count for nothing.
      await store.contactSends().prune(Date.now() - quotaMemoryMs);
      if (deleted > 0) logger?.info({ deleted, retentionDays: config.retentionDays }, 'old runs deleted');
    } catch (error) {
      logger?.warn({ err: error }, 'deleting old runs failed');
    }
  };

  return {
    router,
    executor,
    scheduler,
    start() {
      router.start();
      executor.start();
      scheduler.start();
      void prune();
      pruneTimer = setInterval(() => void prune(), pruneEveryMs);
      pruneTimer.unref();
    },
    wake: () => router.wake(),
    async stop() {
      clearInterval(pruneTimer);
      await scheduler.stop();
      await router.stop();
      await executor.stop();
    },
  };
}
