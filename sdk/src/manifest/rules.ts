// The manifest rules JSON Schema cannot express: unique handler ids, http permission and hosts together, an object
// config, cron expressions that parse, event types that exist, config migrations from earlier majors only.
import { Cron } from 'croner';
import { sampleEvents } from '../generated/sample-events.ts';
import type { SchemaProblem } from '../schema-details.ts';
import { field, items } from './embedded-schemas.ts';

/** Problems with the cross-field rules; reads `manifest` defensively, so it also runs on one that failed its schema. */
export function manifestRuleProblems(manifest: unknown): SchemaProblem[] {
  return [
    ...duplicateIds(manifest, 'actions', 'action'), ...duplicateIds(manifest, 'triggers', 'trigger'), ...httpProblems(manifest),
    ...configProblems(manifest), ...cronProblems(manifest), ...eventProblems(manifest), ...migrationProblems(manifest),
  ];
}

// Actions and triggers are separate namespaces: a workflow names `plugin/action`, a webhook `installId/trigger`.
function duplicateIds(manifest: unknown, base: 'actions' | 'triggers', what: string): SchemaProblem[] {
  const details: SchemaProblem[] = [];
  const seen = new Map<string, number>();
  items(manifest, base).forEach((item, i) => {
    const id = field(item, 'id');
    if (typeof id !== 'string') return;
    const earlier = seen.get(id);
    if (earlier === undefined) seen.set(id, i);
    else details.push({ pointer: `/${base}/${i}/id`, message: `${what} id "${id}" is already used at /${base}/${earlier}/id` });
  });
  return details;
}

function httpProblems(manifest: unknown): SchemaProblem[] {
  const permitted = items(manifest, 'permissions').includes('http');
  // An `http` object without `hosts` is the manifest schema's to report (/http/hosts is required).
  if (permitted && field(manifest, 'http') === undefined) {
    return [{ pointer: '/http', message: 'is required with the "http" permission: list the hosts the plugin may fetch in http.hosts' }];
  }
  if (!permitted && field(manifest, 'http') !== undefined) {
    return [{ pointer: '/http', message: 'lists hosts, but /permissions does not declare "http"' }];
  }
  return [];
}

// An install's config is a set of named settings; a scalar or array config has nowhere for defaults to go.
function configProblems(manifest: unknown): SchemaProblem[] {
  const config = field(manifest, 'config');
  if (config === undefined) return [];
  if (field(config, 'type') !== 'object') return [{ pointer: '/config', message: 'must be an object schema ("type": "object")' }];
  return [];
}

// A schedule trigger's cron is parsed as the scheduler will parse it, so a typo is refused when the plugin is loaded.
function cronProblems(manifest: unknown): SchemaProblem[] {
  return items(manifest, 'triggers').flatMap((trigger, i) => {
    const cron = field(trigger, 'cron');
    if (field(trigger, 'kind') !== 'schedule' || typeof cron !== 'string') return [];
    try {
      new Cron(cron, { paused: true }).stop();
      return [];
    } catch (error) {
      return [{ pointer: `/triggers/${i}/cron`, message: `is not a cron expression: ${error instanceof Error ? error.message : String(error)}` }];
    }
  });
}

// One sample per canonical type is generated from the host's normaliser (a test holds the two lists equal).
const eventTypes: readonly string[] = Object.keys(sampleEvents);

// The schema only checks an event type's shape: a misspelt type would never fire, so it is refused instead.
function eventProblems(manifest: unknown): SchemaProblem[] {
  return items(manifest, 'triggers').flatMap((trigger, i) => {
    if (field(trigger, 'kind') !== 'event') return [];
    return items(trigger, 'events').flatMap((event, j) =>
      typeof event !== 'string' || eventTypes.includes(event) ? [] : [{ pointer: `/triggers/${i}/events/${j}`, message: `"${event}" is not a canonical event type (see the SDK's EventsByType)` }]);
  });
}

// A migration is picked by the major an install comes from: two from one major would leave the choice open, and one
// from this major or a later one would never run (an upgrade within a major keeps its config as it is).
function migrationProblems(manifest: unknown): SchemaProblem[] {
  const major = majorOf(field(manifest, 'version'));
  const seen = new Map<number, number>();
  return items(manifest, 'configMigrations').flatMap((migration, i) => {
    const from = field(migration, 'from');
    if (typeof from !== 'number' || !Number.isInteger(from)) return [];
    const pointer = `/configMigrations/${i}/from`;
    const earlier = seen.get(from);
    if (earlier !== undefined) return [{ pointer, message: `a migration from major ${from} is already declared at /configMigrations/${earlier}/from` }];
    seen.set(from, i);
    if (major !== undefined && from >= major) return [{ pointer, message: `must be below this version's major (${major}): a migration comes from an earlier major` }];
    return [];
  });
}

/** The major of a semantic version string, or undefined when it is not one (the schema reports that). */
function majorOf(version: unknown): number | undefined {
  const match = typeof version === 'string' ? /^(0|[1-9]\d*)\./.exec(version) : null;
  return match ? Number(match[1]) : undefined;
}
