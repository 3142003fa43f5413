// JSONata's builtin functions as workflow expressions get them: each checks the evaluation's clock before it runs.
// The hooks see every call an expression makes; only guarding the functions themselves covers the calls one
// builtin makes to another ($reduce(xs, $append), $map(xs, $string)), which no hook sees.
import type jsonata from 'jsonata';
import { checkTime, guardOf } from './guard.ts';
import { builtinNames, originals, type Builtin, type Focus, type Implementation } from './originals.ts';
import { replacements } from './replacements.ts';

/** `original` with `implementation` (by default its own) run after a check of the clock. */
export function guarded(original: Builtin, implementation: Implementation = original.implementation): Builtin {
  const wrapper = function (this: Focus, ...args: never[]): unknown {
    checkTime(guardOf(this.environment));
    return implementation.apply(this, args);
  };
  // Partial application ($pad(?, 5)) reads a native's parameter names from its source text.
  Object.defineProperty(wrapper, 'toString', { value: () => original.implementation.toString() });
  return { ...original, implementation: wrapper };
}

const guardedBuiltins = builtinNames.map((name) => [name, guarded(originals[name], replacements[name])] as const);

/** Binds the guarded builtins on a freshly compiled expression, in front of JSONata's own. */
export function installBuiltins(expression: jsonata.Expression): void {
  for (const [name, definition] of guardedBuiltins) expression.assign(name, definition);
}
