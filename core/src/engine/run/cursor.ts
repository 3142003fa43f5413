// Where a run is: the state the executor persists after every step, so a resumed run continues exactly there.
import type { RunFailure } from '../../store/types.ts';

/** What later expressions see of a finished step as `steps.<id>`. */
export interface StepResult {
  output?: unknown;
  /** Set when the step failed and its onError was continue. */
  error?: Pick<RunFailure, 'code' | 'message'>;
}

/** A position in one list of steps. */
export interface Thread {
  /** Index of the current step in its list. */
  at: number;
  /** The current step's state once it has started; absent before it starts. */
  state?: StepState;
}

/**
 * A started step. Each decision that could come out differently later (an `if`, a branch arm, the items of a
 * forEach, a wait's end) is kept here, so a resumed run never takes another path than the one it began.
 */
export type StepState =
  /** `attempt` is the attempt to run next; a retry waits until `notBefore`. */
  | { kind: 'action'; attempt: number; notBefore?: number }
  | { kind: 'wait'; since: number; until: number }
  | { kind: 'branch'; arm: 'then' | 'else'; thread: Thread }
  /** `results[i]` holds the outputs of item i's steps by step id; the array is the forEach's output. */
  | { kind: 'forEach'; items: unknown[]; next: number; running: Record<string, ItemState>; results: Record<string, unknown>[] };

/** One item of a forEach in progress: its position in the body and the results of its steps so far. */
export interface ItemState {
  thread: Thread;
  steps: Record<string, StepResult>;
}

export interface Cursor {
  thread: Thread;
  /** Results of the finished steps outside any forEach body, by step id. */
  steps: Record<string, StepResult>;
}

export function newCursor(): Cursor {
  return { thread: { at: 0 }, steps: {} };
}
