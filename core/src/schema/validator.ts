// One ajv instance for every contract in schemas/, and ajv errors turned into JSON-pointer details.
import { readFileSync, readdirSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorDetail } from '../errors.ts';
import { toDetails } from '../../../sdk/src/schema-details.ts';
import { schemaPath, schemasDir } from './paths.ts';

export { toDetails };

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
