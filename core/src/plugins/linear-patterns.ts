// Vendor schemas' regular expressions run in the host process, so they must run in linear time.
//
// V8's linear-time engine takes over from backtracking after too many backtracks once the flag below is
// set, which defuses catastrophic patterns such as ^(a+)+$. It cannot run backreferences, lookarounds or
// anything in unicode mode (the `u` flag ajv adds by default), so plugin patterns are compiled without `u`
// (matched per UTF-16 code unit) and patterns that need backtracking or unicode mode are refused: with
// them a vendor pattern could still stall every tenant's host.
import v8 from 'node:v8';
import type { ErrorDetail } from '../errors.ts';

let enabled = false;

/** Lets V8 fall back to its linear-time engine process-wide; called before any plugin schema is compiled. */
export function enableLinearFallback(): void {
  if (enabled) return;
  enabled = true;
  v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
}

const needsBacktracking = /\\[1-9]|\\k<|\(\?<?[=!]|\\[pP]\{|\\u\{/;

/** ajv's `code.regExp`: plugin patterns without the `u` flag, so V8 can fall back to its linear engine. */
export const linearRegExp = Object.assign((pattern: string, flags: string) => new RegExp(pattern, flags.replace('u', '')), { code: 'new RegExp' });

/** Every `pattern` and `patternProperties` key under `schema` that the linear engine cannot run. */
export function nonLinearPatterns(schema: unknown, pointer: string): ErrorDetail[] {
  const found: ErrorDetail[] = [];
  const message = 'uses a backreference, a lookaround or a unicode escape (\\p{…}, \\u{…}); plugin schemas may only use regular expressions that run in linear time';
  const visit = (node: unknown, at: string, depth: number) => {
    if (depth > 64 || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${at}/${i}`, depth + 1));
    for (const [key, value] of Object.entries(node)) {
      const here = `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (key === 'pattern' && typeof value === 'string' && needsBacktracking.test(value)) found.push({ pointer: here, message });
      if (key === 'patternProperties' && typeof value === 'object' && value !== null) {
        for (const name of Object.keys(value)) {
          if (needsBacktracking.test(name)) found.push({ pointer: `${here}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`, message });
        }
      }
      visit(value, here, depth + 1);
    }
  };
  visit(schema, pointer, 0);
  return found;
}
