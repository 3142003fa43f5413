// The compiled validators of one plugin version's embedded schemas, created once and cached.
import { createHash } from 'node:crypto';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { LianjieError, type ErrorDetail } from '../errors.ts';
import type { PluginManifest } from '../../../sdk/src/generated/plugin-manifest.ts';
import { toDetails } from '../schema/validator.ts';
import { embeddedSchemas } from '../../../sdk/src/manifest/embedded-schemas.ts';
import { compileEmbedded, createPluginAjv } from '../../../sdk/src/manifest/plugin-ajv.ts';
import { summarize } from './summary.ts';

/**
 * `value` is a copy of what was checked with the schema's defaults filled in; the argument itself is never
 * changed. Defaults apply to every plugin schema alike, inputs, outputs and config: callers pass `value` on.
 */
export type Validation = { ok: true; value: unknown } | { ok: false; details: ErrorDetail[] };
/**
 * `inPlace`: the caller owns `value` (a fresh parse, say), so defaults are written into it and no copy is
 * made; copying costs more than validating on the sandbox's hot path.
 */
export type Validator = ((value: unknown, options?: { inPlace?: boolean }) => Validation) & {
  /** Whether validating can change the value (the schema declares defaults). */
  readonly appliesDefaults: boolean;
};

export interface PluginSchemas {
  /** Throws action.not_found for an id the manifest does not declare. */
  actionInput(id: string): Validator;
  actionOutput(id: string): Validator;
  /** A webhook trigger's request body; a trigger without an `input` schema accepts any value. */
  triggerInput(id: string): Validator;
  triggerOutput(id: string): Validator;
  /** The install config; without a `config` schema, only an empty object. Pointers are relative to the config. */
  config: Validator;
}

// Without a config schema the plugin takes no settings: any key is one it would never read.
const noConfig = { type: 'object', additionalProperties: false };

const maxCached = 256;
const byKey = new Map<string, PluginSchemas>();
const byManifest = new WeakMap<PluginManifest, PluginSchemas>();

/**
 * Validators for a manifest that passed parseManifest. Cached per `id@version` and a hash of the manifest
 * itself: a republished or edited plugin.json with the same version gets its own validators, and the same
 * version loaded twice (another manifest object) shares one set.
 */
export function pluginSchemas(manifest: PluginManifest): PluginSchemas {
  const known = byManifest.get(manifest);
  if (known) return known;
  const key = `${manifest.id}@${manifest.version}#${createHash('sha256').update(JSON.stringify(manifest)).digest('hex')}`;
  let schemas = byKey.get(key);
  if (schemas) {
    byKey.delete(key); // re-inserted below: the Map's order is its recency
  } else {
    schemas = compileAll(manifest);
    if (byKey.size >= maxCached) byKey.delete(byKey.keys().next().value!);
  }
  byKey.set(key, schemas);
  byManifest.set(manifest, schemas);
  return schemas;
}

function compileAll(manifest: PluginManifest): PluginSchemas {
  const ajv = createPluginAjv();
  const compiled = new Map<string, ValidateFunction>();
  const problems: ErrorDetail[] = [];
  // The same order as parseManifest compiles them, so `$id` clashes and references behave the same.
  for (const { pointer, schema } of embeddedSchemas(manifest)) {
    const result = compileEmbedded(ajv, pointer, schema);
    if (result.ok) compiled.set(pointer, result.validate);
    else problems.push(...result.details);
  }
  if (problems.length > 0) {
    throw new LianjieError('manifest.invalid', `plugin ${manifest.id}@${manifest.version} has schemas that do not compile: ${summarize(problems)}`, problems);
  }
  const at = (pointer: string): Validator => {
    const validate = compiled.get(pointer);
    return validate ? validator(validate) : acceptAny;
  };
  const handler = (kind: 'actions' | 'triggers', key: 'input' | 'output') => (id: string): Validator => {
    const index = (kind === 'actions' ? manifest.actions : manifest.triggers).findIndex((item) => item.id === id);
    if (index === -1) throw notDeclared(manifest, kind, id);
    return at(`/${kind}/${index}/${key}`);
  };
  return {
    actionInput: handler('actions', 'input'),
    actionOutput: handler('actions', 'output'),
    triggerInput: handler('triggers', 'input'),
    triggerOutput: handler('triggers', 'output'),
    config: manifest.config === undefined ? validator(ajv.compile(noConfig)) : at('/config'),
  };
}

function validator(validate: ValidateFunction): Validator {
  const check = (value: unknown, options?: { inPlace?: boolean }): Validation => {
    // ajv writes defaults into what it validates.
    const target = options?.inPlace ? value : structuredClone(value);
    return validate(target) ? { ok: true, value: target } : { ok: false, details: toDetails(validate.errors ?? []) };
  };
  return Object.assign(check, { appliesDefaults: JSON.stringify(validate.schema).includes('"default"') });
}

const acceptAny: Validator = Object.assign(
  (value: unknown, options?: { inPlace?: boolean }): Validation => ({ ok: true, value: options?.inPlace ? value : structuredClone(value) }),
  { appliesDefaults: false },
);

function notDeclared(manifest: PluginManifest, kind: 'actions' | 'triggers', id: string): LianjieError {
  const what = `plugin ${manifest.id}@${manifest.version} has no ${kind === 'actions' ? 'action' : 'trigger'} "${id}"`;
  // errors.ts has no trigger.not_found: the trigger kinds look triggers up in the manifest before asking here.
  return new LianjieError(kind === 'actions' ? 'action.not_found' : 'internal', what, [{ pointer: `/${kind}`, message: `has no id "${id}"` }]);
}
