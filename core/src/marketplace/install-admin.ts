// Installs from the registry: a tenant admin installs an approved version, consenting to every permission it declares,
// with a config its schema accepts (sealed at rest). The newest approved version of the install's own major whose
// permissions were all consented to is applied as soon as it is approved (and checked again hourly, so none is missed);
// a new major or a new permission waits until the admin consents again, and a new major's config comes from the
// plugin's own migration, run in the sandbox. Uninstalling stops the install, disables the tenant's workflows that use
// it, and keeps its data for a retention period.
import semver from 'semver';
import type { Catalog } from '../catalog/catalog.ts';
import type { CatalogInstall, CatalogTenant } from '../catalog/types.ts';
import { isLianjieError, LianjieError, type ErrorDetail } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../ops/logger.ts';
import { keepOmittedSecrets } from '../plugins/config-secrets.ts';
import { resolveInstallConfig } from '../plugins/install-config.ts';
import { parseManifest } from '../plugins/manifest.ts';
import type { Install, PluginManifest } from '../plugins/types.ts';
import { resolveLimits, type Limits } from '../sandbox/limits.ts';
import type { Sealer } from '../secrets/seal.ts';
import type { PluginVersionRecord, StoredInstall, Store } from '../store/types.ts';
import type { Result } from '../../../sdk/src/sandbox/result.ts';
import { disableWorkflowsUsing } from './disable-workflows.ts';
import { approvedVersions, automaticTarget, breakingLine, offerOf, type UpgradeOffer } from './upgrade-policy.ts';

export interface InstallAdminDeps {
  store: Store;
  catalog: Catalog;
  secrets(): Sealer;
  /** Runs a plugin version's config migration from an older major in the sandbox (core/src/sandbox/runner.ts). */
  migrate(install: Install, fromMajor: number, config: unknown): Promise<Result<Record<string, unknown>>>;
  maxima: Limits;
  /** Days an uninstalled install's data is kept. */
  retainDays: number;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => number;
}

export interface InstallInput {
  id?: string;
  plugin: string;
  version?: string;
  consent: string[];
  config?: Record<string, unknown>;
  webhookSecret?: string;
  wecomApp?: string;
}

const idPattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function createInstallAdmin(deps: InstallAdminDeps) {
  const { store, catalog } = deps;
  const now = deps.now ?? Date.now;
  const registry = store.registry();

  async function activeTenant(tenantId: string): Promise<CatalogTenant> {
    const tenant = (await catalog.refresh()).tenants.get(tenantId);
    if (!tenant) throw new LianjieError('tenant.not_found', `no tenant "${tenantId}"`);
    if (tenant.status !== 'active') throw new LianjieError('tenant.disabled', `tenant "${tenantId}" is disabled`);
    return tenant;
  }

  const approved = (pluginId: string) => approvedVersions(registry, pluginId);

  async function versionToInstall(pluginId: string, version: string | undefined): Promise<{ record: PluginVersionRecord; manifest: PluginManifest }> {
    // Listings carry no bundle: the version chosen is read whole.
    const chosen = version ?? (await approved(pluginId))[0]?.version;
    const record = chosen === undefined ? undefined : await registry.get(pluginId, chosen);
    if (!record || record.status !== 'approved') {
      throw new LianjieError('install.version_unavailable', version === undefined
        ? `no approved version of ${pluginId}`
        : `${pluginId}@${version} is not an approved version${record ? ` (it is ${record.status})` : ''}`);
    }
    const manifest = parseManifest(JSON.parse(record.manifest));
    // A manifest asking for more than this host allows would fail at its first run: refuse it now.
    resolveLimits(manifest, deps.maxima);
    return { record, manifest: manifest };
  }

  function checkConsent(manifest: PluginManifest, consent: readonly string[]): void {
    const declared = manifest.permissions as string[];
    const details: ErrorDetail[] = [
      ...declared.filter((p) => !consent.includes(p)).map((p) => ({ pointer: '/body/consent', message: `must include "${p}", which ${manifest.id}@${manifest.version} declares` })),
      ...consent.flatMap((p, i) => (declared.includes(p) ? [] : [{ pointer: `/body/consent/${i}`, message: `"${p}" is not a permission ${manifest.id}@${manifest.version} declares` }])),
    ];
    if (details.length > 0) {
      throw new LianjieError('install.consent_required', `consent to exactly the permissions ${manifest.id}@${manifest.version} declares: ${declared.join(', ') || 'none'}`, details);
    }
  }

  /** The config the version runs with (defaults applied), or install.config_invalid with pointers under /body/config. */
  function configFor(manifest: PluginManifest, config: unknown): Record<string, unknown> {
    try {
      return resolveInstallConfig(manifest, config);
    } catch (error) {
      if (!isLianjieError(error)) throw error;
      throw new LianjieError(error.code, error.message, error.details.map((d) => ({ pointer: `/body${d.pointer}`, message: d.message })));
    }
  }

  function checkWecomApp(tenant: CatalogTenant, wecomApp: string | null | undefined): void {
    if (wecomApp === undefined || wecomApp === null) return;
    if (!tenant.apps.some((a) => a.id === wecomApp && a.secret !== undefined)) {
      throw new LianjieError('request.invalid', `tenant "${tenant.id}" has no app "${wecomApp}" with a secret`, [{ pointer: '/body/wecomApp', message: 'must name one of the tenant\'s apps with a secret' }]);
    }
  }

  async function storedInstall(tenantId: string, installId: string): Promise<StoredInstall> {
    const snapshot = await catalog.refresh();
    const fromConfig = snapshot.installs.find((i) => i.id === installId && i.tenantId === tenantId && i.origin === 'config');
    if (fromConfig) throw new LianjieError('tenant.read_only', `install "${installId}" is set in the host config file; change it there`);
    const row = await store.installs().get(installId);
    if (!row || row.tenantId !== tenantId) throw new LianjieError('install.not_found', `no install "${installId}"`);
    return row;
  }

  /** The config an install runs with now, opened. */
  function openConfig(row: StoredInstall): Record<string, unknown> {
    return JSON.parse(deps.secrets().open(row.config)) as Record<string, unknown>;
  }

  async function offerFor(row: Pick<StoredInstall, 'pluginId' | 'version' | 'grants'>): Promise<UpgradeOffer | null> {
    return offerOf(row, await approved(row.pluginId));
  }

  /** The new version's config: given, else the current one checked again (same major) or migrated (new major). */
  async function upgradedConfig(row: StoredInstall, target: { record: PluginVersionRecord; manifest: PluginManifest }, given: Record<string, unknown> | undefined) {
    if (given !== undefined) return configFor(target.manifest, keepOmittedSecrets(target.manifest.config, given, openConfig(row)));
    const current = openConfig(row);
    const fromMajor = semver.major(row.version);
    if (breakingLine(row.version) === breakingLine(target.record.version)) {
      try {
        return resolveInstallConfig(target.manifest, current);
      } catch (error) {
        if (!isLianjieError(error)) throw error;
        throw new LianjieError('install.config_invalid', `the install's config does not suit ${target.manifest.id}@${target.manifest.version}; give config with the upgrade`, error.details.map((d) => ({ pointer: `/body${d.pointer}`, message: d.message })));
      }
    }
    if (!(target.manifest.configMigrations ?? []).some((m) => m.from === fromMajor)) {
      throw new LianjieError('install.migration_failed', `${target.manifest.id}@${target.manifest.version} ships no config migration from major ${fromMajor}; give config with the upgrade`);
    }
    const migrating: Install = {
      id: row.id, tenantId: row.tenantId, grants: [], config: current,
      plugin: { manifest: target.manifest, bundle: { code: target.record.bundle, sha256: target.record.sha256 } },
    };
    const result = await deps.migrate(migrating, fromMajor, current);
    if (!result.ok) throw new LianjieError('install.migration_failed', result.failure.message, result.failure.details ?? []);
    return result.output;
  }

  /** Writes the move if the install is still as it was read; the catalog is told by the caller. */
  async function moveInstall(row: StoredInstall, version: string, grants: string[], config: Record<string, unknown>): Promise<StoredInstall> {
    const moved = await store.installs().upgrade(row.id, {
      fromVersion: row.version, fromConfig: row.config, version, grants, config: deps.secrets().seal(JSON.stringify(config)),
    }, now());
    if (!moved) throw new LianjieError('install.version_unavailable', `install "${row.id}" changed while it was being upgraded; look again`);
    deps.logger.info({ installId: row.id, plugin: row.pluginId, from: row.version, to: version }, 'install upgraded');
    return moved;
  }

  return {
    offerFor,

    async install(tenantId: string, input: InstallInput): Promise<StoredInstall> {
      const tenant = await activeTenant(tenantId);
      const target = await versionToInstall(input.plugin, input.version);
      checkConsent(target.manifest, input.consent);
      const config = configFor(target.manifest, input.config);
      checkWecomApp(tenant, input.wecomApp);
      const snapshot = catalog.current();
      const id = input.id ?? newId('ins').toLowerCase();
      if (!idPattern.test(id)) throw new LianjieError('request.invalid', `install id "${id}" is not an id`, [{ pointer: '/body/id', message: 'must be lower-case letters, digits, "-" and "_"' }]);
      const taken = snapshot.installs.find((i) => i.id === id || (i.tenantId === tenantId && i.plugin.manifest.id === input.plugin));
      if (taken) throw new LianjieError('install.exists', taken.id === id ? `install "${id}" exists` : `${input.plugin} is already installed for tenant "${tenantId}" as "${taken.id}"`);
      const sealer = deps.secrets();
      const created = await store.installs().create({
        id, tenantId, pluginId: input.plugin, version: target.record.version, grants: [...new Set(input.consent)],
        config: sealer.seal(JSON.stringify(config)), webhookSecret: input.webhookSecret === undefined ? null : sealer.seal(input.webhookSecret),
        wecomApp: input.wecomApp ?? null,
      }, now());
      if (!created.ok) {
        throw new LianjieError('install.exists', created.reason === 'exists' ? `install "${id}" exists` : `${input.plugin} is already installed for tenant "${tenantId}"`);
      }
      await catalog.changed();
      return created.install;
    },

    async update(tenantId: string, installId: string, patch: { config?: Record<string, unknown>; webhookSecret?: string | null; wecomApp?: string | null }): Promise<StoredInstall> {
      const tenant = await activeTenant(tenantId);
      const row = await storedInstall(tenantId, installId);
      if (row.status !== 'active') throw new LianjieError('install.not_found', `install "${installId}" is uninstalled`);
      const sealer = deps.secrets();
      let config: string | undefined;
      if (patch.config !== undefined) {
        const { manifest } = await versionToInstallAny(row);
        config = sealer.seal(JSON.stringify(configFor(manifest, keepOmittedSecrets(manifest.config, patch.config, openConfig(row)))));
      }
      checkWecomApp(tenant, patch.wecomApp);
      const updated = await store.installs().update(installId, {
        ...(config !== undefined ? { config } : {}),
        ...('webhookSecret' in patch ? { webhookSecret: patch.webhookSecret == null ? null : sealer.seal(patch.webhookSecret) } : {}),
        ...('wecomApp' in patch ? { wecomApp: patch.wecomApp ?? null } : {}),
      }, now());
      if (!updated) throw new LianjieError('install.not_found', `install "${installId}" is uninstalled`);
      await catalog.changed();
      return updated;
    },

    /** Moves an install to `version` (default: the newest approved), with the admin's consent to all its permissions. */
    async upgrade(tenantId: string, installId: string, request: { version?: string; consent: string[]; config?: Record<string, unknown> }): Promise<StoredInstall> {
      await activeTenant(tenantId);
      const row = await storedInstall(tenantId, installId);
      if (row.status !== 'active') throw new LianjieError('install.not_found', `install "${installId}" is uninstalled`);
      const target = await versionToInstall(row.pluginId, request.version);
      if (!semver.gt(target.record.version, row.version)) {
        throw new LianjieError('install.version_unavailable', `${row.pluginId}@${target.record.version} is not newer than the installed ${row.version}`);
      }
      checkConsent(target.manifest, request.consent);
      const config = await upgradedConfig(row, target, request.config);
      const moved = await moveInstall(row, target.record.version, [...new Set(request.consent)], config);
      await catalog.changed();
      return moved;
    },

    /**
     * Moves every active install (of one plugin, or of all) to the newest approved version of its own major whose
     * permissions it was granted and whose config schema accepts its config: run when a version is approved, and hourly
     * so that none is left behind by a crash or a transient failure. The catalog is told once. Answers the ids moved.
     */
    async catchUp(pluginId?: string): Promise<string[]> {
      const rows = await store.installs().list({ ...(pluginId ? { pluginId } : {}), status: 'active' });
      const versions = new Map<string, Promise<PluginVersionRecord[]>>();
      const targets = new Map<string, Promise<{ record: PluginVersionRecord; manifest: PluginManifest }>>();
      const moved: string[] = [];
      for (const row of rows) {
        if (!versions.has(row.pluginId)) versions.set(row.pluginId, approved(row.pluginId));
        const target = automaticTarget(row, await versions.get(row.pluginId)!);
        if (!target) continue;
        const key = `${row.pluginId}@${target.version}`;
        if (!targets.has(key)) targets.set(key, versionToInstall(row.pluginId, target.version));
        try {
          const { record, manifest } = await targets.get(key)!;
          await moveInstall(row, record.version, row.grants, resolveInstallConfig(manifest, openConfig(row)));
          moved.push(row.id);
        } catch (error) {
          // Left where it is: the admin sees the offer and upgrades by hand, with config if needed.
          deps.logger.warn({ err: error, installId: row.id, plugin: row.pluginId, version: target.version }, 'install not upgraded automatically');
        }
      }
      if (moved.length > 0) await catalog.changed();
      return moved;
    },

    async uninstall(tenantId: string, installId: string): Promise<{ install: StoredInstall; disabledWorkflows: string[] }> {
      const row = await storedInstall(tenantId, installId);
      const at = now();
      const removed = await store.installs().uninstall(installId, at, at + deps.retainDays * 86_400_000);
      if (!removed) throw new LianjieError('install.not_found', `install "${installId}" is already uninstalled`);
      const disabledWorkflows = await disableWorkflowsUsing(store.workflows(), tenantId, row.pluginId);
      await catalog.changed();
      return { install: removed, disabledWorkflows };
    },
  };

  async function versionToInstallAny(row: StoredInstall): Promise<{ manifest: PluginManifest }> {
    const record = await registry.get(row.pluginId, row.version);
    if (!record) throw new LianjieError('install.version_unavailable', `${row.pluginId}@${row.version} is no longer in the registry`);
    return { manifest: parseManifest(JSON.parse(record.manifest)) };
  }
}

export type InstallAdmin = ReturnType<typeof createInstallAdmin>;

