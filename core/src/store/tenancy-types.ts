// What the host keeps of the tenants, apps and installs made at run time (the admin API, suite authorisations).
// The config file's own tenants and installs are never written here. Every secret column holds text sealed by
// core/src/secrets/seal.ts: the store neither seals nor opens, it keeps what it is given. Re-exported by types.ts.

export type TenantOrigin = 'api' | 'suite';
export type TenantStatus = 'active' | 'disabled';

export interface StoredTenant {
  id: string;
  name: string | null;
  corpId: string;
  timezone: string;
  /** The tenant's contact quota policy as JSON text; null: the default. */
  contactQuota: string | null;
  origin: TenantOrigin;
  /** Suite tenants: the suite the corp authorised. */
  suiteId: string | null;
  /** Suite tenants: the permanent code, sealed. */
  permanentCode: string | null;
  /** Suite tenants: the agent id WeCom gave the suite's app in the corp. */
  suiteAgentId: number | null;
  status: TenantStatus;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
  /** ISO 8601; null while active. */
  disabledAt: string | null;
  /** ISO 8601; when a disabled tenant's data is due for deletion; null: never. */
  purgeAfter: string | null;
}

/** A tenant to store: it starts active, its times set by the store. */
export type NewTenant = Omit<StoredTenant, 'status' | 'createdAt' | 'updatedAt' | 'disabledAt' | 'purgeAfter'>;

export interface StoredApp {
  tenantId: string;
  id: string;
  agentId: number | null;
  /** Sealed; null when the app acts through no secret of its own. */
  secret: string | null;
  /** Sealed callback token. */
  token: string;
  /** Sealed EncodingAESKey. */
  encodingAesKey: string;
  createdAt: string;
  updatedAt: string;
}

export type TenantCreateOutcome =
  | { ok: true; tenant: StoredTenant }
  | { ok: false; reason: 'exists' | 'corp_taken' };

export interface TenantStore {
  /** Inserts an active tenant; refuses an id already taken or a corp id another tenant holds (one transaction). */
  create(tenant: NewTenant, at: number): Promise<TenantCreateOutcome>;
  get(id: string): Promise<StoredTenant | undefined>;
  byCorpId(corpId: string): Promise<StoredTenant | undefined>;
  /** Ordered by id; filters optional. */
  list(filter?: { status?: TenantStatus; origin?: TenantOrigin }): Promise<StoredTenant[]>;
  /** Changes name, timezone and contact quota (a key left out is unchanged); undefined when there is no such tenant. */
  update(id: string, patch: { name?: string | null; timezone?: string; contactQuota?: string | null }, at: number): Promise<StoredTenant | undefined>;
  /**
   * A suite's create_auth: a corp that authorised before (even disabled) gets its suite tenant back, active, with the
   * new permanent code and agent id, disabledAt and purgeAfter cleared; otherwise `tenant` is inserted. `reactivated`
   * says which. Refuses with `exists` when `tenant.id` is taken, and with `corp_taken` when the corp is a tenant made
   * through the API: a suite never takes over (or brings back) a tenant the platform team manages.
   */
  authorise(tenant: NewTenant & { suiteId: string; permanentCode: string }, at: number): Promise<
    { ok: true; tenant: StoredTenant; reactivated: boolean } | { ok: false; reason: 'exists' | 'corp_taken' }
  >;
  /** Sets status disabled, disabledAt and purgeAfter (null: never); undefined when there is no such tenant. Disabling twice keeps the first time. */
  disable(id: string, at: number, purgeAfter: number | null): Promise<StoredTenant | undefined>;
  /** Active again; disabledAt and purgeAfter cleared. */
  enable(id: string, at: number): Promise<StoredTenant | undefined>;
  /** Inserts or replaces the app (tenantId, id); undefined when the tenant does not exist. */
  putApp(app: Omit<StoredApp, 'createdAt' | 'updatedAt'>, at: number): Promise<StoredApp | undefined>;
  /** True when an app was deleted. */
  deleteApp(tenantId: string, appId: string): Promise<boolean>;
  /** One tenant's apps, or every tenant's; ordered by tenant id then app id. */
  apps(tenantId?: string): Promise<StoredApp[]>;
  /** Keeps the newest suite_ticket of a suite (sealed); a ticket older than the one kept is ignored. */
  putSuiteTicket(suiteId: string, sealedTicket: string, at: number): Promise<void>;
  suiteTicket(suiteId: string): Promise<{ ticket: string; receivedAt: string } | undefined>;
  /**
   * Deletes the tenants whose purgeAfter has passed, with everything the host keeps under their id: apps, installs,
   * their plugin storage, usage, workflows, runs, events, inbox rows, contact sends, effects. Answers the ids purged.
   */
  purgeDue(now: number): Promise<string[]>;
}

