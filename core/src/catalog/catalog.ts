// The catalog: the tenants, apps, suites and installs this host process serves, as one snapshot replaced whole when
// anything changes. The config file's entries are fixed for the life of the process; those made at run time live in
// the store, sealed, and are read again whenever the store's catalog revision moves: at once after a change made
// here, within `pollMs` after one made by another host process sharing the database.
import { createHash } from 'node:crypto';
import type { HostConfig, InstallConfig } from '../config/types.ts';
import { isLianjieError, LianjieError } from '../errors.ts';
import { createDirectory } from '../ingress/directory.ts';
import type { Logger } from '../ops/logger.ts';
import { parseManifest } from '../plugins/manifest.ts';
import { resolveInstallConfig } from '../plugins/install-config.ts';
import type { Install, LoadedPlugin } from '../plugins/types.ts';
import type { Sealer } from '../secrets/seal.ts';
import type { StoredApp, StoredInstall, StoredTenant, Store } from '../store/types.ts';
import type { CatalogInstall, CatalogSnapshot, CatalogTenant } from './types.ts';

export interface CatalogOptions {
  config: Pick<HostConfig, 'tenants' | 'suites' | 'installs'>;
  /** The config's installs, loaded (plugins/installs.ts). */
  configInstalls: readonly Install[];
  store: Store;
  /** Opens sealed secrets; throws secret.key_missing when the host has no key. */
  sealer(): Sealer;
  logger: Pick<Logger, 'error' | 'warn'>;
  /** How often to look at the store's revision (default 1 s). */
  pollMs?: number;
}

export interface Catalog {
  current(): CatalogSnapshot;
  /** Reads the run-time entries again if the store's revision moved (or always, with `force`). */
  refresh(force?: boolean): Promise<CatalogSnapshot>;
  /** After a change to tenants, apps or installs: moves the store's revision, so every process reloads, and reloads. */
  changed(): Promise<CatalogSnapshot>;
  /** Called with each new snapshot. */
  onChange(listener: (snapshot: CatalogSnapshot) => void): void;
  /** Loads the run-time entries and starts watching the revision. */
  start(): Promise<void>;
  stop(): void;
}

