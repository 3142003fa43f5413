// The one interface every host capability implements; the registry dispatches plugin calls to them.
import type { Failure } from '../../../sdk/src/sandbox/index.ts';

/** Who is calling: one invocation of one install. Capabilities scope everything they touch by it. */
export interface CallScope {
  tenantId: string;
  installId: string;
  pluginId: string;
  pluginVersion: string;
  /** Hosts the plugin's manifest lists for `http` (exact host names, or `*.suffix`). */
  httpHosts: readonly string[];
  runId?: string;
  /** `runId:stepId` when a workflow step calls; effects record it ([3/6]). */
  idempotencyKey?: string;
  /** Aborted when the invocation ends: work still running for it (a fetch) stops. */
  signal?: AbortSignal;
}

/** Who a log record or an error is about: the fields every capability log line carries. */
export function attribution(scope: CallScope): Record<string, string | undefined> {
  return { tenantId: scope.tenantId, installId: scope.installId, pluginId: scope.pluginId, pluginVersion: scope.pluginVersion, runId: scope.runId };
}

export interface CapabilityMethod {
  /** The permission the install must hold, or null for methods every plugin may call (log). */
  permission: string | null;
  /** Runs with arguments already validated against `schemas/capabilities/<name>.schema.json#/$defs/<method>`. */
  run(args: unknown, scope: CallScope): Promise<unknown>;
}

export interface Capability {
  name: string;
  methods: Record<string, CapabilityMethod>;
}

/** Thrown by a capability to fail the call with a coded, plugin-visible failure (no host paths or stacks). */
export class CapabilityFailure extends Error {
  readonly failure: Failure;
  constructor(code: string, message: string, retryable = false, retryAt?: number) {
    super(message);
    this.name = 'CapabilityFailure';
    this.failure = retryAt === undefined ? { code, message, retryable } : { code, message, retryable, retryAt: new Date(retryAt).toISOString() };
  }
}

/** Checks by shape, not `instanceof`, so a failure thrown from another realm or package copy still counts. */
export function isCapabilityFailure(value: unknown): value is CapabilityFailure {
  if (typeof value !== 'object' || value === null || (value as { name?: unknown }).name !== 'CapabilityFailure') return false;
  const failure = (value as { failure?: Partial<Failure> }).failure;
  return typeof failure?.code === 'string' && typeof failure.message === 'string';
}
