// Effects made once per workflow step: a capability call that changes something outside the host is keyed by the
// step's idempotency key and the call's ordinal in the invocation; its result is recorded in the effects ledger, and
// the step retried or resumed gets the recorded result instead of acting again.
import type { EffectLedger } from '../store/types.ts';
import type { CallScope } from './types.ts';

// The ordinal of each effect within its invocation: the same plugin code retried makes the same calls in order.
const ordinals = new WeakMap<object, number>();
function nextOrdinal(scope: object): number {
  const n = (ordinals.get(scope) ?? 0) + 1;
  ordinals.set(scope, n);
  return n;
}

export interface EffectCall<T> {
  /** `capability.method`, part of the key and stored with the record. */
  effect: string;
  /** Performs the effect; receives the key (an http request sends it as its Idempotency-Key). */
  perform(key: string | undefined): Promise<T>;
  /** False for results that say the target did not act (a 5xx): those are not recorded, so a retry acts again. */
  actedOn?(result: T): boolean;
}

/** Outside a workflow step (no idempotency key) or without a ledger, the effect is simply performed. */
export async function once<T>(ledger: EffectLedger | undefined, scope: CallScope, call: EffectCall<T>): Promise<T> {
  if (!ledger || scope.idempotencyKey === undefined) return call.perform(undefined);
  const key = `${scope.idempotencyKey}#${call.effect}#${nextOrdinal(scope)}`;
  const recorded = await ledger.find(key);
  if (recorded) return JSON.parse(recorded.result) as T;
  const result = await call.perform(key);
  if (call.actedOn && !call.actedOn(result)) return result;
  const { effect } = await ledger.record({ key, tenantId: scope.tenantId, effect: call.effect, result: JSON.stringify(result) });
  return JSON.parse(effect.result) as T;
}
