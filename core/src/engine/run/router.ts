// The router: turns each decoded canonical event into the runs of the tenant's enabled workflows it matches, in the
// transaction that marks the event routed, so an event starts its runs once whatever crashes in between.
import { isLianjieError } from '../../errors.ts';
import type { Workflow } from '../../generated/workflow.ts';
import { newId } from '../../ids.ts';
import type { Logger } from '../../ops/logger.ts';
import type { Install } from '../../plugins/types.ts';
import type { Result } from '../../../../sdk/src/sandbox/index.ts';
import type { NewRun, RunRepository, StoredEvent, WorkflowRepository } from '../../store/types.ts';
import { evaluateCondition } from '../expressions/evaluate.ts';
import { derivedFrom, type InstallSource } from '../../catalog/install-index.ts';
import { createWaker } from './waker.ts';
import { planWorkflow, type WorkflowPlan } from './plan.ts';

/** The wall time an event trigger gets while routing (less, if its manifest asks for less). */
const eventTriggerTimeoutMs = 5000;
/**
 * Trigger failures worth routing the event again for: a worker that died under it (three in a row quarantine the
 * install, which then fails for good) or a pool restarting. Anything else is recorded as failed runs, so that no
 * event is held back for long, and no batch of them holds back other tenants' events.
 */
const passing = new Set(['sandbox.crashed', 'sandbox.unavailable']);

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
  /** Events the host itself acts on before they are routed (a suite's tickets and authorisations). */
  hostEvents?: HostEvents;
  /** Installs whose `event` triggers derive trigger outputs from canonical events, and how to run them. */
  eventTriggers?: {
    installs: InstallSource<Install>;
    runTrigger(install: Install, triggerId: string, input: unknown, context: { timeoutMs: number }): Promise<Result>;
  };
  now?: () => number;
}

export interface HostEvents {
  types: ReadonlySet<string>;
  /** Acts on one; answers false when it must be offered again on a later pass (WeCom could not be reached). */
  handle(event: StoredEvent): Promise<boolean>;
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
  /** Routes one batch; answers how many events it marked routed (one whose trigger must be retried stays unrouted). */
  routeOnce(): Promise<number>;
  /** Routes until a pass routes nothing; answers how many events it routed. */
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
  /** Plans of the latest versions, by `tenant\nworkflow\nversion`, kept from one re-read to the next. */
  let planned = new Map<string, WorkflowPlan>();
  /** The plugin event triggers of each tenant's installs, by `tenant\nevent type`. */
  const eventTriggerIndex = derivedFrom(options.eventTriggers?.installs ?? (() => []), indexEventTriggers);
  let stopped = true;
  const waker = createWaker();
  let loop: Promise<void> | undefined;

  /** Enabled workflows by `tenant\nevent type` or `tenant\nplugin:<pluginId>/<triggerId>`; re-read once `ttlMs` old. */
  async function enabledWorkflows(): Promise<Map<string, WorkflowPlan[]>> {
    if (byTrigger && now() - byTrigger.at < ttlMs) return byTrigger.plans;
    const plans = new Map<string, WorkflowPlan[]>();
    const seen = new Map<string, WorkflowPlan>();
    for (const stored of await workflows.listLatest()) {
      // A version never changes: its plan (expressions compiled) is made once, not on every re-read.
      const versionKey = `${stored.tenantId}\n${stored.workflowId}\n${stored.version}`;
      let plan = planned.get(versionKey);
      if (!plan) {
        try {
          plan = planWorkflow(JSON.parse(stored.definition) as Workflow, stored.version);
        } catch (error) {
          logger?.error({ err: error, tenantId: stored.tenantId, workflowId: stored.workflowId }, 'stored workflow does not plan; it is not routed');
          continue;
        }
      }
      seen.set(versionKey, plan);
      if (!plan.enabled) continue;
      const key = `${plan.tenantId}\n${'event' in plan.trigger ? plan.trigger.event : `plugin:${plan.trigger.plugin}`}`;
      plans.set(key, [...(plans.get(key) ?? []), plan]);
    }
    planned = seen;
    byTrigger = { at: now(), plans };
    return plans;
  }

