// An install's config: the plugin's config schema's defaults applied, then checked, problems at pointers under /config.
import { LianjieError } from '../errors.ts';
import type { PluginManifest } from '../../../sdk/src/generated/plugin-manifest.ts';
import { under } from '../../../sdk/src/manifest/plugin-ajv.ts';
import { pluginSchemas } from './plugin-schemas.ts';
import { summarize } from './summary.ts';

/**
 * The config an install runs with. `undefined` means "nothing set" and gets every default; a plugin without a
 * config schema takes only `{}` or `undefined`. Throws install.config_invalid; `config` itself is not changed.
 */
export function resolveInstallConfig(manifest: PluginManifest, config: unknown): Record<string, unknown> {
  const result = pluginSchemas(manifest).config(config === undefined ? {} : config);
  if (!result.ok) {
    const details = result.details.map((d) => ({ pointer: under('/config', d.pointer), message: d.message }));
    throw new LianjieError('install.config_invalid', `invalid config for ${manifest.id}@${manifest.version}: ${summarize(details)}`, details);
  }
  // parseManifest ensures the config schema is an object schema, so what passed is an object.
  return result.value as Record<string, unknown>;
}
