// Resource limits of one invocation: what the manifest asks for (sdk/src/manifest/limits.ts, which
// lianjie-plugin validate checks against the default maxima) within this host's configured maxima.
import { LianjieError } from '../errors.ts';
import type { PluginManifest } from '../../../sdk/src/generated/plugin-manifest.ts';
import { askedLimits, limitProblems, type Limits } from '../../../sdk/src/manifest/limits.ts';

export { defaultLimits, defaultMaxima, type Limits } from '../../../sdk/src/manifest/limits.ts';

/**
 * The plugin's limits; an action's own `timeoutMs` narrows the wall time. A manifest asking for more than
 * the operator allows cannot be honoured, so it is refused rather than silently cut down.
 */
export function resolveLimits(manifest: PluginManifest, maxima: Limits): Limits {
  const details = limitProblems(manifest, maxima);
  if (details.length) {
    throw new LianjieError('manifest.invalid', `plugin ${manifest.id}@${manifest.version} asks for more than this host allows: ${details[0]!.pointer} ${details[0]!.message}`, details);
  }
  return askedLimits(manifest);
}
