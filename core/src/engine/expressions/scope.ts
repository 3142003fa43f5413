// What an expression can see: the names of its scope, and nothing else of the host.

/** The values a workflow's expressions are evaluated against (DESIGN.md §3 "Workflow"). */
export interface ExpressionScope {
  /** The canonical event, or the output of the plugin trigger that started the run. */
  trigger: unknown;
  /** The steps that have finished, each as `{ output }`. */
  steps: Record<string, { output?: unknown }>;
  /** The install the step runs in: its `config`. */
  install: { config?: unknown };
  /** The evaluation time, ISO 8601; `$now()` and `$millis()` give the same instant. */
  now: string;
  /** Inside a forEach body: the current item and its 0-based index; undefined elsewhere. */
  item?: unknown;
  index?: number;
}

/** The names an expression may start a path with; any other name could only ever be undefined. */
export const scopeNames: readonly string[] = ['trigger', 'steps', 'install', 'now', 'item', 'index'];

/**
 * The JSONata input: a fresh object holding exactly the scope's names, so that whatever else a caller's scope
 * object carries stays out of reach.
 */
export function scopeInput(scope: ExpressionScope): Record<string, unknown> {
  const input: Record<string, unknown> = { trigger: scope.trigger, steps: scope.steps, install: scope.install, now: scope.now };
  // Only inside a forEach body: elsewhere `$keys($)` shows the four names and nothing undefined.
  if (scope.index !== undefined) Object.assign(input, { item: scope.item, index: scope.index });
  return input;
}
