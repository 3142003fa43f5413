// One worker process as the pool tracks it: the work in flight there, and what its silence or death means.
import { failure, type Result } from './result.ts';
import type { BundleRef, FromWorker } from './protocol.ts';
import type { WorkerProcess } from './worker-process.ts';

export interface Pending {
  /** The install the work belongs to (`bundle:<sha256>` for checking a bundle): what a crash is pinned on. */
  installKey: string;
  resolve(result: Result): void;
  /** Told the CPU time an invocation used in its isolate, when the worker measured it. */
  onCpu?: ((cpuMs: number) => void) | undefined;
  /** The invocation's scope for capability calls; undefined for checking a bundle, which may call nothing. */
  scope: unknown;
  /** The longest the worker may legitimately stay silent on its behalf: one guest call runs at most this long. */
  silenceMs: number;
  /** Past this without an answer from a worker that is alive, the work is failed (a backstop: the worker's own watchdog answers first). */
  deadline: number;
}

export interface Slot {
  process: WorkerProcess;
  inflight: Map<string, Pending>;
  /** For solo slots: the install it serves. */
  soloKey?: string;
  /** Killed on purpose (idle, stuck, or the pool closing): its exit is handled already. */
  retired?: boolean;
  lastUsed: number;
  /** Answers to `stats` requests, given zeros if the worker dies first. */
  statsReplies: Map<string, (stats: Extract<FromWorker, { t: 'stats' }> | undefined) => void>;
}

/** Ends everything the slot owes an answer for with `result`. */
export function failAll(slot: Slot, result: Result): void {
  for (const pending of slot.inflight.values()) pending.resolve(result);
  slot.inflight.clear();
  for (const reply of slot.statsReplies.values()) reply(undefined);
  slot.statsReplies.clear();
}

/** The installs with work in flight on the slot. */
export function installsInFlight(slot: Slot): Set<string> {
  return new Set([...slot.inflight.values()].map((p) => p.installKey));
}

/** A busy worker says it is alive several times a second; one silent for longer than any of its guest calls may run is stuck. */
export function isStuck(slot: Slot, now: number): boolean {
  if (slot.inflight.size === 0) return false;
  let allowed = 0;
  for (const pending of slot.inflight.values()) allowed = Math.max(allowed, pending.silenceMs);
  return now - slot.process.lastHeard() > allowed;
}

/** Fails work a live worker never answered past its backstop deadline. */
export function failOverdue(slot: Slot, now: number): void {
  for (const [id, pending] of slot.inflight) {
    if (now <= pending.deadline) continue;
    slot.inflight.delete(id);
    pending.resolve(failure('sandbox.timeout', 'the invocation did not finish within its wall-time limit'));
  }
}

/** A bundle as the slot's worker needs it: its code only the first time that process sees the bundle. */
export function bundleRef(slot: Slot, bundle: { code: string; sha256: string; name: string }): BundleRef {
  if (slot.process.bundles.has(bundle.sha256)) return { sha256: bundle.sha256, name: bundle.name };
  slot.process.bundles.add(bundle.sha256);
  return { sha256: bundle.sha256, name: bundle.name, code: bundle.code };
}

/** The shared worker a tenant's installs run on: by tenant, so one tenant's crashes land on one worker. */
export function workerIndexFor(tenantId: string, workers: number): number {
  return hash(tenantId) % workers;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
