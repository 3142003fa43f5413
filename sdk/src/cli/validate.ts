// `lianjie-plugin validate`: plugin.json against the manifest schema the host uses (shipped in sdk/schemas), its
// engine range against the engine this SDK builds for, and the bundle's registered handlers against its ids.
// The host checks more when it loads a plugin (embedded schemas compiled strictly, regexes, limits against its
// maxima); what passes here is what an author can get wrong while writing.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { Ajv2020 } from 'ajv/dist/2020.js';
import semver from 'semver';
import { sampleEvents } from '../generated/sample-events.ts';
import { toDetails, type SchemaProblem } from '../schema-details.ts';
import type { PluginDir } from './plugin-dir.ts';

/** The host engine version this SDK builds plugins for. */
export const engineVersion = '1.0.0';

export type Problem = SchemaProblem;

const schemas = new URL('../../schemas/', import.meta.url);
const schemaFiles = ['plugin-manifest', 'capabilities/store', 'capabilities/http', 'capabilities/log'];

let checkManifest: ReturnType<Ajv2020['compile']> | undefined;
function manifestCheck() {
  if (checkManifest) return checkManifest;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  for (const name of schemaFiles) ajv.addSchema(JSON.parse(readFileSync(new URL(`${name}.schema.json`, schemas), 'utf8')));
  checkManifest = ajv.getSchema('https://lianjie.dev/schemas/plugin-manifest.schema.json')!;
  return checkManifest;
}

/** Every problem found, each at its JSON pointer in plugin.json (or at /dist/plugin.js for the bundle). */
export function validatePlugin(dir: PluginDir): Problem[] {
  const invalid = schemaProblems(dir.manifest);
  return invalid.length > 0 ? invalid : [...engineProblems(dir.manifest), ...eventProblems(dir.manifest), ...handlerProblems(dir)];
}

/** plugin.json against the manifest schema and its engine range against this SDK's engine. */
export function manifestProblems(manifest: PluginDir['manifest']): Problem[] {
  const invalid = schemaProblems(manifest);
  return invalid.length > 0 ? invalid : [...engineProblems(manifest), ...eventProblems(manifest)];
}

const eventTypes: readonly string[] = Object.keys(sampleEvents);

/** An event trigger listening for a type no WeCom callback becomes would never fire. */
function eventProblems(manifest: PluginDir['manifest']): Problem[] {
  return manifest.triggers.flatMap((trigger, i) =>
    trigger.kind !== 'event' ? [] : trigger.events.flatMap((event, j) =>
      eventTypes.includes(event) ? [] : [{ pointer: `/triggers/${i}/events/${j}`, message: `"${event}" is not a canonical event type (see the SDK's EventsByType)` }]));
}

function schemaProblems(manifest: PluginDir['manifest']): Problem[] {
  const check = manifestCheck();
  return check(manifest) ? [] : toDetails(check.errors ?? []);
}

function engineProblems(manifest: PluginDir['manifest']): Problem[] {
  if (!semver.validRange(manifest.engine)) return [{ pointer: '/engine', message: `"${manifest.engine}" is not a semver range` }];
  if (!semver.satisfies(engineVersion, manifest.engine)) {
    return [{ pointer: '/engine', message: `does not include engine ${engineVersion}, which this SDK builds for` }];
  }
  return [];
}

/** Runs the bundle with a stand-in for the sandbox's `lianjie.register` and compares what it registers with the ids. */
function handlerProblems(dir: PluginDir): Problem[] {
  const file = path.join(dir.root, 'dist', 'plugin.js');
  let code: string;
  try {
    code = readFileSync(file, 'utf8');
  } catch {
    return [{ pointer: '/dist/plugin.js', message: 'is missing: run lianjie-plugin build first' }];
  }
  let registered: { actions?: object; triggers?: object } | undefined;
  try {
    runInNewContext(code, { lianjie: { register: (plugin: typeof registered) => (registered = plugin) } }, { filename: file, timeout: 5000 });
  } catch (error) {
    return [{ pointer: '/dist/plugin.js', message: `throws when it loads: ${error instanceof Error ? error.message : String(error)}` }];
  }
  if (!registered) return [{ pointer: '/dist/plugin.js', message: 'never calls lianjie.register (use definePlugin)' }];
  const compare = (kind: 'actions' | 'triggers', ids: string[]) => {
    const given = Object.keys(registered?.[kind] ?? {});
    return [
      ...ids.flatMap((id, i) => (given.includes(id) ? [] : [{ pointer: `/${kind}/${i}/id`, message: `"${id}" has no handler in the bundle` }])),
      ...given.filter((id) => !ids.includes(id)).map((id) => ({ pointer: `/${kind}`, message: `the bundle has a handler "${id}" that plugin.json does not declare` })),
    ];
  };
  return [...compare('actions', dir.manifest.actions.map((a) => a.id)), ...compare('triggers', dir.manifest.triggers.map((t) => t.id))];
}
