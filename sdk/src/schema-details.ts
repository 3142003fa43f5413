// ajv's errors as `{ pointer, message }`: the one shape every boundary of host and SDK reports a bad value in.
import type { ErrorObject } from 'ajv/dist/2020.js';

export interface SchemaProblem {
  /** JSON pointer to the offending value ('/' for the whole value). */
  pointer: string;
  message: string;
}

/** ajv's errors as `{ pointer, message }`, keeping the most specific one per pointer. */
export function toDetails(errors: ErrorObject[]): SchemaProblem[] {
  const seen = new Map<string, string>();
  for (const error of errors) {
    // "must match then schema" only says the if/then failed; the errors inside `then` say where and why.
    if (error.keyword === 'if' && errors.length > 1) continue;
    const { pointer, message } = describe(error);
    // anyOf branches repeat the same place; the first, most specific message wins.
    if (!seen.has(pointer) || error.keyword === 'additionalProperties') seen.set(pointer, message);
  }
  return [...seen].map(([pointer, message]) => ({ pointer, message }));
}

function describe(error: ErrorObject): SchemaProblem {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { pointer: `${at}/${escape(String(params.additionalProperty))}`, message: 'is not an allowed key here' };
    case 'required':
      return { pointer: `${at}/${escape(String(params.missingProperty))}`, message: 'is required' };
    case 'enum':
      return { pointer: at || '/', message: `must be one of ${JSON.stringify(params.allowedValues)}` };
    case 'pattern': {
      const hint = (error.parentSchema as { description?: string } | undefined)?.description;
      return { pointer: at || '/', message: hint ? `must be ${hint}` : `must match ${String(params.pattern)}` };
    }
    default:
      return { pointer: at || '/', message: error.message ?? error.keyword };
  }
}

function escape(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
