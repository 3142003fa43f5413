// The schemas the test host checks against: the plugin's own (inputs, outputs, config; defaults applied, as the
// host applies them) and the capabilities' argument schemas shipped in the SDK's schemas/ folder.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { PluginManifest } from '../generated/plugin-manifest.ts';
import { toDetails, type SchemaProblem } from '../schema-details.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under Node's ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

export type Check = (value: unknown) => { ok: true; value: unknown } | { ok: false; details: SchemaProblem[] };

/** A check that fills in defaults on a copy of the value, as the host does, and reports problems by JSON pointer. */
function checkOf(validate: ValidateFunction): Check {
  return (value) => {
    const copy = value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
    return validate(copy) ? { ok: true, value: copy } : { ok: false, details: toDetails(validate.errors ?? []) };
  };
}

const anything: Check = (value) => ({ ok: true, value: value === undefined ? null : JSON.parse(JSON.stringify(value)) });

export interface PluginChecks {
  input(kind: 'action' | 'trigger', id: string): Check;
  output(kind: 'action' | 'trigger', id: string): Check;
  config: Check;
}

/** Compiles the manifest's embedded schemas with the options the host uses (strict, union types, defaults). */
export function compilePluginSchemas(manifest: PluginManifest): PluginChecks {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, useDefaults: true });
  addFormats(ajv);
  const compile = (schema: unknown, where: string): Check => {
    try {
      return checkOf(ajv.compile(schema as object));
    } catch (error) {
      throw new Error(`plugin.json ${where} does not compile: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const checks = new Map<string, Check>();
  manifest.actions.forEach((action, i) => {
    checks.set(`action:${action.id}:input`, compile(action.input, `/actions/${i}/input`));
    checks.set(`action:${action.id}:output`, compile(action.output, `/actions/${i}/output`));
  });
  manifest.triggers.forEach((trigger, i) => {
    const { input, output } = trigger as { input?: unknown; output?: unknown };
    checks.set(`trigger:${trigger.id}:input`, input === undefined ? anything : compile(input, `/triggers/${i}/input`));
    checks.set(`trigger:${trigger.id}:output`, output === undefined ? anything : compile(output, `/triggers/${i}/output`));
  });
  // Without a config schema the plugin takes no settings: any key is one it would never read.
  const config = compile(manifest.config ?? { type: 'object', additionalProperties: false }, '/config');
  const get = (key: string) => {
    const check = checks.get(key);
    if (!check) throw new Error(`no ${key.split(':').slice(0, 2).join(' ')} in plugin.json`);
    return check;
  };
  return {
    input: (kind, id) => get(`${kind}:${id}:input`),
    output: (kind, id) => get(`${kind}:${id}:output`),
    config,
  };
}

const capabilitySchemas = new URL('../../schemas/capabilities/', import.meta.url);
let capabilityAjv: Ajv2020 | undefined;

/** The argument check of `capability.method`, from schemas/capabilities/<capability>.schema.json#/$defs/<method>. */
export function capabilityArgs(capability: string, method: string): Check {
  if (!capabilityAjv) {
    capabilityAjv = new Ajv2020({ allErrors: true, strict: false, useDefaults: true });
    for (const name of ['log', 'store', 'http', 'wecom']) {
      capabilityAjv.addSchema(JSON.parse(readFileSync(new URL(`${name}.schema.json`, capabilitySchemas), 'utf8')) as object);
    }
  }
  const validate = capabilityAjv.getSchema(`https://lianjie.dev/schemas/capabilities/${capability}.schema.json#/$defs/${method}`);
  if (!validate) throw new Error(`no argument schema for ${capability}.${method}`);
  return checkOf(validate);
}
