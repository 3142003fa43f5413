// The supervised pool of sandbox worker processes: routing by tenant, restarts, crash quarantine.
import { availableParallelism } from 'node:os';
import { createCircuitBreaker, type CircuitBreakerOptions, type QuarantineEntry } from './circuit-breaker.ts';
import type { FromWorker, ToWorker, BundleRef } from './protocol.ts';
import { failure, type Result } from './result.ts';
import { startWorkerProcess, type WorkerProcess, type WorkerSettings } from './worker-process.ts';

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
  grants: Record<string, string[]>;
  /** Builds the guest request once the pool has named the invocation. */
  request(invocationId: string): string;
  /** The input as JSON text. */
  input: string;
  /** Handed back to `onCall` with each capability call the invocation makes. */
  scope: Scope;
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

export type PoolEvent =
  | { type: 'worker_crashed'; pid: number | undefined; why: string; inflight: number; stderr: string }
  | { type: 'install_quarantined'; installKey: string; reason: string };

export interface WorkerStats {
  pid: number | undefined;
  rssBytes: number;
  isolates: number;
  heapBytes: number;
}

interface Slot {
  process: WorkerProcess;
  inflight: Map<string, Pending>;
  /** For solo slots: the install it serves. */
  soloKey?: string;
  /** Killed on purpose (idle, or the pool closing): its exit is not a crash. */
  retired?: boolean;
  lastUsed: number;
}

interface Pending {
  installKey: string;
  resolve(result: Result): void;
  scope: unknown;
  /** After this the worker is presumed stuck and killed: its own watchdog should have answered. */
  hardDeadline: number;
}