export type InstallStatus = 'active' | 'uninstalled';

/** One tenant's install of a registry version. */
export interface StoredInstall {
  id: string;
  tenantId: string;
  pluginId: string;
  version: string;
  /** The permissions the tenant consented to. */
  grants: string[];
  /** The install's config as JSON, sealed. */
  config: string;
  /** Sealed; null: its webhook triggers refuse every request. */
  webhookSecret: string | null;
  wecomApp: string | null;
  status: InstallStatus;
  createdAt: string;
  updatedAt: string;
  /** ISO 8601; null while active. */
  uninstalledAt: string | null;
  /** ISO 8601; until when an uninstalled install's data (plugin storage, usage) is kept. */
  retainUntil: string | null;
}

export type InstallCreateOutcome =
  | { ok: true; install: StoredInstall }
  | { ok: false; reason: 'exists' | 'plugin_installed' };

export interface InstallStore {
  /**
   * Inserts an active install. Refuses an id already taken (`exists`, whatever its status or tenant) and a second active
   * install of the same plugin in one tenant (`plugin_installed`), in one transaction.
   */
  create(install: Omit<StoredInstall, 'status' | 'createdAt' | 'updatedAt' | 'uninstalledAt' | 'retainUntil'>, at: number): Promise<InstallCreateOutcome>;
  get(id: string): Promise<StoredInstall | undefined>;
  /** Ordered by tenant id then id; filters optional. */
  list(filter?: { tenantId?: string; pluginId?: string; status?: InstallStatus }): Promise<StoredInstall[]>;
  /**
   * Moves an active install to another version with the grants and config given, only if it is still at `fromVersion`
   * with the sealed config `fromConfig` it was read with (a concurrent upgrade wins once, and a config edited meanwhile
   * is not overwritten); undefined when it was not (or is not active).
   */
  upgrade(id: string, change: { fromVersion: string; fromConfig: string; version: string; grants: string[]; config: string }, at: number): Promise<StoredInstall | undefined>;
  /** Replaces config, webhook secret and wecom app of an active install (a key left out is unchanged). */
  update(id: string, patch: { config?: string; webhookSecret?: string | null; wecomApp?: string | null }, at: number): Promise<StoredInstall | undefined>;
  /** Active → uninstalled with uninstalledAt and retainUntil; undefined when not active. */
  uninstall(id: string, at: number, retainUntil: number): Promise<StoredInstall | undefined>;
  /** Deletes uninstalled installs whose retainUntil has passed, with their plugin storage and usage; answers their ids. */
  purgeDue(now: number): Promise<string[]>;
}

/** A counter every change to tenants, apps and installs moves, so each host process knows when to reload them. */
export interface CatalogRevision {
  /** The current revision (0 before any change). */
  current(): Promise<number>;
  /** Moves it by one and answers the new value. */
  bump(): Promise<number>;
}

/** One install's use of the host in one month (the tenant's calendar month, "YYYY-MM"). */
export interface UsageRecord {
  tenantId: string;
  pluginId: string;
  installId: string;
  month: string;
  invocations: number;
  cpuMs: number;
  wecomCalls: number;
  effects: number;
  /** Distinct staff accounts (userid) the install's calls named. */
  staff: number;
  /** Distinct external contacts (external_userid) the install's calls named. */
  contacts: number;
}

/** What one invocation, or one capability call, adds; every number may be 0. */
export interface UsageDelta {
  tenantId: string;
  pluginId: string;
  installId: string;
  month: string;
  invocations: number;
  cpuMs: number;
  wecomCalls: number;
  effects: number;
  staff: readonly string[];
  contacts: readonly string[];
}

export interface UsageStore {
  /** Adds the deltas (one transaction; counters summed, subjects kept once per install and month). */
  record(deltas: readonly UsageDelta[]): Promise<void>;
  /**
   * Usage rows, ordered by month descending then tenant, plugin, install; filters optional. `pluginIds` keeps only
   * those plugins (a vendor's); an empty list matches nothing.
   */
  list(filter?: { tenantId?: string; pluginIds?: readonly string[]; installId?: string; month?: string; fromMonth?: string; toMonth?: string }): Promise<UsageRecord[]>;
}
