// An action step's input checked against the action's input schema as far as it is known before the run:
// entirely when it holds no {{ }} templates, else only what no template can change.
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { ErrorDetail } from '../../errors.ts';
import type { PluginManifest } from '../../../../sdk/src/generated/plugin-manifest.ts';
import { compileEmbedded, createPluginAjv, under } from '../../../../sdk/src/manifest/plugin-ajv.ts';
import { pluginSchemas } from '../../plugins/plugin-schemas.ts';
import { toDetails } from '../../schema/validator.ts';
import { hasTemplates } from './scan.ts';
import { isObject, type JsonObject } from './walk.ts';

/**
 * Problems at pointers under `pointer` (the step's /input). With templates, a top-level key whose value holds
 * none is checked in full, and so are the object's own rules (required keys, unknown keys), but only when the
 * schema's top level judges each key on its own (no anyOf, oneOf, allOf, not, if, enum, const): then a
 * template's value, whatever it turns out to be, cannot change those verdicts. Otherwise nothing is checked.
 */
export function literalInputProblems(manifest: PluginManifest, actionId: string, input: unknown, pointer: string): ErrorDetail[] {
  const value = input === undefined ? {} : input;
  if (!isObject(value)) return [];
  if (!hasTemplates(value)) {
    const result = pluginSchemas(manifest).actionInput(actionId)(value);
    return result.ok ? [] : result.details.map((d) => ({ pointer: under(pointer, d.pointer), message: d.message }));
  }
  const validate = partialValidator(manifest, actionId);
  if (!validate || validate(structuredClone(value))) return [];
  const literal = new Set(Object.keys(value).filter((key) => !hasTemplates(value[key])));
  const known = (validate.errors ?? []).filter((e) => e.instancePath === '' || literal.has(topKey(e)));
  return toDetails(known).map((d) => ({ pointer: under(pointer, d.pointer), message: d.message }));
}

function topKey(error: ErrorObject): string {
  return error.instancePath.split('/')[1]!.replaceAll('~1', '/').replaceAll('~0', '~');
}

// Keywords that judge an object by its keys alone, or by each key's value on its own.
const keyWise = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'patternProperties', 'propertyNames', 'unevaluatedProperties',
  'minProperties', 'maxProperties', 'dependentRequired',
  '$schema', '$id', '$defs', 'definitions', '$comment', '$anchor', 'title', 'description', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly',
]);

const cache = new WeakMap<PluginManifest, Map<string, ValidateFunction | undefined>>();

/** The action's input validator when its top level is key-wise; compiled as pluginSchemas compiles it. */
function partialValidator(manifest: PluginManifest, actionId: string): ValidateFunction | undefined {
  let byAction = cache.get(manifest);
  if (!byAction) cache.set(manifest, (byAction = new Map()));
  if (byAction.has(actionId)) return byAction.get(actionId);
  const index = manifest.actions.findIndex((a) => a.id === actionId);
  const schema = manifest.actions[index]?.input;
  let validate: ValidateFunction | undefined;
  if (isObject(schema) && isKeyWise(schema)) {
    const compiled = compileEmbedded(createPluginAjv(), `/actions/${index}/input`, schema);
    if (compiled.ok) validate = compiled.validate;
  }
  byAction.set(actionId, validate);
  return validate;
}

function isKeyWise(schema: JsonObject): boolean {
  const top = rootOf(schema);
  return top !== undefined && Object.keys(top).every((k) => keyWise.has(k));
}

const metaOnly = new Set(['$ref', '$schema', '$id', '$defs', 'definitions', '$comment', 'title', 'description']);

// A schema whose top level is only a `$ref` to one of its own definitions is judged by that definition.
function rootOf(schema: JsonObject): JsonObject | undefined {
  if (schema.$ref === undefined) return schema;
  if (typeof schema.$ref !== 'string' || !Object.keys(schema).every((k) => metaOnly.has(k))) return undefined;
  const match = /^#\/(\$defs|definitions)\/([^/~]+)$/.exec(schema.$ref);
  const target = match ? (schema[match[1]!] as JsonObject | undefined)?.[match[2]!] : undefined;
  return isObject(target) && target.$ref === undefined ? target : undefined;
}
