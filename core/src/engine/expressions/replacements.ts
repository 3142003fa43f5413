// The builtins whose JSONata implementation costs more than their input's size suggests, replaced or capped.
// Measured on Node 24 with JSONata 2.2: $sort of 50,000 numbers 5.5 s and 3 GB (500,000 killed the process);
// $spread of 100,000 objects 56 s; $distinct of 100,000 numbers 2 s; $pad 110 ms per million characters.
import { maxDistinctItems, maxEvalChars } from './budget.ts';
import { guardOf, stop } from './guard.ts';
import { originals, type BuiltinName, type Focus, type Implementation } from './originals.ts';

/** $pad in linear time, refusing to pad past the output budget. JSONata's repeats a long padding whole, too. */
function pad(this: Focus, str: string | undefined, width: number, char?: string): string | undefined {
  if (str === undefined) return undefined;
  const unit = [...(char === undefined || char.length === 0 ? ' ' : char)];
  const padLength = Math.abs(Math.trunc(width)) - [...str].length;
  if (padLength <= 0) return str;
  const guard = guardOf(this.environment);
  if (padLength > guard.budget.maxOutputBytes) {
    stop(guard, { reason: 'size', message: `built a string larger than ${guard.budget.maxOutputBytes} bytes ($pad to ${width})` });
  }
  // The first padLength code points of the padding repeated, as JSONata defines it.
  const padding = unit.join('').repeat(Math.floor(padLength / unit.length)) + unit.slice(0, padLength % unit.length).join('');
  return width > 0 ? str + padding : padding + str;
}

const ascending = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);

/** $sort without a comparator on V8's stable sort, which orders exactly as JSONata's stable merge sort. */
function sort(this: Focus, arr: unknown[] | undefined, comparator?: unknown): unknown {
  const all = (type: string) => arr!.every((item) => typeof item === type);
  if (comparator !== undefined || arr === undefined || arr.length <= 1 || !(all('number') || all('string'))) {
    // JSONata's own keeps its error for mixed types; comparator calls go through the hooks or guarded builtins.
    return originals.sort.implementation.call(this, arr as never, comparator as never);
  }
  return Array.from(arr as (number | string)[]).sort(ascending);
}

/** $spread in linear time: JSONata's own copies its result for each item. Functions are not spread into their parts. */
function spread(this: Focus, arg: unknown): unknown {
  if (!Array.isArray(arg) && !isSpreadable(arg)) return arg;
  const result = this.createSequence();
  const visit = (item: unknown): void => {
    if (Array.isArray(item)) item.forEach(visit);
    else if (isSpreadable(item)) {
      for (const key of Object.keys(item)) result.push(Object.assign(Object.create(null) as object, { [key]: item[key] }));
    } else if (item !== undefined) result.push(item);
  };
  visit(arg);
  return result;
}

function isSpreadable(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const marked = value as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return marked._jsonata_lambda !== true && marked._jsonata_function !== true;
}

/** $distinct compares each item with every one kept so far: capped. */
function distinct(this: Focus, arr: unknown): unknown {
  if (Array.isArray(arr) && arr.length > maxDistinctItems) {
    stop(guardOf(this.environment), { reason: 'size', message: `called $distinct on more than ${maxDistinctItems} items` });
  }
  return originals.distinct.implementation.call(this, arr as never);
}

/** $eval parses in the host at ~100 ms per MB of source: capped. What it evaluates runs under the same guard. */
function evaluate(this: Focus, expr: unknown, focus?: unknown): unknown {
  if (typeof expr === 'string' && expr.length > maxEvalChars) {
    stop(guardOf(this.environment), { reason: 'size', message: `called $eval on more than ${maxEvalChars} characters` });
  }
  return originals.eval.implementation.call(this, expr as never, focus as never);
}

export const replacements: Partial<Record<BuiltinName, Implementation>> = { pad, sort, spread, distinct, eval: evaluate };
