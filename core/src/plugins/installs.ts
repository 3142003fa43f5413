// The host config's installs loaded into Installs: each plugin directory read and checked, its grants and config against its manifest.
import path from 'node:path';
import type { HostConfig, InstallConfig } from '../config/types.ts';
import { isLianjieError, LianjieError, type ErrorDetail } from '../errors.ts';
import { resolveLimits } from '../sandbox/limits.ts';
import { resolveInstallConfig } from './install-config.ts';
import { loadPluginDir } from './load.ts';
import { summarize } from './summary.ts';
import type { Install, LoadedPlugin } from './types.ts';

/**
 * Every install of `config`, plugin directories resolved against `configDir` (the config file's folder).
 * Throws config.invalid listing every problem of every install, each at its pointer under /installs/N.
 */
export async function loadInstalls(config: HostConfig, configDir: string): Promise<Install[]> {
  const loaded = await Promise.all(config.installs.map((install, i) => loadOne(install, i, config, configDir)));
  const details = loaded.flatMap((result) => (result.ok ? [] : result.details));
  const installs = loaded.flatMap((result) => (result.ok ? [result.install] : []));
  details.push(...duplicatePlugins(config.installs, loaded));
  if (details.length > 0) throw new LianjieError('config.invalid', `invalid config: ${summarize(details)}`, details);
  return installs;
}

type Loaded = { ok: true; install: Install } | { ok: false; details: ErrorDetail[] };

async function loadOne(entry: InstallConfig, i: number, config: HostConfig, configDir: string): Promise<Loaded> {
  const at = `/installs/${i}`;
  let plugin: LoadedPlugin;
  try {
    plugin = await loadPluginDir(path.resolve(configDir, entry.plugin));
    // A manifest asking for more than this host allows would fail at its first run; refuse it now.
    resolveLimits(plugin.manifest, config.sandbox.maxima);
  } catch (error) {
    return { ok: false, details: [{ pointer: `${at}/plugin`, message: problem(error) }] };
  }
  const details: ErrorDetail[] = [];
  if (entry.sha256 !== undefined && entry.sha256.toLowerCase() !== plugin.bundle.sha256) {
    details.push({ pointer: `${at}/sha256`, message: `the plugin's bundle has sha256 ${plugin.bundle.sha256}` });
  }
  const declared = plugin.manifest.permissions as string[];
  entry.grants.forEach((grant, g) => {
    if (!declared.includes(grant)) {
      details.push({ pointer: `${at}/grants/${g}`, message: `"${grant}" is not a permission ${plugin.manifest.id} declares (it declares: ${declared.join(', ') || 'none'})` });
    }
  });
  let installConfig: Record<string, unknown> = {};
  try {
    installConfig = resolveInstallConfig(plugin.manifest, entry.config);
  } catch (error) {
    if (!isLianjieError(error) || error.details.length === 0) throw error;
    details.push(...error.details.map((d) => ({ pointer: `${at}${d.pointer}`, message: d.message })));
  }
  if (details.length > 0) return { ok: false, details };
  return { ok: true, install: { id: entry.id, tenantId: entry.tenant, plugin, grants: entry.grants, config: installConfig } };
}

// A workflow names an action as <pluginId>/<actionId>: two installs of one plugin in a tenant would make that ambiguous.
function duplicatePlugins(entries: InstallConfig[], loaded: Loaded[]): ErrorDetail[] {
  const seen = new Map<string, number>();
  const details: ErrorDetail[] = [];
  loaded.forEach((result, i) => {
    if (!result.ok) return;
    const key = `${entries[i]!.tenant}\n${result.install.plugin.manifest.id}`;
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, i);
    else details.push({ pointer: `/installs/${i}/plugin`, message: `${result.install.plugin.manifest.id} is already installed for tenant "${entries[i]!.tenant}" at /installs/${earlier}` });
  });
  return details;
}

/** Why a plugin would not load, as one line: its messages name the file at fault and the first problems in it. */
function problem(error: unknown): string {
  if (!isLianjieError(error)) throw error;
  return `${error.code}: ${error.message}`;
}
