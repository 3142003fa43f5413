// Turns what an expression yields into what a workflow carries: JSON text for whole values, text for templates.
// A function (a JSONata lambda or builtin) is not JSON and has no text, so it is refused rather than dropped.

/** Thrown for a value that holds a function; the evaluator reports it as the expression's failure. */
export class NotJson extends Error {}

/** The JSON text of `value` (which may share objects with the scope); undefined for undefined. */
export function jsonText(value: unknown): string | undefined {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (isFunction(item)) throw new NotJson('yields a function, which is not JSON');
    return item;
  });
}

/** A template part's text: strings as they are, numbers and booleans via String, the rest as JSON, nothing as ''. */
export function templateText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return jsonText(value) ?? '';
}

function isFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  const marked = value as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return marked._jsonata_lambda === true || marked._jsonata_function === true;
}
