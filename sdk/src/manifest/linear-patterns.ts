// Vendor schemas' regular expressions run in the host process when inputs and outputs are validated, so they run
// on V8's linear-time engine (the `l` flag). That engine has no unicode mode, so plugin patterns are compiled
// without `u` (matched per UTF-16 code unit), and patterns it cannot run (backreferences, lookarounds, \p{…},
// nested counted repetitions) are refused when the manifest is validated, by the host and by lianjie-plugin validate.
import v8 from 'node:v8';
import type { SchemaProblem } from '../schema-details.ts';

let enabled = false;

// The `l` flag is behind a V8 flag; setting it only allows that flag, no other RegExp changes behaviour. The host
// sets the same flag for workflow expressions (core/src/linear-regexp.ts); setting it twice is harmless.
function enableLinearFlag(): void {
  if (enabled) return;
  enabled = true;
  v8.setFlagsFromString('--enable-experimental-regexp-engine');
}

/** ajv's `code.regExp`: every plugin pattern on the linear engine. */
export const linearRegExp = Object.assign(
  (pattern: string, flags: string) => {
    enableLinearFlag();
    return new RegExp(pattern, `${flags.replace('u', '')}l`);
  },
  { code: 'new RegExp' },
);

/** V8's reason the linear engine refuses `pattern`, or undefined when it runs it. */
function refusal(pattern: string): string | undefined {
  enableLinearFlag();
  try {
    new RegExp(pattern);
  } catch {
    return undefined; // not a regular expression at all: the schema compile reports that
  }
  try {
    new RegExp(pattern, 'l');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Every `pattern` and `patternProperties` key under `schema` that the linear engine cannot run. */
export function nonLinearPatterns(schema: unknown, pointer: string): SchemaProblem[] {
  const found: SchemaProblem[] = [];
  const problem = (at: string, pattern: string) => {
    const why = refusal(pattern);
    if (why) found.push({ pointer: at, message: `cannot run in linear time (${why}); plugin schemas may only use regular expressions without backreferences, lookarounds, unicode escapes or nested counted repetitions` });
  };
  const escape = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');
  const visit = (node: unknown, at: string, depth: number) => {
    if (depth > 64 || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${at}/${i}`, depth + 1));
    for (const [key, value] of Object.entries(node)) {
      const here = `${at}/${escape(key)}`;
      if (key === 'pattern' && typeof value === 'string') problem(here, value);
      if (key === 'patternProperties' && typeof value === 'object' && value !== null) {
        for (const name of Object.keys(value)) problem(`${here}/${escape(name)}`, name);
      }
      visit(value, here, depth + 1);
    }
  };
  visit(schema, pointer, 0);
  return found;
}
