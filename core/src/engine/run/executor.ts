// The executor of one host process: claims runnable runs under a lease, runs them through the interpreter, and
// writes each step's result before the next effect. Several processes share one PostgreSQL database this way.
import { hostname } from 'node:os';
import { isLianjieError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { Logger } from '../../ops/logger.ts';
import type { Install } from '../../plugins/types.ts';
import type { Result } from '../../../../sdk/src/sandbox/index.ts';
import type { RunCheckpoint, RunFailure, RunRepository, StepRecord, StoredRun } from '../../store/types.ts';
import { createCheckpointWriter } from './checkpoints.ts';
import { newCursor, type Cursor } from './cursor.ts';
import { interpret, type RunEnv, type RunOutcome } from './interpret.ts';
import type { PlanCache } from './plan-cache.ts';
import { failure } from '../../../../sdk/src/sandbox/result.ts';
import { derivedFrom, type InstallSource } from '../../catalog/install-index.ts';
import { createRedactor } from './redact.ts';
import { createWaker } from './waker.ts';

export interface ActionRunner {
  runAction(install: Install, actionId: string, input: unknown, context: { runId?: string; idempotencyKey?: string; timeoutMs?: number }): Promise<Result>;
}

export interface ExecutorOptions {
  runs: RunRepository;
  plans: PlanCache;
  runner: ActionRunner;
  /** The installs of every tenant this host serves, as they are now. */
  installs: InstallSource<Install>;
  logger?: Pick<Logger, 'warn' | 'error'>;
  /** Runs in flight in this process. Default 64. */
  concurrency?: number;
  /** Runs of one tenant in flight in this process: a tenant's flood leaves room for the others. Default 16. */
  perTenant?: number;
  /** How long a claimed run stays this process's without renewal. Default 30 s. */
  leaseMs?: number;
  /** How often to look for runs due again when nothing wakes the executor. Default 250 ms. */
  pollMs?: number;
  now?: () => number;
  random?: () => number;
  /** Called when a run this process executed ends or waits. */
  onOutcome?(run: StoredRun, outcome: RunOutcome): void;
}

export interface Executor {
  readonly owner: string;
  start(): void;
  /** Claims now instead of at the next poll (new runs were routed). */
  wake(): void;
  /** Stops claiming and waits for the runs in flight; their leases are left to expire if they do not finish. */
  stop(): Promise<void>;
  /** Claims and runs until nothing is runnable; for tests and the CLI. Answers how many runs it executed. */
  drain(): Promise<number>;
  inFlight(): number;
}

/** Thrown into a run's interpretation when its checkpoint finds the lease gone: another worker has the run. */
class LeaseLost extends Error {}

export function createExecutor(options: ExecutorOptions): Executor {
  const { runs, plans, runner, logger } = options;
  const owner = `${hostname()}:${process.pid}:${newId('exe').slice(-8)}`;
  const concurrency = options.concurrency ?? 64;
  const perTenant = options.perTenant ?? 16;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 250;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const installsByPlugin = derivedFrom(options.installs, (all) => new Map(all.map((i) => [`${i.tenantId}\n${i.plugin.manifest.id}`, i])));
  // By install object: an upgrade or a new config is a new object, with its own secrets to redact.
  const redactors = new WeakMap<Install, (json: string | null) => string | null>();
  const redactorOf = (install: Install) => {
    let redact = redactors.get(install);
    if (!redact) redactors.set(install, (redact = createRedactor(install)));
    return redact;
  };

  const writeCheckpoint = createCheckpointWriter(runs, owner);
  const running = new Map<string, Promise<void>>();
  const perTenantCount = new Map<string, number>();
  /** Runs whose lease renewal found them no longer this process's. */
  const lost = new Set<string>();
  let stopped = true;
  /** Set by stop(): runs in flight hand themselves back at their next step boundary. */
  let stopping = false;
  let backlog = false;
  const waker = createWaker();
  let loop: Promise<void> | undefined;
  let renewTimer: NodeJS.Timeout | undefined;

  async function execute(run: StoredRun): Promise<void> {
    let cursor: Cursor = newCursor();
    const records: StepRecord[] = [];
    const leaseLost = () => new LeaseLost(`run ${run.id} is no longer leased to ${owner}`);
    let undecided = false;
    let writes: Promise<void> = Promise.resolve();
    const write = (update: Omit<RunCheckpoint, 'cursor' | 'steps'>): Promise<void> => {
      const checkpoint: RunCheckpoint = { ...update, cursor: JSON.stringify(cursor), steps: records.splice(0) };
      undecided = false;
      writes = writes.then(async () => {
        if (!(await writeCheckpoint(run.id, checkpoint))) throw leaseLost();
      });
      return writes;
    };
    /** The installs this run's steps took their config from, by plugin. */
    const used = new Map<string, Set<Install>>();
    let outcome: RunOutcome;
    try {
      if (run.cursor) cursor = JSON.parse(run.cursor) as Cursor;
      const plan = await plans.get(run.tenantId, run.workflowId, run.version);
      const env: RunEnv = {
        runId: run.id,
        trigger: JSON.parse(run.trigger),
        now,
        random,
        installConfig: (pluginId) => {
          const install = installsByPlugin().get(`${run.tenantId}\n${pluginId}`);
          if (install) (used.get(pluginId) ?? used.set(pluginId, new Set()).get(pluginId)!).add(install);
          return install?.config;
        },
        callAction: (step, input, call) => {
          const install = installsByPlugin().get(`${run.tenantId}\n${step.pluginId}`);
          // Uninstalled since the workflow was saved: the step fails for good rather than waiting for it to return.
          if (!install) return Promise.resolve(failure('workflow.install_missing', `${step.pluginId} is no longer installed for tenant "${run.tenantId}"`));
          return runner.runAction(install, step.actionId, input, { runId: run.id, ...call });
        },
        record: (draft, pluginId) => {
          // Every config this run's steps of the plugin saw: one uninstalled, upgraded or edited since its input was
          // made still has its secrets redacted.
          const installs = [...(pluginId === undefined ? [] : used.get(pluginId) ?? [])];
          const current = pluginId === undefined ? undefined : installsByPlugin().get(`${run.tenantId}\n${pluginId}`);
          if (current) installs.push(current);
          const redact = (text: string | null) => installs.reduce((t, install) => redactorOf(install)(t), text);
          records.push({ ...draft, runId: run.id, input: redact(draft.input), output: redact(draft.output) });
        },
        checkpoint: () => write({ status: 'running', leaseUntil: now() + leaseMs }),
        decided: () => {
          undecided = true;
        },
        settle: () => {
          // Renewal found the run taken (cancelled, or leased elsewhere): no further effect starts.
          if (lost.has(run.id)) return Promise.reject(leaseLost());
          return undecided ? write({ status: 'running', leaseUntil: now() + leaseMs }) : writes;
        },
        yielding: () => stopping,
      };
      outcome = await interpret(plan, cursor, env);
    } catch (error) {
      if (error instanceof LeaseLost) return;
      if (!isLianjieError(error)) {
        // A bug or the database: the run keeps its lease until it expires, then is taken up again.
        logger?.error({ err: error, runId: run.id }, 'run interrupted');
        return;
      }
      outcome = { kind: 'failed', failure: { code: error.code, message: error.message } satisfies RunFailure };
    }
    try {
      await write(
        outcome.kind === 'waiting' ? { status: 'waiting', wakeAt: outcome.until }
          : outcome.kind === 'failed' ? { status: 'failed', failure: outcome.failure }
            : { status: 'completed' },
      );
    } catch (error) {
      if (!(error instanceof LeaseLost)) logger?.error({ err: error, runId: run.id }, 'run result not written; it will be resumed');
      return;
    }
    try {
      options.onOutcome?.(run, outcome);
    } catch (error) {
      logger?.error({ err: error, runId: run.id }, 'onOutcome failed');
    }
  }

  function begin(run: StoredRun): void {
    perTenantCount.set(run.tenantId, (perTenantCount.get(run.tenantId) ?? 0) + 1);
    const done = execute(run).catch((error: unknown) => {
      logger?.error({ err: error, runId: run.id }, 'run failed unexpectedly');
    }).finally(() => {
      running.delete(run.id);
      lost.delete(run.id);
      const left = perTenantCount.get(run.tenantId)! - 1;
      if (left === 0) perTenantCount.delete(run.tenantId);
      else perTenantCount.set(run.tenantId, left);
      // A freed slot matters only when the last claim left runnable work behind.
      if (backlog) waker.wake();
    });
    running.set(run.id, done);
  }

  /** Claims what this process has room for; answers how many runs it started. */
  async function claimOnce(): Promise<number> {
    const room = concurrency - running.size;
    if (room <= 0) {
      backlog = true;
      return 0;
    }
    const atCap = [...perTenantCount.values()].some((n) => n >= perTenant);
    const claimed = await runs.claim(owner, {
      limit: room, leaseMs, now: now(), excludeRuns: [...running.keys()], perTenant: { max: perTenant, running: perTenantCount },
    });
    backlog = claimed.length === room || atCap;
    for (const run of claimed) begin(run);
    return claimed.length;
  }

  async function renewLeases(): Promise<void> {
    if (running.size === 0) return;
    const ids = [...running.keys()];
    try {
      const held = new Set(await runs.renew(owner, ids, now() + leaseMs));
      for (const id of ids) if (!held.has(id) && running.has(id)) lost.add(id);
    } catch (error) {
      logger?.warn({ err: error }, 'lease renewal failed');
    }
  }

  async function claimLoop(): Promise<void> {
    while (!stopped) {
      let started = 0;
      try {
        started = await claimOnce();
      } catch (error) {
        logger?.warn({ err: error }, 'claiming runs failed');
      }
      if (started > 0 && running.size < concurrency) continue;
      await waker.sleep(pollMs);
    }
  }

  return {
    owner,
    start() {
      if (!stopped) return;
      stopped = false;
      stopping = false;
      loop = claimLoop();
      renewTimer = setInterval(() => void renewLeases(), Math.max(50, Math.floor(leaseMs / 3)));
      renewTimer.unref();
    },
    wake() {
      waker.wake();
    },
    async stop() {
      // Runs in flight stop at their next step boundary; their leases are renewed until they have.
      stopped = true;
      stopping = true;
      waker.wake();
      await loop;
      await Promise.all(running.values());
      clearInterval(renewTimer);
    },
    async drain() {
      let executed = 0;
      for (;;) {
        const started = await claimOnce();
        executed += started;
        if (running.size === 0) return executed;
        await Promise.race(running.values());
      }
    },
    inFlight: () => running.size,
  };
}
