// plugin.json against the manifest schema, from the byte copies in sdk/schemas (npm run gen), compiled with the
// options of the host's registry (core/src/schema/validator.ts) so each problem is worded as the host words it.
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { toDetails, type SchemaProblem } from '../schema-details.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under Node's ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

const schemas = new URL('../../schemas/', import.meta.url);

// The manifest's permissions refer to the capabilities' schemas: every one shipped, so a new capability needs no edit here.
function schemaFiles(): string[] {
  const capabilities = readdirSync(new URL('capabilities/', schemas)).filter((name) => name.endsWith('.schema.json'));
  return ['plugin-manifest.schema.json', ...capabilities.map((name) => `capabilities/${name}`)];
}

let validate: ValidateFunction | undefined;

/**
 * The manifest schema's problems with `manifest`, whose schema defaults (`idempotent: false`) are filled in as
 * the host fills them in: pass a copy. `verbose` lets a pattern's problem say what it wants (its description).
 */
export function manifestSchemaProblems(manifest: unknown): SchemaProblem[] {
  if (!validate) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, useDefaults: true, allowUnionTypes: true, verbose: true });
    addFormats(ajv);
    for (const file of schemaFiles()) ajv.addSchema(JSON.parse(readFileSync(new URL(file, schemas), 'utf8')) as object);
    validate = ajv.getSchema('https://lianjie.dev/schemas/plugin-manifest.schema.json')!;
  }
  return validate(manifest) ? [] : toDetails(validate.errors ?? []);
}