const hardDeadlineGraceMs = 1000;
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
  const replies = new Map<string, (message: FromWorker) => void>();
  let seq = 0;
  let closed = false;

  function spawnSlot(soloKey?: string): Slot {
    const slot: Slot = { process: undefined as unknown as WorkerProcess, inflight: new Map(), soloKey, lastUsed: Date.now() };
    slot.process = startWorkerProcess(settings, {
      message: (message) => onMessage(slot, message),
      exit: (why) => onExit(slot, why),
    });
    return slot;
  }

  function onMessage(slot: Slot, message: FromWorker) {
    switch (message.t) {
      case 'done': {
        const pending = slot.inflight.get(message.id);
        if (!pending) return;
        slot.inflight.delete(message.id);
        pending.resolve(message.result as Result);
        return;
      }
      case 'call': {
        const pending = slot.inflight.get(message.id);
        if (!pending) return;
        const answer = (result: Result) => {
          if (message.callId) slot.process.send({ t: 'resolve', callId: message.callId }, JSON.stringify(result));
        };
        options.onCall(pending.scope as Scope, message.capability, message.method, message.args).then(answer, (error: unknown) =>
          answer(failure('capability.failed', `the capability failed: ${error instanceof Error ? error.message : String(error)}`, true)),
        );
        return;
      }
      case 'inspected':
      case 'stats':
        replies.get(message.id)?.(message);
        replies.delete(message.id);
        return;
      case 'ready':
        return;
    }
  }

  function onExit(slot: Slot, why: string) {
    if (slot.retired) return;
    const stderr = slot.process.stderrTail();
    options.onEvent?.({ type: 'worker_crashed', pid: slot.process.pid, why, inflight: slot.inflight.size, stderr });
    const message = `the sandbox worker running this invocation died (${why})`;
    const keys = new Set<string>();
    for (const pending of slot.inflight.values()) {
      keys.add(pending.installKey);
      pending.resolve(failure('sandbox.crashed', message, true));
    }
    slot.inflight.clear();
    for (const key of keys) if (breaker.strike(key, why)) quarantined(key);
    if (closed) return;
    if (slot.soloKey !== undefined) {
      if (solo.get(slot.soloKey) === slot) solo.delete(slot.soloKey);
      return; // respawned on demand
    }
    const index = shared.indexOf(slot);
    if (index >= 0) shared[index] = spawnSlot();
  }

  function quarantined(installKey: string) {
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
      if (!slot) {
        if (solo.size >= maxSolo) return failure('sandbox.quarantined', 'this install crashed a sandbox worker and every isolation worker is busy', true);
        slot = spawnSlot(installKey);
        solo.set(installKey, slot);
      }
      return slot;
    }
    // By tenant, so one tenant's crashes land on one worker; suspects leave it at once.
    return shared[hash(tenantId) % shared.length]!;
  }

  function bundleRef(slot: Slot, bundle: SandboxBundle): BundleRef {
    if (slot.process.bundles.has(bundle.sha256)) return { sha256: bundle.sha256, name: bundle.name };
    slot.process.bundles.add(bundle.sha256);
    return { sha256: bundle.sha256, name: bundle.name, code: bundle.code };
  }

  // The last line of defence. Guest code runs only inside calls with a time limit, but a few V8
  // builtins (Array(1e8).fill(0)) do not check for interruption for seconds: a worker that answers
  // nothing past an invocation's deadline plus a grace period is killed. The overdue invocation
  // fails as a timeout and is struck; the others in flight fail as crashed.
  const supervisor = setInterval(() => {
    const now = Date.now();
    for (const slot of [...shared, ...solo.values()]) {
      const overdue = [...slot.inflight].filter(([, pending]) => now > pending.hardDeadline);
      if (overdue.length) {
        for (const [id, pending] of overdue) {
          slot.inflight.delete(id);
          pending.resolve(failure('sandbox.timeout', 'the invocation did not finish within its wall-time limit; its worker was stopped'));
          if (breaker.strike(pending.installKey, 'stopped past its deadline')) quarantined(pending.installKey);
        }
        slot.process.kill();
      }
      if (slot.soloKey !== undefined && slot.inflight.size === 0 && now - slot.lastUsed > 30_000) {
        solo.delete(slot.soloKey);
        slot.retired = true;
        slot.process.kill();
      }
    }
  }, 250);
  supervisor.unref();

  for (let i = 0; i < size; i++) shared.push(spawnSlot());

  return {
    run(call: SandboxCall<Scope>): Promise<Result> {
      if (closed) return Promise.resolve(failure('sandbox.unavailable', 'the sandbox pool is closed', true));
      const target = slotFor(call.tenantId, call.installKey);
      if (!('process' in target)) return Promise.resolve(target);
      const slot = target;
      const id = (++seq).toString(36);
      slot.lastUsed = Date.now();
      return new Promise<Result>((resolve) => {
        slot.inflight.set(id, { installKey: call.installKey, resolve, scope: call.scope, hardDeadline: Date.now() + call.wallMs + hardDeadlineGraceMs });
        slot.process.send({
          t: 'invoke', id, key: call.installKey, bundle: bundleRef(slot, call.bundle),
          memoryMb: call.memoryMb, cpuMs: call.cpuMs, wallMs: call.wallMs, grants: call.grants, request: call.request(id),
        }, call.input);
      });
    },

    /** The handler ids a bundle registers, from a throwaway isolate in a worker. */
    inspect(bundle: SandboxBundle, memoryMb: number): Promise<Result<{ registered: boolean; actions: string[]; triggers: string[] }>> {
      const slot = shared[0]!;
      const id = `i${(++seq).toString(36)}`;
      return new Promise((resolve) => {
        replies.set(id, (message) => resolve((message as { result: Result<{ registered: boolean; actions: string[]; triggers: string[] }> }).result));
        slot.process.send({ t: 'inspect', id, bundle: bundleRef(slot, bundle), memoryMb } satisfies ToWorker);
      });
    },

    /** Memory and isolate counts of every worker. */
    stats(): Promise<WorkerStats[]> {
      return Promise.all(
        [...shared, ...solo.values()].map(
          (slot) =>
            new Promise<WorkerStats>((resolve) => {
              const id = `s${(++seq).toString(36)}`;
              replies.set(id, (m) => {
                const s = m as Extract<FromWorker, { t: 'stats' }>;
                resolve({ pid: slot.process.pid, rssBytes: s.rssBytes, isolates: s.isolates, heapBytes: s.heapBytes });
              });
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
      for (const slot of [...shared, ...solo.values()]) {
        for (const pending of slot.inflight.values()) pending.resolve(failure('sandbox.unavailable', 'the sandbox pool closed', true));
        slot.inflight.clear();
        slot.retired = true;
        slot.process.kill();
      }
    },
  };
}

export type SandboxPool<Scope> = ReturnType<typeof createSandboxPool<Scope>>;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