export function createCatalog(options: CatalogOptions): Catalog {
  const { store, logger } = options;
  const { configTenants, configInstalls } = fromConfig(options.config, options.configInstalls);
  const plugins = new Map<string, LoadedPlugin>();
  const listeners: ((snapshot: CatalogSnapshot) => void)[] = [];
  /** Rows already reported as unusable, so that a poll every second does not repeat the same error. */
  const reported = new Set<string>();
  let snapshot = build(0, [], [], []);
  let loading: Promise<CatalogSnapshot> | undefined;
  let timer: NodeJS.Timeout | undefined;

  function build(revision: number, tenants: CatalogTenant[], installs: CatalogInstall[], failedTenants: readonly string[]): CatalogSnapshot {
    return assemble({ config: options.config, configTenants, configInstalls }, { revision, tenants, installs, failedTenants }, (tenantId) =>
      once(`clash:${tenantId}`, () => logger.error({ tenantId }, 'a stored tenant has the id or corp id of a config tenant; it is ignored')));
  }

  function once(key: string, report: () => void): void {
    if (reported.has(key)) return;
    reported.add(key);
    report();
  }

  async function load(): Promise<CatalogSnapshot> {
    const revision = await store.catalogRevision().current();
    const [storedTenants, storedApps, storedInstalls] = await Promise.all([
      store.tenants().list(), store.tenants().apps(), store.installs().list({ status: 'active' }),
    ]);
    const appsByTenant = new Map<string, StoredApp[]>();
    for (const app of storedApps) appsByTenant.set(app.tenantId, [...(appsByTenant.get(app.tenantId) ?? []), app]);
    const tenants: CatalogTenant[] = [];
    const failedTenants: string[] = [];
    for (const row of storedTenants) {
      const tenant = attempt(`tenant:${row.id}:${row.updatedAt}`, () => openTenant(row, appsByTenant.get(row.id) ?? []));
      if (tenant) tenants.push(tenant);
      else failedTenants.push(row.id);
    }
    const installs: CatalogInstall[] = [];
    for (const row of storedInstalls) {
      const plugin = await pluginOf(row);
      const install = plugin && attempt(`install:${row.id}:${row.updatedAt}`, () => openInstall(row, plugin));
      if (install) installs.push(install);
    }
    return build(revision, tenants, installs, failedTenants);
  }

  /** A row whose secrets cannot be opened (no key, another key) is left out and reported once; the host serves the rest. */
  function attempt<T>(key: string, open: () => T): T | undefined {
    try {
      return open();
    } catch (error) {
      if (!isLianjieError(error)) throw error;
      once(key, () => logger.error({ err: error, row: key }, `cannot use a stored ${key.split(':')[0]}: ${error.code}: ${error.message}`));
      return undefined;
    }
  }

  function openTenant(row: StoredTenant, apps: StoredApp[]): CatalogTenant {
    const sealer = options.sealer();
    return {
      id: row.id, corpId: row.corpId, timezone: row.timezone, origin: row.origin, status: row.status,
      ...(row.name !== null ? { name: row.name } : {}),
      ...(row.contactQuota !== null ? { contactQuota: JSON.parse(row.contactQuota) } : {}),
      ...(row.disabledAt !== null ? { disabledAt: row.disabledAt } : {}),
      ...(row.purgeAfter !== null ? { purgeAfter: row.purgeAfter } : {}),
      ...(row.suiteId !== null && row.permanentCode !== null
        ? { suite: { suiteId: row.suiteId, permanentCode: sealer.open(row.permanentCode), ...(row.suiteAgentId !== null ? { agentId: row.suiteAgentId } : {}) } }
        : {}),
      apps: apps.map((app) => ({
        id: app.id, token: sealer.open(app.token), encodingAesKey: sealer.open(app.encodingAesKey),
        ...(app.agentId !== null ? { agentId: app.agentId } : {}),
        ...(app.secret !== null ? { secret: sealer.open(app.secret) } : {}),
      })),
    };
  }

  /** A registry version as the sandbox runs it; versions never change, so each is read and checked once. */
  async function pluginOf(row: StoredInstall): Promise<LoadedPlugin | undefined> {
    const key = `${row.pluginId}@${row.version}`;
    const known = plugins.get(key);
    if (known) return known;
    const version = await store.registry().get(row.pluginId, row.version);
    if (!version) {
      once(`missing:${key}`, () => logger.error({ installId: row.id, plugin: key }, 'an install names a plugin version the registry does not hold; it is not served'));
      return undefined;
    }
    const plugin = attempt(`plugin:${key}`, () => {
      const sha256 = createHash('sha256').update(version.bundle).digest('hex');
      if (sha256 !== version.sha256) throw new LianjieError('bundle.invalid', `the stored bundle of ${key} does not have its recorded sha256`);
      return { manifest: parseManifest(JSON.parse(version.manifest)), bundle: { code: version.bundle, sha256 } };
    });
    if (plugin) plugins.set(key, plugin);
    return plugin;
  }

  function openInstall(row: StoredInstall, plugin: LoadedPlugin): CatalogInstall {
    const sealer = options.sealer();
    return {
      id: row.id, tenantId: row.tenantId, plugin, grants: row.grants, origin: 'registry', version: row.version,
      config: resolveInstallConfig(plugin.manifest, JSON.parse(sealer.open(row.config))),
      ...(row.webhookSecret !== null ? { webhookSecret: sealer.open(row.webhookSecret) } : {}),
      ...(row.wecomApp !== null ? { wecomApp: row.wecomApp } : {}),
    };
  }

  function publish(next: CatalogSnapshot): CatalogSnapshot {
    if (next.revision < snapshot.revision) return snapshot;
    snapshot = next;
    for (const listener of listeners) {
      try {
        listener(next);
      } catch (error) {
        logger.error({ err: error }, 'a catalog listener failed');
      }
    }
    return next;
  }

  /** One load at a time; a caller arriving during one waits for the next, so it sees every change made before it asked. */
  function reload(): Promise<CatalogSnapshot> {
    const previous = loading ?? Promise.resolve(snapshot);
    const next = previous.catch(() => snapshot).then(async () => publish(await load()));
    loading = next;
    void next.finally(() => {
      if (loading === next) loading = undefined;
    }).catch(() => {});
    return next;
  }

  async function refresh(force = false): Promise<CatalogSnapshot> {
    if (!force && (await store.catalogRevision().current()) === snapshot.revision) return snapshot;
    return reload();
  }

  return {
    current: () => snapshot,
    refresh,
    async changed() {
      await store.catalogRevision().bump();
      return reload();
    },
    onChange(listener) {
      listeners.push(listener);
    },
    async start() {
      await refresh(true);
      const poll = () => {
        timer = setTimeout(() => {
          refresh().catch((error: unknown) => logger.warn({ err: error }, 'reading the catalog failed; the last one is kept')).finally(() => {
            if (timer) poll();
          });
        }, options.pollMs ?? 1000);
        timer.unref();
      };
      poll();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** The snapshot of a config file alone: what a host without run-time entries (or a command line tool) serves. */
export function configSnapshot(config: CatalogOptions['config'], configInstalls: readonly Install[]): CatalogSnapshot {
  return assemble({ config, ...fromConfig(config, configInstalls) }, { revision: 0, tenants: [], installs: [], failedTenants: [] }, () => {});
}

interface Fixed {
  config: CatalogOptions['config'];
  configTenants: CatalogTenant[];
  configInstalls: CatalogInstall[];
}

function fromConfig(config: CatalogOptions['config'], installs: readonly Install[]): Omit<Fixed, 'config'> {
  const entries = new Map(config.installs.map((i) => [i.id, i]));
  return {
    configTenants: config.tenants.map((t) => ({ ...t, origin: 'config', status: 'active' })),
    configInstalls: installs.map((i) => fromConfigInstall(i, entries.get(i.id))),
  };
}

function assemble(
  fixed: Fixed,
  stored: { revision: number; tenants: CatalogTenant[]; installs: CatalogInstall[]; failedTenants: readonly string[] },
  onClash: (tenantId: string) => void,
): CatalogSnapshot {
  const all = new Map<string, CatalogTenant>(fixed.configTenants.map((t) => [t.id, t]));
  const corps = new Set(fixed.configTenants.map((t) => t.corpId));
  for (const tenant of stored.tenants) {
    // The config's tenants are fixed; a run-time one clashing with them is left out (the API refuses to make one).
    if (all.has(tenant.id) || corps.has(tenant.corpId)) {
      onClash(tenant.id);
      continue;
    }
    all.set(tenant.id, tenant);
  }
  const active = [...all.values()].filter((t) => t.status === 'active');
  const serving = new Set(active.map((t) => t.id));
  for (const id of stored.failedTenants) serving.delete(id);
  return {
    revision: stored.revision,
    tenants: all,
    suites: fixed.config.suites,
    installs: [...fixed.configInstalls, ...stored.installs].filter((i) => serving.has(i.tenantId)),
    directory: createDirectory({ tenants: active, suites: fixed.config.suites }),
  };
}

function fromConfigInstall(install: Install, entry: InstallConfig | undefined): CatalogInstall {
  return {
    ...install, origin: 'config', version: install.plugin.manifest.version,
    ...(entry?.webhookSecret !== undefined ? { webhookSecret: entry.webhookSecret } : {}),
    ...(entry?.wecomApp !== undefined ? { wecomApp: entry.wecomApp } : {}),
  };
}
