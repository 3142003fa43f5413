// Regular expressions written by vendors and integrators (plugin schema patterns, workflow expressions) run in the
// host process on V8's linear-time engine (the `l` flag), so a pattern matched against event data cannot stall the
// host. Patterns that engine cannot run are refused, with V8's own reason.
//
// Why not V8's backtracking fallback (--enable-experimental-regexp-engine-on-excessive-backtracks): measured on
// Node 24, it does not take over for the `i` or `u` flags or for counted repetitions such as (a{1,30}){1,30},
// which then backtrack for minutes.
import v8 from 'node:v8';

let enabled = false;

/** Allows the `l` (linear) flag process-wide; it only adds that flag, no other RegExp changes behaviour. */
export function enableLinearFlag(): void {
  if (enabled) return;
  enabled = true;
  v8.setFlagsFromString('--enable-experimental-regexp-engine');
}

/** JSONata's `RegexEngine`: each regex of an expression (and of $eval) compiled with the `l` flag. */
export class LinearRegExp extends RegExp {
  constructor(pattern: RegExp | string, flags?: string) {
    const given = flags ?? (typeof pattern === 'string' ? '' : pattern.flags);
    super(pattern, given.includes('l') ? given : `${given}l`);
  }
}

/** Whether V8's linear engine can run `regex`; it refuses what it cannot run when the regex is compiled. */
export function runsInLinearTime(regex: RegExp): boolean {
  enableLinearFlag();
  try {
    new LinearRegExp(regex);
    return true;
  } catch {
    return false;
  }
}
