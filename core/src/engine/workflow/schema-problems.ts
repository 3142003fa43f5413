// The workflow schema's verdict as one detail per problem: ajv reports every failing alternative of a oneOf
// or anyOf, so the alternatives that do not fit the value are dropped before its errors become details.
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { ErrorDetail } from '../../errors.ts';
import type { Workflow } from '../../generated/workflow.ts';
import { schemaRegistry, toDetails } from '../../schema/validator.ts';
import { field, isObject, stepKinds, type StepAt } from './walk.ts';

let compiled: ValidateFunction<Workflow> | undefined;

function validator(): ValidateFunction<Workflow> {
  compiled ??= schemaRegistry().getSchema('workflow.schema.json') as ValidateFunction<Workflow>;
  return compiled;
}

/** A place where the schema picks one alternative by which key is present: a step, or the trigger. */
interface KindSite {
  kinds: readonly string[];
  present: string[];
  /** Keys that belong to one kind only, by kind. */
  own: Readonly<Record<string, readonly string[]>>;
  /** What to say when not exactly one kind key is present. */
  what: string;
}

const actionOnly = ['input', 'retry', 'timeoutMs'];

/** Validates `value` in place (schema defaults are written into it) and returns its problems. */
export function schemaProblems(value: unknown, steps: readonly StepAt[]): ErrorDetail[] {
  const validate = validator();
  if (validate(value)) return [];
  const sites = new Map<string, KindSite>();
  for (const at of steps) sites.set(at.pointer, { kinds: stepKinds, present: at.kinds, own: { action: actionOnly }, what: 'step' });
  const trigger = field(value, 'trigger');
  if (isObject(trigger)) {
    const kinds = ['event', 'plugin'];
    sites.set('/trigger', { kinds, present: kinds.filter((k) => Object.hasOwn(trigger, k)), own: {}, what: 'trigger' });
  }
  const details: ErrorDetail[] = [];
  const errors = pruneAlternatives(dropKindNoise(validate.errors ?? [], sites), details);
  for (const [pointer, site] of sites) {
    if (site.present.length !== 1) details.push({ pointer, message: kindMessage(site) });
  }
  return [...toDetails(errors.map(asAdditional(sites))), ...details];
}

// The kind alternatives' own complaints (missing kind keys, no or several alternatives passing, keys of a
// failing alternative left unevaluated) restate what kindMessage says once, or hide the real error below.
function dropKindNoise(errors: ErrorObject[], sites: Map<string, KindSite>): ErrorObject[] {
  return errors.filter((error) => {
    const site = sites.get(error.instancePath);
    if (!site) return true;
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'oneOf') return false;
    if (error.keyword === 'required') return !site.kinds.includes(String(params.missingProperty));
    if (error.keyword === 'unevaluatedProperties') {
      const key = String(params.unevaluatedProperty);
      return !site.kinds.includes(key) && !site.present.some((kind) => site.own[kind]?.includes(key));
    }
    return true;
  });
}

function kindMessage(site: KindSite): string {
  const list = quoted(site.kinds, 'or');
  if (site.present.length === 0) return `must have one of ${list}`;
  return `has ${quoted(site.present, 'and')}: a ${site.what} has exactly one of ${list}`;
}

function quoted(keys: readonly string[], last: string): string {
  const q = keys.map((k) => `"${k}"`);
  return q.length < 2 ? q.join('') : `${q.slice(0, -1).join(', ')} ${last} ${q.at(-1)}`;
}

/**
 * For each failed anyOf/oneOf, keeps the errors of the alternatives whose type fits the value (a string
 * wait is a duration, an object one has `until`). When none fits, one detail says what was expected.
 */
function pruneAlternatives(errors: ErrorObject[], details: ErrorDetail[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  for (const error of errors) {
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') continue;
    if (error.keyword === 'oneOf' && (error.params as { passingSchemas?: unknown }).passingSchemas) continue;
    const at = error.instancePath;
    const prefix = `${error.schemaPath}/`;
    const branches = new Map<number, ErrorObject[]>();
    for (const other of errors) {
      if (other === error || !other.schemaPath.startsWith(prefix)) continue;
      if (other.instancePath !== at && !other.instancePath.startsWith(`${at}/`)) continue;
      const index = Number(other.schemaPath.slice(prefix.length).split('/')[0]);
      branches.set(index, [...(branches.get(index) ?? []), other]);
    }
    const count = Array.isArray(error.schema) ? error.schema.length : branches.size;
    const misfits = [...branches].filter(([, list]) => list.some((e) => e.instancePath === at && e.keyword === 'type'));
    if (misfits.length === 0) continue;
    dropped.add(error);
    for (const [, list] of misfits) for (const e of list) dropped.add(e);
    if (misfits.length === count) {
      const hint = (error.parentSchema as { description?: string } | undefined)?.description;
      const types = misfits.map(([, list]) => (list.find((e) => e.keyword === 'type')!.params as { type: string }).type);
      details.push({ pointer: at || '/', message: `must be ${hint ?? types.join(' or ')}` });
    }
  }
  return errors.filter((e) => !dropped.has(e));
}

// ajv says "must NOT have unevaluated properties" at the object; name the key instead, as for additionalProperties.
function asAdditional(sites: Map<string, KindSite>) {
  return (error: ErrorObject): ErrorObject => {
    if (error.keyword !== 'unevaluatedProperties') return error;
    const key = String((error.params as { unevaluatedProperty: unknown }).unevaluatedProperty);
    const site = sites.get(error.instancePath);
    const owner = site && Object.entries(site.own).find(([, keys]) => keys.includes(key))?.[0];
    if (owner) {
      return { ...error, keyword: 'owned', instancePath: `${error.instancePath}/${escape(key)}`, message: `is allowed on ${owner} steps only` };
    }
    return { ...error, keyword: 'additionalProperties', params: { additionalProperty: key } };
  };
}

function escape(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
