// How much one evaluation may spend: the caller's budget with its defaults, and the host's fixed limits.

/** The limits of one `evaluateMapping` or `evaluateCondition` call. */
export interface Budget {
  /** Wall time for all the expressions of the call together. */
  timeMs: number;
  /** How many JSONata evaluation steps may be nested at once (a recursion adds several per call). */
  maxDepth: number;
  /** The JSON size of the mapped value; also the most any one string an expression builds may hold. */
  maxOutputBytes: number;
}

export const defaultBudget: Budget = { timeMs: 100, maxDepth: 100, maxOutputBytes: 1_000_000 };

export function resolveBudget(budget: Partial<Budget> | undefined): Budget {
  return { ...defaultBudget, ...budget };
}

// Fixed limits, not part of the budget: JSONata reads the sequence limit from options given when an expression
// is compiled, and the two builtin limits keep a single call within a few milliseconds (measured: JSONata's own
// $distinct is quadratic, and parsing is ~100 ms per MB of source).
/** The most items any sequence (array) an expression builds may hold; JSONata checks ranges before allocating. */
export const maxSequenceItems = 100_000;
/** The most items `$distinct` compares. */
export const maxDistinctItems = 10_000;
/** The longest source `$eval` parses. */
export const maxEvalChars = 10_000;
