// The router: turns each decoded canonical event into the runs of the tenant's enabled workflows it matches, in the
// transaction that marks the event routed, so an event starts its runs once whatever crashes in between.
import { isLianjieError } from '../../errors.ts';
import type { Workflow } from '../../generated/workflow.ts';
import { newId } from '../../ids.ts';
import type { Logger } from '../../ops/logger.ts';
import type { Install } from '../../plugins/types.ts';
import type { Result } from '../../sandbox/result.ts';
import type { NewRun, RunRepository, StoredEvent, WorkflowRepository } from '../../store/types.ts';
import { evaluateCondition } from '../expressions/evaluate.ts';
import { createWaker } from './waker.ts';
import { planWorkflow, type WorkflowPlan } from './plan.ts';

export interface RouterOptions {
  runs: RunRepository;
  workflows: WorkflowRepository;
  logger?: Pick<Logger, 'warn' | 'error'>;
  /** Called after runs were created, so the executor claims them at once. */
  onRouted?(runIds: readonly string[]): void;
  /** Events per transaction. Default 256. */
  batch?: number;
  /** How often to look for unrouted events when nothing wakes the router. Default 1 s. */
  pollMs?: number;
  /** How long the list of enabled workflows is reused before it is read again. Default 250 ms. */
  workflowsTtlMs?: number;
  /** Installs whose `event` triggers derive trigger outputs from canonical events, and how to run them. */
  eventTriggers?: { installs: readonly Install[]; runTrigger(install: Install, triggerId: string, input: unknown): Promise<Result> };
  now?: () => number;
}

export interface Router {
  /**
   * Starts the runs a plugin trigger's output starts: the tenant's enabled workflows whose trigger is
   * `<pluginId>/<triggerId>` and whose `if` holds, `output` as their `trigger`. `triggerKey` (a webhook delivery, a
   * schedule tick) makes a repeat start nothing. Answers the ids of the runs created.
   */
  startFromPlugin(tenantId: string, plugin: string, output: unknown, triggerKey: string): Promise<string[]>;
  start(): void;
  wake(): void;
  stop(): Promise<void>;
  /** Routes one batch; answers how many events it handled. */
  routeOnce(): Promise<number>;
  /** Routes until no event is left; answers how many events it handled. */
  drain(): Promise<number>;
}

/** What a workflow's expressions see as `trigger` for a canonical event. */
export function eventTrigger(event: StoredEvent): Record<string, unknown> {
  return {
    id: event.id, type: event.type, tenantId: event.tenantId, appId: event.appId, suiteId: event.suiteId,
    occurredAt: event.occurredAt, receivedAt: event.receivedAt, data: event.data,
  };
}

