// parseManifest: a plugin.json value checked against its schema and every rule beyond it, all problems at once.
import { LianjieError, type ErrorDetail } from '../errors.ts';
import type { PluginManifest } from '../generated/plugin-manifest.ts';
import { schemaCheck } from '../schema/validator.ts';
import { embeddedSchemas, field } from './embedded-schemas.ts';
import { nonLinearPatterns } from './linear-patterns.ts';
import { checkEngine } from './engine.ts';
import { manifestRuleProblems } from './manifest-rules.ts';
import { compileEmbedded, createPluginAjv } from './plugin-ajv.ts';
import { summarize } from './summary.ts';

const checkManifest = schemaCheck<PluginManifest>('plugin-manifest.schema.json');

/**
 * Returns a copy of `value` with the manifest schema's defaults applied (`idempotent: false`), or throws:
 * engine.incompatible when its `engine` range is not one or excludes this host, else manifest.invalid with
 * every problem found (schema, embedded schemas, duplicate ids, http permission and hosts, config shape).
 */
export function parseManifest(value: unknown): PluginManifest {
  const manifest: unknown = structuredClone(value);
  // First: a manifest written for another engine may use fields this host's schema does not know,
  // so its schema errors would only mislead.
  const engine = field(manifest, 'engine');
  if (typeof engine === 'string') checkEngine(engine);
  const details: ErrorDetail[] = [];
  if (!checkManifest(manifest)) details.push(...checkManifest.details());
  details.push(...manifestRuleProblems(manifest), ...embeddedSchemaProblems(manifest));
  if (details.length > 0) throw new LianjieError('manifest.invalid', `invalid plugin manifest: ${summarize(details)}`, details);
  return manifest as PluginManifest;
}

// Compiled exactly as plugin-schemas.ts will compile them (one instance for the plugin), so what passes here compiles there.
function embeddedSchemaProblems(manifest: unknown): ErrorDetail[] {
  const ajv = createPluginAjv();
  return embeddedSchemas(manifest).flatMap(({ pointer, schema }) => {
    // A pattern the linear engine refuses also fails the compile: report it once, at the pattern.
    const patterns = nonLinearPatterns(schema, pointer);
    if (patterns.length) return patterns;
    const compiled = compileEmbedded(ajv, pointer, schema);
    return compiled.ok ? [] : compiled.details;
  });
}
