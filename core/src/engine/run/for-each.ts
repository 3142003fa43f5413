// A forEach's items, `concurrency` at a time: which items start, which wait, and when the forEach as a whole is done,
// waits or fails. The steps of each item are interpret.ts's to run (`runList`, passed in).
import type { ItemState, StepState } from './cursor.ts';
import type { Frame, ListOutcome, RunEnv, runList as runListOf } from './interpret.ts';
import type { PlannedStep } from './plan.ts';

/**
 * Runs the items `concurrency` at a time. An item that waits keeps its slot; when every slot waits, the forEach
 * waits for the earliest. A failure or a stop in one item starts no further items; those in flight finish first.
 */
export async function runForEach(
  step: Extract<PlannedStep, { kind: 'forEach' }>, state: Extract<StepState, { kind: 'forEach' }>, frame: Frame, env: RunEnv, path: string,
  runList: typeof runListOf,
): Promise<ListOutcome> {
  const inFlight = new Map<number, Promise<{ index: number; outcome: ListOutcome } | { index: number; thrown: unknown }>>();
  const waiting = new Map<number, number>();
  let ending: ListOutcome | undefined;
  let thrown: { error: unknown } | undefined;
  const start = (index: number, item: ItemState) => {
    const itemFrame: Frame = { steps: item.steps, path: `${path}[${index}].`, parent: frame, item: { value: state.items[index], index } };
    inFlight.set(index, runList(step.body, item.thread, itemFrame, env).then((outcome) => ({ index, outcome }), (error: unknown) => ({ index, thrown: error })));
  };
  for (;;) {
    if (!ending) {
      for (const [key, item] of Object.entries(state.running)) {
        const index = Number(key);
        if (!inFlight.has(index) && !waiting.has(index)) start(index, item);
      }
      while (Object.keys(state.running).length < step.concurrency && state.next < state.items.length) {
        const index = state.next++;
        const item: ItemState = { thread: { at: 0 }, steps: {} };
        state.running[index] = item;
        start(index, item);
      }
    }
    if (inFlight.size === 0) {
      // A lost lease or a broken database ends the whole run's interpretation, once its items have stopped.
      if (thrown) throw thrown.error;
      if (ending) return ending;
      if (waiting.size > 0) return { kind: 'suspend', until: Math.min(...waiting.values()) };
      return { kind: 'done' };
    }
    const settled = await Promise.race(inFlight.values());
    const { index } = settled;
    inFlight.delete(index);
    if ('thrown' in settled) {
      thrown ??= { error: settled.thrown };
      ending ??= { kind: 'done' };
      continue;
    }
    const { outcome } = settled;
    if (outcome.kind === 'done') {
      state.results[index] = Object.fromEntries(Object.entries(state.running[index]!.steps).map(([id, r]) => [id, r.output ?? null]));
      delete state.running[index];
    } else if (outcome.kind === 'suspend') {
      waiting.set(index, outcome.until);
    } else {
      // The first failure or stop is the one reported; a stop outranks a failure that comes after it.
      ending ??= outcome;
    }
  }
}
