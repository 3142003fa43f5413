// parseManifest: a plugin.json value checked against its schema and every rule beyond it, all problems at once. The
// checks are the SDK's (sdk/src/manifest/), which lianjie-plugin validate runs too; the host adds its registry's
// copy of the schema and its coded errors.
import { LianjieError } from '../errors.ts';
import type { PluginManifest } from '../../../sdk/src/generated/plugin-manifest.ts';
import { schemaCheck } from '../schema/validator.ts';
import { field } from '../../../sdk/src/manifest/embedded-schemas.ts';
import { manifestProblems } from '../../../sdk/src/manifest/problems.ts';
import { checkEngine } from './engine.ts';
import { summarize } from './summary.ts';

const checkManifest = schemaCheck<PluginManifest>('plugin-manifest.schema.json');

/**
 * Returns a copy of `value` with the manifest schema's defaults applied (`idempotent: false`), or throws:
 * engine.incompatible when its `engine` range is not one or excludes this host, else manifest.invalid with
 * every problem found (schema, embedded schemas and their patterns, duplicate ids, http permission and hosts,
 * config shape, cron expressions, event types, config migrations).
 */
export function parseManifest(value: unknown): PluginManifest {
  const manifest: unknown = structuredClone(value);
  // First: a manifest written for another engine may use fields this host's schema does not know,
  // so its schema errors would only mislead.
  const engine = field(manifest, 'engine');
  if (typeof engine === 'string') checkEngine(engine);
  const details = manifestProblems(manifest, checkManifest(manifest) ? [] : checkManifest.details());
  if (details.length > 0) throw new LianjieError('manifest.invalid', `invalid plugin manifest: ${summarize(details)}`, details);
  return manifest as PluginManifest;
}
