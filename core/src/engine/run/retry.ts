// A step's retry policy with the schema's defaults applied: whether a failure is tried again, and after how long.
import type { Retry } from '../../generated/workflow.ts';
import type { Failure } from '../../../../sdk/src/sandbox/index.ts';

export interface RetryPolicy {
  attempts: number;
  initialMs: number;
  maxMs: number;
  multiplier: number;
  jitter: number;
  /** Codes (or `prefix.*`) to retry; undefined: the failures marked retryable. */
  on: readonly string[] | undefined;
}

export function retryPolicy(retry: Retry | undefined): RetryPolicy {
  const backoff = retry?.backoff ?? {};
  return {
    attempts: retry?.attempts ?? 1,
    initialMs: backoff.initialMs ?? 1000,
    maxMs: backoff.maxMs ?? 300_000,
    multiplier: backoff.multiplier ?? 2,
    jitter: backoff.jitter ?? 0.2,
    on: retry?.on,
  };
}

/** Whether attempt `attempt` (1-based) failing with `failure` is followed by another attempt. */
export function retries(policy: RetryPolicy, failure: Failure, attempt: number): boolean {
  if (attempt >= policy.attempts) return false;
  if (!policy.on) return failure.retryable;
  return policy.on.some((pattern) => (pattern.endsWith('.*') ? failure.code.startsWith(pattern.slice(0, -1)) : failure.code === pattern));
}

/** The wait after failed attempt `attempt`: min(maxMs, initialMs × multiplier^(attempt-1)), spread by ± jitter. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.multiplier ** (attempt - 1));
  return Math.max(0, Math.round(base * (1 + policy.jitter * (2 * random() - 1))));
}
