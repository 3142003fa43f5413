// What a host process knows of its tenants, apps, suites and installs at one moment: the config file's, merged with
// those made at run time (the admin API, suite authorisations), secrets opened.
import type { SuiteConfig, TenantConfig } from '../config/types.ts';
import type { Directory } from '../ingress/directory.ts';
import type { Install } from '../plugins/types.ts';

/** Where a tenant or an install was made; `config` ones are read-only through the API. */
export type Origin = 'config' | 'api' | 'suite';

export interface CatalogTenant extends TenantConfig {
  origin: Origin;
  status: 'active' | 'disabled';
  /** Suite-authorised tenants: how the host acts for them (the suite's secret is the config's). */
  suite?: { suiteId: string; permanentCode: string; agentId?: number };
  disabledAt?: string;
  purgeAfter?: string;
}

export interface CatalogInstall extends Install {
  origin: 'config' | 'registry';
  /** The plugin version installed. */
  version: string;
  webhookSecret?: string;
  /** The tenant app whose secret its `wecom` calls use. */
  wecomApp?: string;
}

export interface CatalogSnapshot {
  /** The store's catalog revision this was read at. */
  revision: number;
  /** Every tenant, disabled ones included, by id. */
  tenants: ReadonlyMap<string, CatalogTenant>;
  suites: readonly SuiteConfig[];
  /** The installs of active tenants; uninstalled ones are not here. */
  installs: readonly CatalogInstall[];
  /** Callback targets of the active tenants and the suites. */
  directory: Directory;
}