export function createRouter(options: RouterOptions): Router {
  const { runs, workflows, logger } = options;
  const batch = options.batch ?? 256;
  const pollMs = options.pollMs ?? 1000;
  const ttlMs = options.workflowsTtlMs ?? 250;
  const now = options.now ?? Date.now;
  let byTrigger: { at: number; plans: Map<string, WorkflowPlan[]> } | undefined;
  let stopped = true;
  const waker = createWaker();
  let loop: Promise<void> | undefined;

  /** Enabled workflows by `tenant\nevent type` or `tenant\nplugin:<pluginId>/<triggerId>`; re-read once `ttlMs` old. */
  async function enabledWorkflows(): Promise<Map<string, WorkflowPlan[]>> {
    if (byTrigger && now() - byTrigger.at < ttlMs) return byTrigger.plans;
    const plans = new Map<string, WorkflowPlan[]>();
    for (const stored of await workflows.listLatest()) {
      let plan: WorkflowPlan;
      try {
        plan = planWorkflow(JSON.parse(stored.definition) as Workflow, stored.version);
      } catch (error) {
        logger?.error({ err: error, tenantId: stored.tenantId, workflowId: stored.workflowId }, 'stored workflow does not plan; it is not routed');
        continue;
      }
      if (!plan.enabled) continue;
      const key = `${plan.tenantId}\n${'event' in plan.trigger ? plan.trigger.event : `plugin:${plan.trigger.plugin}`}`;
      plans.set(key, [...(plans.get(key) ?? []), plan]);
    }
    byTrigger = { at: now(), plans };
    return plans;
  }

  async function runsFor(event: StoredEvent, plans: Map<string, WorkflowPlan[]>): Promise<NewRun[]> {
    if (event.tenantId === null) return [];
    const trigger = eventTrigger(event);
    const found = await matchingRuns(plans.get(`${event.tenantId}\n${event.type}`) ?? [], event.tenantId, trigger, event.id);
    for (const { install, triggerId } of eventTriggersFor(event.tenantId, event.type)) {
      const plugin = `${install.plugin.manifest.id}/${triggerId}`;
      const matching = plans.get(`${event.tenantId}\nplugin:${plugin}`) ?? [];
      // A trigger no enabled workflow names is not worth a sandbox call.
      if (matching.length === 0) continue;
      const triggerKey = `event:${event.id}:${triggerId}`;
      const result = await options.eventTriggers!.runTrigger(install, triggerId, trigger);
      if (!result.ok) {
        // The workflows this trigger would have started record why they did not, rather than nothing at all.
        const failure = { code: result.failure.code, message: result.failure.message, step: 'trigger' };
        found.push(...matching.map((plan) => ({ ...newRun(plan, event.tenantId!, trigger, triggerKey), failure })));
      } else if (result.output !== null) {
        found.push(...(await matchingRuns(matching, event.tenantId, result.output, triggerKey)));
      }
    }
    return found;
  }

  /** The event triggers of the tenant's installs that derive from `type`. */
  function eventTriggersFor(tenantId: string, type: string): { install: Install; triggerId: string }[] {
    return (options.eventTriggers?.installs ?? []).flatMap((install) => install.tenantId !== tenantId ? [] :
      install.plugin.manifest.triggers.flatMap((t) => (t.kind === 'event' && t.events.includes(type) ? [{ install, triggerId: t.id }] : [])));
  }

  function newRun(plan: WorkflowPlan, tenantId: string, trigger: unknown, triggerKey: string): NewRun {
    return { id: newId('run'), tenantId, workflowId: plan.workflowId, version: plan.version, triggerKey, trigger: JSON.stringify(trigger) };
  }

  async function matchingRuns(matching: readonly WorkflowPlan[], tenantId: string, trigger: unknown, triggerKey: string): Promise<NewRun[]> {
    const found: NewRun[] = [];
    for (const plan of matching) {
      const run = newRun(plan, tenantId, trigger, triggerKey);
      if (plan.triggerIf) {
        try {
          if (!(await evaluateCondition(plan.triggerIf, { trigger, steps: {}, install: {}, now: new Date(now()).toISOString() }))) continue;
        } catch (error) {
          // Not knowing whether the workflow should start is kept as a failed run, not dropped in silence.
          if (!isLianjieError(error)) throw error;
          run.failure = { code: error.code, message: error.message, step: 'trigger' };
        }
      }
      found.push(run);
    }
    return found;
  }

  async function routeOnce(): Promise<number> {
    const events = await runs.unroutedEvents(batch);
    if (events.length === 0) return 0;
    const plans = await enabledWorkflows();
    const created: NewRun[] = [];
    for (const event of events) created.push(...(await runsFor(event, plans)));
    const inserted = await runs.route(created, events.map((e) => e.id));
    if (inserted.length > 0) options.onRouted?.(inserted);
    return events.length;
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (let n = await routeOnce(); n > 0; n = await routeOnce()) total += n;
    return total;
  }

  async function routeLoop(): Promise<void> {
    while (!stopped) {
      try {
        if ((await routeOnce()) === batch) continue;
      } catch (error) {
        logger?.warn({ err: error }, 'routing events failed');
      }
      await waker.sleep(pollMs);
    }
  }

  async function startFromPlugin(tenantId: string, plugin: string, output: unknown, triggerKey: string): Promise<string[]> {
    const plans = await enabledWorkflows();
    const runs = await matchingRuns(plans.get(`${tenantId}\nplugin:${plugin}`) ?? [], tenantId, output, triggerKey);
    const inserted = await options.runs.route(runs, []);
    if (inserted.length > 0) options.onRouted?.(inserted);
    return inserted;
  }

  return {
    startFromPlugin,
    start() {
      if (!stopped) return;
      stopped = false;
      loop = routeLoop();
    },
    wake() {
      waker.wake();
    },
    async stop() {
      stopped = true;
      waker.wake();
      await loop;
    },
    routeOnce,
    drain,
  };
}