  /**
   * The runs `event` starts: its type's workflows, and those of the plugin event triggers that derive from it.
   * `retry`: a trigger failed in a way that passes (a crashed sandbox worker); the event stays unrouted and is routed
   * again on a later pass, its other runs kept by their trigger keys.
   */
  async function runsFor(event: StoredEvent, plans: Map<string, WorkflowPlan[]>): Promise<{ runs: NewRun[]; retry: boolean }> {
    if (event.tenantId === null) return { runs: [], retry: false };
    const tenantId = event.tenantId;
    const trigger = eventTrigger(event);
    const found = await matchingRuns(plans.get(`${tenantId}\n${event.type}`) ?? [], tenantId, trigger, event.id);
    let retry = false;
    await Promise.all((eventTriggerIndex().get(`${tenantId}\n${event.type}`) ?? []).map(async ({ install, triggerId }) => {
      const plugin = `${install.plugin.manifest.id}/${triggerId}`;
      const matching = plans.get(`${tenantId}\nplugin:${plugin}`) ?? [];
      // A trigger no enabled workflow names is not worth a sandbox call.
      if (matching.length === 0) return;
      const triggerKey = `event:${event.id}:${triggerId}`;
      // Bounded, so that a slow trigger holds up the routing of other tenants' events for seconds at most.
      const result = await options.eventTriggers!.runTrigger(install, triggerId, trigger, { timeoutMs: eventTriggerTimeoutMs });
      if (result.ok) {
        if (result.output !== null) found.push(...(await matchingRuns(matching, tenantId, result.output, triggerKey)));
      } else if (passing.has(result.failure.code)) {
        retry = true;
      } else {
        // The workflows this trigger would have started record why they did not, rather than nothing at all. The
        // step names the trigger: replaying such a run with the event as its trigger would be wrong, and is refused.
        const failure = { code: result.failure.code, message: result.failure.message, step: `trigger:${plugin}` };
        found.push(...matching.map((plan) => ({ ...newRun(plan, tenantId, trigger, triggerKey), failure })));
      }
    }));
    return { runs: found, retry };
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
    const held = await actOnHostEvents(events);
    const found = await Promise.all(events.map((event) => (held.has(event.id) ? { runs: [], retry: true } : runsFor(event, plans))));
    const routed = events.filter((_, i) => !found[i]!.retry).map((e) => e.id);
    const inserted = await runs.route(found.flatMap((f) => f.runs), routed);
    if (inserted.length > 0) options.onRouted?.(inserted);
    return routed.length;
  }

  /**
   * Offers the host's own events to their handler one at a time, in the order they arrived: a cancel_auth is never
   * acted on before the create_auth that came first. One that must wait holds back the host events after it too.
   * Answers the ids held back.
   */
  async function actOnHostEvents(events: readonly StoredEvent[]): Promise<Set<string>> {
    const held = new Set<string>();
    const host = options.hostEvents;
    if (!host) return held;
    for (const event of events) {
      if (!host.types.has(event.type)) continue;
      if (held.size > 0 || !(await host.handle(event))) held.add(event.id);
    }
    return held;
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

function indexEventTriggers(installs: readonly Install[]): Map<string, { install: Install; triggerId: string }[]> {
  const index = new Map<string, { install: Install; triggerId: string }[]>();
  for (const install of installs) {
    for (const t of install.plugin.manifest.triggers) {
      if (t.kind !== 'event') continue;
      for (const type of t.events) {
        const key = `${install.tenantId}\n${type}`;
        index.set(key, [...(index.get(key) ?? []), { install, triggerId: t.id }]);
      }
    }
  }
  return index;
}
