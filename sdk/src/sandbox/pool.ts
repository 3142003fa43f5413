// The supervised pool of sandbox worker processes: routing by tenant, restarts, crash quarantine.
import { availableParallelism } from 'node:os';
import { createCircuitBreaker, type CircuitBreakerOptions, type QuarantineEntry } from './circuit-breaker.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { failure, type Result } from './result.ts';
import { bundleRef, failAll, failOverdue, installsInFlight, isStuck, workerIndexFor, type Slot } from './slot.ts';

export { workerIndexFor };
import { startWorkerProcess, type WorkerSettings } from './worker-process.ts';

export interface SandboxBundle {
  code: string;
  sha256: string;
  /** For stack traces: `plugin:<id>@<version>`. */
  name: string;
}

/** One invocation as the pool runs it; everything plugin-specific is already resolved. */
export interface SandboxCall<Scope> {
  tenantId: string;
  /** One isolate per key: an install of one bundle. */
  installKey: string;
  bundle: SandboxBundle;
  memoryMb: number;
  cpuMs: number;
  wallMs: number;
  /** The capability methods the install may call, by capability (what its ctx offers). */
  methods: Record<string, string[]>;
  /** Builds the guest request once the pool has named the invocation. */
  request(invocationId: string): string;
  /** The input as JSON text. */
  input: string;
  /** Handed back to `onCall` with each capability call the invocation makes. */
  scope: Scope;
  /**
   * Told, once and before the result arrives, the CPU time in ms (fractional) the invocation used in its isolate, when
   * it reached one: whatever its result, a CPU or wall-time limit included. Not called when its worker died first.
   */
  onCpu?: (cpuMs: number) => void;
}

export interface SandboxPoolOptions<Scope> {
  /** Worker processes for the shared pool; default: the machine's cores. */
  size?: number;
  maxIsolatesPerWorker?: number;
  maxCallsPerInvocation?: number;
  breaker?: Partial<CircuitBreakerOptions>;
  /** At most this many suspect installs get a worker of their own at once. */
  maxSoloWorkers?: number;
  /** Runs a plugin's capability call in the host. */
  onCall(scope: Scope, capability: string, method: string, args: unknown): Promise<Result>;
  /** Told about worker deaths and quarantines, for the operator. */
  onEvent?(event: PoolEvent): void;
}

/** What a bundle registers when it loads: its handler ids, and the majors its config migrations come from. */
export interface RegisteredIds {
  registered: boolean;
  actions: string[];
  triggers: string[];
  migrations: string[];
}

export type PoolEvent =
  | { type: 'worker_crashed'; pid: number | undefined; why: string; inflight: number; stderr: string }
  | { type: 'install_quarantined'; installKey: string; reason: string };

export interface WorkerStats {
  pid: number | undefined;
  rssBytes: number;
  isolates: number;
  heapBytes: number;
}

/** Loading a bundle takes at most 1 s of CPU in the worker; on top, a margin for a busy machine. */
const loadMs = 1000;
const graceMs = 1500;
const inspectWallMs = 4000;
/** Suspects beyond the solo workers share this one, never the healthy tenants' workers. */
const overflowKey = '*suspects*';
const defaultBreaker: CircuitBreakerOptions = { strikes: 3, windowMs: 60_000, cooldownMs: 300_000 };

