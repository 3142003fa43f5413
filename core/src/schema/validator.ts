// One ajv instance for every contract in schemas/, and ajv errors turned into JSON-pointer details.
import { readFileSync, readdirSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorDetail } from '../errors.ts';
import { schemaPath, schemasDir } from './paths.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under Node's ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

export interface SchemaCheck<T> {
  (value: unknown): value is T;
  /** Details of the last failed check, one per problem, each naming its JSON pointer. */
  details(): ErrorDetail[];
}

let shared: Ajv2020 | undefined;

/** The ajv instance holding every schema under schemas/, so `$ref`s between files resolve. */
export function schemaRegistry(): Ajv2020 {
  if (shared) return shared;
  const ajv = new Ajv2020({ allErrors: true, strict: true, useDefaults: true, allowUnionTypes: true, verbose: true });
  addFormats(ajv);
  for (const file of listSchemaFiles('')) ajv.addSchema(JSON.parse(readFileSync(schemaPath(file), 'utf8')), file);
  shared = ajv;
  return ajv;
}

function listSchemaFiles(dir: string): string[] {
  return readdirSync(schemasDir + dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return listSchemaFiles(rel);
    return entry.name.endsWith('.schema.json') ? [rel] : [];
  });
}

/** A type guard for the schema at `schemas/<file>` that remembers why the last value failed. */
export function schemaCheck<T>(file: string): SchemaCheck<T> {
  const validate = schemaRegistry().getSchema(file) as ValidateFunction<T> | undefined;
  if (!validate) throw new Error(`no schema registered as ${file}`);
  let last: ErrorDetail[] = [];
  const check = ((value: unknown): value is T => {
    const ok = validate(value);
    last = ok ? [] : toDetails(validate.errors ?? []);
    return ok;
  }) as SchemaCheck<T>;
  check.details = () => last;
  return check;
}

/** ajv's errors as `{ pointer, message }`, keeping the most specific one per pointer. */
export function toDetails(errors: ErrorObject[]): ErrorDetail[] {
  const seen = new Map<string, string>();
  for (const error of errors) {
    const { pointer, message } = describe(error);
    // anyOf branches repeat the same place; the first, most specific message wins.
    if (!seen.has(pointer) || error.keyword === 'additionalProperties') seen.set(pointer, message);
  }
  return [...seen].map(([pointer, message]) => ({ pointer, message }));
}

function describe(error: ErrorObject): ErrorDetail {
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
