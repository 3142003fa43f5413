// What a host refuses a plugin.json value for once its engine range admits it: the manifest schema's problems,
// the rules beyond that schema, and each embedded schema compiled as the host will compile it.
import type { SchemaProblem } from '../schema-details.ts';
import { embeddedSchemas } from './embedded-schemas.ts';
import { nonLinearPatterns } from './linear-patterns.ts';
import { compileEmbedded, createPluginAjv } from './plugin-ajv.ts';
import { manifestRuleProblems } from './rules.ts';

/**
 * `schemaProblems` are the manifest schema's, which the host checks against its registry and the SDK against its
 * copy (schema.ts); the rest read `manifest` defensively, so every problem comes back at once.
 */
export function manifestProblems(manifest: unknown, schemaProblems: readonly SchemaProblem[]): SchemaProblem[] {
  return [...schemaProblems, ...manifestRuleProblems(manifest), ...embeddedSchemaProblems(manifest)];
}

// Compiled exactly as the host's plugin-schemas.ts will compile them (one instance for the plugin), so what passes
// here compiles there.
function embeddedSchemaProblems(manifest: unknown): SchemaProblem[] {
  const ajv = createPluginAjv();
  return embeddedSchemas(manifest).flatMap(({ pointer, schema }) => {
    // A pattern the linear engine refuses also fails the compile: report it once, at the pattern.
    const patterns = nonLinearPatterns(schema, pointer);
    if (patterns.length) return patterns;
    const compiled = compileEmbedded(ajv, pointer, schema);
    return compiled.ok ? [] : compiled.details;
  });
}