export function createSandboxPool<Scope>(options: SandboxPoolOptions<Scope>) {
  const size = Math.max(1, options.size ?? availableParallelism());
  const settings: WorkerSettings = {
    maxIsolates: options.maxIsolatesPerWorker ?? 1000,
    maxCallsPerInvocation: options.maxCallsPerInvocation ?? 1000,
  };
  const breaker = createCircuitBreaker({ ...defaultBreaker, ...options.breaker });
  const maxSolo = options.maxSoloWorkers ?? 4;
  const shared: Slot[] = [];
  const solo = new Map<string, Slot>();
  let seq = 0;
  let closed = false;

  function spawnSlot(soloKey?: string): Slot {
    // The events arrive after `slot` exists: the process cannot answer before this function returns.
    const slot: Slot = {
      process: startWorkerProcess(settings, { message: (message) => onMessage(slot, message), exit: (why) => onExit(slot, why) }),
      inflight: new Map(), soloKey, lastUsed: Date.now(), statsReplies: new Map(),
    };
    return slot;
  }

  function onMessage(slot: Slot, message: FromWorker) {
    switch (message.t) {
      case 'done':
      case 'inspected': {
        const pending = slot.inflight.get(message.id);
        if (!pending) return;
        slot.inflight.delete(message.id);
        try {
          if (message.t === 'done' && typeof message.cpuMs === 'number' && message.cpuMs >= 0) pending.onCpu?.(message.cpuMs);
        } finally {
          pending.resolve(message.result as Result);
        }
        return;
      }
      case 'call': {
        // Only running invocations call capabilities; the worker is not trusted to say otherwise.
        const pending = slot.inflight.get(message.id);
        if (!pending || pending.scope === undefined || typeof message.capability !== 'string' || typeof message.method !== 'string') return;
        const answer = (result: Result) => {
          if (typeof message.callId === 'string' && !slot.retired) slot.process.send({ t: 'resolve', callId: message.callId }, JSON.stringify(result));
        };
        const failed = (error: unknown) => answer(failure('capability.failed', `the capability failed: ${error instanceof Error ? error.message : String(error)}`, true));
        try {
          options.onCall(pending.scope as Scope, message.capability, message.method, message.args).then(answer, failed);
        } catch (error) {
          failed(error);
        }
        return;
      }
      case 'stats':
        slot.statsReplies.get(message.id)?.(message);
        slot.statsReplies.delete(message.id);
        return;
      case 'ready':
      case 'alive':
        return;
    }
  }

  function onExit(slot: Slot, why: string) {
    if (slot.retired) return;
    slot.retired = true;
    options.onEvent?.({ type: 'worker_crashed', pid: slot.process.pid, why, inflight: slot.inflight.size, stderr: slot.process.stderrTail() });
    const culprit = slot.inflight.get(slot.process.lastMarked() ?? '');
    const keys = installsInFlight(slot);
    failAll(slot, failure('sandbox.crashed', `the sandbox worker running this invocation died (${why})`, true));
    announce(breaker.blame(culprit?.installKey, keys, why));
    replace(slot);
  }

  /** A shared slot whose worker is gone gets a new worker at once; a solo one is started again on demand. */
  function replace(slot: Slot) {
    if (closed) return;
    if (slot.soloKey !== undefined) {
      if (solo.get(slot.soloKey) === slot) solo.delete(slot.soloKey);
      return;
    }
    const index = shared.indexOf(slot);
    if (index >= 0) shared[index] = spawnSlot();
  }

  /** Tells the operator about an install whose circuit just opened. */
  function announce(installKey: string | undefined) {
    if (installKey === undefined) return;
    const health = breaker.health(installKey);
    if (health.state === 'open') options.onEvent?.({ type: 'install_quarantined', installKey, reason: health.reason });
  }

  function slotFor(tenantId: string, installKey: string): Slot | Result {
    const health = breaker.health(installKey);
    if (health.state === 'open') {
      return failure('sandbox.quarantined', `this install is quarantined until ${new Date(health.until).toISOString()}: ${health.reason}`, true);
    }
    if (health.state === 'suspect') {
      let slot = solo.get(installKey);
      if (!slot && solo.size < maxSolo) {
        slot = spawnSlot(installKey);
        solo.set(installKey, slot);
      }
      if (slot) return slot;
      // Every isolation worker is taken: suspects share one worker of their own, away from healthy tenants.
      let overflow = solo.get(overflowKey);
      if (!overflow) {
        overflow = spawnSlot(overflowKey);
        solo.set(overflowKey, overflow);
      }
      return overflow;
    }
    // By tenant, so one tenant's crashes land on one worker; suspects leave it at once.
    return shared[workerIndexFor(tenantId, shared.length)]!;
  }

  // The last line of defence. Guest code runs only inside calls with a time limit, but a few V8 builtins
  // (Array(1e8).fill(0)) do not check for interruption for seconds. A busy worker says it is alive several
  // times a second; one silent for longer than any guest call may run is stuck: it is retired and replaced at
  // once, the invocation it was running (trace.ts) fails `sandbox.timeout` and is struck, the others fail
  // `sandbox.crashed`, and then the process is killed.
  const supervisor = setInterval(() => {
    const now = Date.now();
    for (const slot of [...shared, ...solo.values()]) {
      if (isStuck(slot, now)) {
        retireStuck(slot);
        continue;
      }
      failOverdue(slot, now);
      if (slot.soloKey !== undefined && slot.inflight.size === 0 && now - slot.lastUsed > 30_000) {
        solo.delete(slot.soloKey);
        slot.retired = true;
        failAll(slot, failure('sandbox.unavailable', 'the worker was retired', true));
        slot.process.kill();
      }
    }
  }, 250);

  function retireStuck(slot: Slot) {
    slot.retired = true;
    const why = 'stopped: it stayed silent longer than any plugin call may run';
    options.onEvent?.({ type: 'worker_crashed', pid: slot.process.pid, why, inflight: slot.inflight.size, stderr: slot.process.stderrTail() });
    const culpritId = slot.process.lastMarked();
    const culprit = culpritId === undefined ? undefined : slot.inflight.get(culpritId);
    const keys = installsInFlight(slot);
    if (culprit) {
      slot.inflight.delete(culpritId!);
      culprit.resolve(failure('sandbox.timeout', 'the invocation did not stop at its time limit; its worker was stopped'));
    }
    failAll(slot, failure('sandbox.crashed', 'the sandbox worker running this invocation was stopped because another invocation there did not stop at its limit', true));
    announce(breaker.blame(culprit?.installKey, keys, 'did not stop at its time limit'));
    slot.process.kill();
    replace(slot);
  }
  supervisor.unref();

  for (let i = 0; i < size; i++) shared.push(spawnSlot());

  /** Routes one piece of work to a worker and tracks it until the worker answers, dies or hangs. */
  function dispatch(
    tenantId: string, installKey: string, limits: { wallMs: number; cpuMs: number }, scope: unknown, send: (slot: Slot, id: string) => void, onCpu?: (cpuMs: number) => void,
  ): Promise<Result> {
    if (closed) return Promise.resolve(failure('sandbox.unavailable', 'the sandbox pool is closed', true));
    const target = slotFor(tenantId, installKey);
    if (!('process' in target)) return Promise.resolve(target);
    const slot = target;
    const id = (++seq).toString(36);
    slot.lastUsed = Date.now();
    return new Promise<Result>((resolve) => {
      slot.inflight.set(id, { installKey, resolve, onCpu, scope, silenceMs: limits.cpuMs + loadMs + graceMs, deadline: Date.now() + limits.wallMs + loadMs + 30_000 });
      send(slot, id);
    });
  }

  return {
    run(call: SandboxCall<Scope>): Promise<Result> {
      return dispatch(call.tenantId, call.installKey, { wallMs: call.wallMs, cpuMs: call.cpuMs }, call.scope, (slot, id) => {
        slot.process.send({
          t: 'invoke', id, key: call.installKey, bundle: bundleRef(slot, call.bundle),
          memoryMb: call.memoryMb, cpuMs: call.cpuMs, wallMs: call.wallMs, methods: call.methods, request: call.request(id),
        }, call.input);
      }, call.onCpu);
    },

    /**
     * The handler ids a bundle registers, from a throwaway isolate in a worker. A bundle whose loading
     * kills workers is struck and quarantined like an install (as `bundle:<sha256>`).
     */
    inspect(bundle: SandboxBundle, memoryMb: number): Promise<Result<RegisteredIds>> {
      const key = `bundle:${bundle.sha256}`;
      return dispatch(key, key, { wallMs: inspectWallMs, cpuMs: 0 }, undefined, (slot, id) => {
        slot.process.send({ t: 'inspect', id, bundle: bundleRef(slot, bundle), memoryMb } satisfies ToWorker);
      }) as Promise<Result<RegisteredIds>>;
    },

    /** Memory and isolate counts of every worker (zeros for one that dies before it answers). */
    stats(): Promise<WorkerStats[]> {
      return Promise.all(
        [...shared, ...solo.values()].map(
          (slot) =>
            new Promise<WorkerStats>((resolve) => {
              const id = `s${(++seq).toString(36)}`;
              slot.statsReplies.set(id, (s) => resolve({ pid: slot.process.pid, rssBytes: s?.rssBytes ?? 0, isolates: s?.isolates ?? 0, heapBytes: s?.heapBytes ?? 0 }));
              slot.process.send({ t: 'stats', id });
            }),
        ),
      );
    },

    status(): { workers: { pid: number | undefined; inflight: number; solo?: string }[]; quarantined: QuarantineEntry[] } {
      return {
        workers: [...shared, ...solo.values()].map((s) => ({ pid: s.process.pid, inflight: s.inflight.size, ...(s.soloKey ? { solo: s.soloKey } : {}) })),
        quarantined: breaker.quarantined(),
      };
    },

    /** Pids of the shared workers (for operators and crash tests). */
    pids(): (number | undefined)[] {
      return shared.map((s) => s.process.pid);
    },

    async close(): Promise<void> {
      closed = true;
      clearInterval(supervisor);
      const slots = [...shared, ...solo.values()];
      for (const slot of slots) {
        slot.retired = true;
        failAll(slot, failure('sandbox.unavailable', 'the sandbox pool closed', true));
        slot.process.kill();
      }
      await Promise.all(slots.map((slot) => slot.process.exited));
    },
  };
}

export type SandboxPool<Scope> = ReturnType<typeof createSandboxPool<Scope>>;
