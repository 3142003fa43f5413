// `lianjie-plugin validate`: plugin.json checked with the host's own manifest checks (sdk/src/manifest: schema,
// cross-field rules and event types, embedded schemas compiled strictly with linear-time patterns, engine range,
// limits), each problem worded as the host words it, and the bundle's registered handlers against its ids.
// Only a host's own configuration is unknown here: limits are checked against the default sandbox.maxima.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { engineProblems } from '../manifest/engine.ts';
import { defaultMaxima, limitProblems } from '../manifest/limits.ts';
import { manifestProblems as hostProblems } from '../manifest/problems.ts';
import { manifestSchemaProblems } from '../manifest/schema.ts';
import type { SchemaProblem } from '../schema-details.ts';
import type { PluginDir } from './plugin-dir.ts';

export type Problem = SchemaProblem;

/** Every problem found, each at its JSON pointer in plugin.json (or at /dist/plugin.js for the bundle). */
export function validatePlugin(dir: PluginDir): Problem[] {
  const checked = checkManifest(dir.manifest);
  // The bundle is compared with the ids only when the manifest has the shape the comparison reads.
  return checked.schemaValid ? [...checked.problems, ...handlerProblems(dir)] : checked.problems;
}

/** plugin.json as a host with the default sandbox.maxima checks it when it loads and installs the plugin. */
export function manifestProblems(manifest: PluginDir['manifest']): Problem[] {
  return checkManifest(manifest).problems;
}

function checkManifest(manifest: unknown): { schemaValid: boolean; problems: Problem[] } {
  // The schema fills in its defaults, as the host does on its own copy; the caller's manifest stays as read.
  const copy: unknown = structuredClone(manifest);
  const schema = manifestSchemaProblems(copy);
  // A host stops at an engine range that excludes it; an author fixing the manifest wants every problem at once.
  const problems = [...engineProblems(copy), ...hostProblems(copy, schema), ...limitProblems(copy, defaultMaxima, 'a host with the default sandbox.maxima')];
  return { schemaValid: schema.length === 0, problems };
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
  let registered: { actions?: object; triggers?: object; migrations?: object } | undefined;
  try {
    runInNewContext(code, { lianjie: { register: (plugin: typeof registered) => (registered = plugin) } }, { filename: file, timeout: 5000 });
  } catch (error) {
    return [{ pointer: '/dist/plugin.js', message: `throws when it loads: ${error instanceof Error ? error.message : String(error)}` }];
  }
  if (!registered) return [{ pointer: '/dist/plugin.js', message: 'never calls lianjie.register (use definePlugin)' }];
  const compare = (kind: 'actions' | 'triggers' | 'migrations', ids: string[], at: (i: number) => string) => {
    const given = Object.keys(registered?.[kind] ?? {});
    const base = kind === 'migrations' ? '/configMigrations' : `/${kind}`;
    return [
      ...ids.flatMap((id, i) => (given.includes(id) ? [] : [{ pointer: at(i), message: `"${id}" has no handler in the bundle` }])),
      ...given.filter((id) => !ids.includes(id)).map((id) => ({ pointer: base, message: `the bundle has a handler "${id}" that plugin.json does not declare` })),
    ];
  };
  return [
    ...compare('actions', dir.manifest.actions.map((a) => a.id), (i) => `/actions/${i}/id`),
    ...compare('triggers', dir.manifest.triggers.map((t) => t.id), (i) => `/triggers/${i}/id`),
    ...compare('migrations', (dir.manifest.configMigrations ?? []).map((m) => String(m.from)), (i) => `/configMigrations/${i}/from`),
  ];
}
