// JSONata's own builtin functions, read once, for the guarded versions to wrap and the replacements to fall back on.
import jsonata from 'jsonata';

/** What JSONata passes a native as `this` (jsonata.d.ts leaves out createSequence). */
export type Focus = jsonata.Focus & { createSequence(): unknown[] };

export type Implementation = (this: Focus, ...args: never[]) => unknown;

/** A native function as JSONata binds it; `signature` is JSONata's parsed signature, kept as is. */
export interface Builtin {
  _jsonata_function: true;
  implementation: Implementation;
  signature?: unknown;
}

/** The builtins of JSONata 2.2 (the names its evaluator binds in its static frame). */
export const builtinNames = [
  'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter',
  'lowercase', 'uppercase', 'length', 'trim', 'pad', 'match', 'contains', 'replace', 'split', 'join',
  'formatNumber', 'formatBase', 'formatInteger', 'parseInteger', 'number', 'floor', 'ceil', 'round', 'abs',
  'sqrt', 'power', 'random', 'boolean', 'not', 'map', 'zip', 'filter', 'single', 'reduce', 'sift', 'keys',
  'lookup', 'append', 'exists', 'spread', 'merge', 'reverse', 'each', 'error', 'assert', 'type', 'sort',
  'shuffle', 'distinct', 'base64encode', 'base64decode', 'encodeUrlComponent', 'encodeUrl',
  'decodeUrlComponent', 'decodeUrl', 'eval', 'toMillis', 'fromMillis', 'clone', 'now', 'millis',
] as const;

export type BuiltinName = (typeof builtinNames)[number];

/** JSONata's own definitions, read through one expression that names them all. */
export const originals = await jsonata(`[${builtinNames.map((name) => `$${name}`).join(', ')}]`).evaluate(null)
  .then((list: Builtin[]) => Object.fromEntries(builtinNames.map((name, i) => [name, list[i]!]))) as Record<BuiltinName, Builtin>;
