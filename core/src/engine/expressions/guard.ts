// The per-evaluation guard: JSONata's evaluate entry/exit hooks count depth, watch the clock and the size of
// what is built, and stop an evaluation that runs past its budget (the "timeboxExpression" technique).
import type jsonata from 'jsonata';
import { maxSequenceItems, type Budget } from './budget.ts';

/** Why an evaluation was stopped; `message` completes "the expression …". */
export interface GuardFailure {
  reason: 'timeout' | 'depth' | 'size';
  message: string;
}

/** One evaluation's state. Compiled expressions are shared by concurrent runs, so nothing lives on them. */
export interface Guard {
  readonly deadline: number;
  readonly budget: Budget;
  depth: number;
  failure: GuardFailure | undefined;
}

// The guard reaches the hooks as a binding of the evaluation's root frame. Its name has a space, which no JSONata
// variable can have, so an expression can neither read it nor shadow it with `:=`.
const guardKey = 'lianjie guard';
// jsonata 2.x looks its hooks up by these symbols (1.x documented the string names); assign() is typed for strings.
const entryHook = Symbol.for('jsonata.__evaluate_entry') as unknown as string;
const exitHook = Symbol.for('jsonata.__evaluate_exit') as unknown as string;

/** A guard for one expression; `deadline` is shared by all the expressions of one call (performance.now()). */
export function createGuard(budget: Budget, deadline: number): Guard {
  return { deadline, budget, depth: 0, failure: undefined };
}

/** The bindings that hand `guard` to the hooks and the guarded builtins of one evaluation. */
export function guardBindings(guard: Guard): Record<string, unknown> {
  return { [guardKey]: guard };
}

/** Installs the hooks on a freshly compiled expression; they are the same for every evaluation. */
export function installGuardHooks(expression: jsonata.Expression): void {
  expression.assign(entryHook, onEntry);
  expression.assign(exitHook, onExit);
}

/** The guard of the evaluation `environment` belongs to (its root frame is `environment.base`). */
export function guardOf(environment: jsonata.Environment): Guard {
  const base = (environment as { base?: jsonata.Environment }).base;
  const guard = base?.lookup(guardKey) as Guard | undefined;
  // Evaluating without a guard would be evaluating without a budget: a bug in the caller, never allowed.
  if (!guard) throw new Error('a workflow expression was evaluated without its guard');
  return guard;
}

/** Records why the evaluation stops and throws; the evaluator reports the recorded reason, whatever wraps the throw. */
export function stop(guard: Guard, failure: GuardFailure): never {
  guard.failure ??= failure;
  throw new Error(guard.failure.message);
}

export function checkTime(guard: Guard): void {
  if (guard.failure) stop(guard, guard.failure);
  if (performance.now() > guard.deadline) {
    stop(guard, { reason: 'timeout', message: `ran past its time budget of ${guard.budget.timeMs} ms` });
  }
}

/** Stops at a string or sequence too large for the budget, before it grows further. */
export function checkSize(guard: Guard, value: unknown): void {
  if (typeof value === 'string' && value.length > guard.budget.maxOutputBytes) {
    // A UTF-16 code unit is at least one byte of UTF-8, so the length is a lower bound of the size.
    stop(guard, { reason: 'size', message: `built a string larger than ${guard.budget.maxOutputBytes} bytes` });
  }
  if (Array.isArray(value) && value.length > maxSequenceItems) {
    stop(guard, { reason: 'size', message: `built a sequence of more than ${maxSequenceItems} items` });
  }
}

function onEntry(_node: unknown, _input: unknown, environment: jsonata.Environment): void {
  const guard = guardOf(environment);
  guard.depth += 1;
  if (guard.depth > guard.budget.maxDepth) {
    stop(guard, { reason: 'depth', message: `nested deeper than ${guard.budget.maxDepth} evaluation levels (a runaway recursion?)` });
  }
  checkTime(guard);
}

function onExit(_node: unknown, _input: unknown, environment: jsonata.Environment, result: unknown): void {
  const guard = guardOf(environment);
  guard.depth -= 1;
  checkSize(guard, result);
  checkTime(guard);
}
