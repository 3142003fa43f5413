// What an expression can see: the four names of its scope, and nothing else of the host.

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
}

/** The names an expression may start a path with; any other name could only ever be undefined. */
export const scopeNames: readonly string[] = ['trigger', 'steps', 'install', 'now'];

/**
 * The JSONata input: a fresh object holding exactly the four names, so that whatever else a caller's scope
 * object carries stays out of reach.
 */
export function scopeInput(scope: ExpressionScope): Record<string, unknown> {
  return { trigger: scope.trigger, steps: scope.steps, install: scope.install, now: scope.now };
}
