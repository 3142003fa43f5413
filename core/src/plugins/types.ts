// A plugin as the host holds it: its validated manifest and its bundle, and an install of it.
import type { PluginManifest } from '../../../sdk/src/generated/plugin-manifest.ts';

export type { PluginManifest };

export interface PluginBundle {
  /** The self-contained script that registers the plugin's handlers. */
  code: string;
  /** Hex sha256 of `code`; also the key of its compiled code cache. */
  sha256: string;
}

export interface LoadedPlugin {
  manifest: PluginManifest;
  bundle: PluginBundle;
}

/** One tenant's install of one plugin version, with what the installer granted and configured. */
export interface Install {
  id: string;
  tenantId: string;
  plugin: LoadedPlugin;
  /** Permissions granted: a subset of the manifest's `permissions`. */
  grants: readonly string[];
  /** The install's config, validated against the manifest's `config` schema, defaults applied. */
  config: Record<string, unknown>;
}
