// Compiles a plugin's own (vendor-supplied) JSON Schemas, in an ajv instance per plugin version, never the host's
// registry. Shared by the host (loading, validating inputs and outputs) and lianjie-plugin validate, so a schema
// that validate passes compiles in the host.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { toDetails, type SchemaProblem } from '../schema-details.ts';
import { linearRegExp } from './linear-patterns.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under Node's ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

export const draft2020 = 'https://json-schema.org/draft/2020-12/schema';

export type CompiledSchema = { ok: true; validate: ValidateFunction } | { ok: false; details: SchemaProblem[] };

/**
 * A fresh instance for one plugin version. Separate from the shared registry so a vendor's `$id` can neither
 * collide with nor shadow a host contract, and one plugin's schemas never resolve another's.
 * Union types are allowed (nullable fields are common); everything else strict mode refuses is refused.
 * Defaults are applied wherever a plugin schema validates (callers validate a copy). The meta-schema check
 * runs in `metaChecker` instead, so each instance does not compile the 2020-12 meta-schema again (~15 ms).
 */
export function createPluginAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, useDefaults: true, validateSchema: false, code: { regExp: linearRegExp } });
  addFormats(ajv);
  return ajv;
}

let meta: Ajv2020 | undefined;

// Only ever asked to validateSchema, which adds nothing to it, so one instance serves every plugin.
function metaChecker(): Ajv2020 {
  meta ??= new Ajv2020({ allErrors: true, strict: true });
  return meta;
}

/** Compiles the schema embedded at `pointer` of a manifest; problems come back as details under that pointer. */
export function compileEmbedded(ajv: Ajv2020, pointer: string, schema: unknown): CompiledSchema {
  if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
    return fail(pointer, 'must be a JSON Schema (an object or a boolean)');
  }
  const declared = typeof schema === 'object' ? (schema as { $schema?: unknown }).$schema : undefined;
  if (declared !== undefined && declared !== draft2020) {
    return fail(`${pointer}/$schema`, `must be ${draft2020} (or left out): plugin schemas are JSON Schema 2020-12`);
  }
  const checker = metaChecker();
  if (!checker.validateSchema(schema)) {
    return { ok: false, details: toDetails(checker.errors ?? []).map((d) => ({ pointer: under(pointer, d.pointer), message: `${d.message} (JSON Schema 2020-12)` })) };
  }
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    return fail(pointer, `does not compile: ${error instanceof Error ? error.message : String(error)}`);
  }
  // An $async schema's validator returns a promise, which is truthy: every value would pass a synchronous check.
  if ((validate as { $async?: unknown }).$async) return fail(`${pointer}/$async`, 'asynchronous schemas are not supported');
  return { ok: true, validate };
}

/** `inner` (a pointer into the embedded schema, '/' for its root) placed under `outer`. */
export function under(outer: string, inner: string): string {
  return inner === '/' || inner === '' ? outer : outer + inner;
}

function fail(pointer: string, message: string): CompiledSchema {
  return { ok: false, details: [{ pointer, message }] };
}
