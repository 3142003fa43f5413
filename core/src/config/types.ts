// The host configuration after loading: every secret resolved, every default applied.
import type { ContactQuotaPolicy } from '../wecom/contact-quota.ts';

export interface AppConfig {
  id: string;
  agentId?: number;
  secret?: string;
  token: string;
  encodingAesKey: string;
}

export interface TenantConfig {
  id: string;
  name?: string;
  corpId: string;
  timezone: string;
  apps: AppConfig[];
  /** Messages to one customer, across every plugin of the tenant. */
  contactQuota?: ContactQuotaPolicy;
}

export interface SuiteConfig {
  id: string;
  providerCorpId?: string;
  secret?: string;
  token: string;
  encodingAesKey: string;
}

/** A plugin installed for a tenant from a plugin directory; core/src/plugins/installs.ts loads it. */
export interface InstallConfig {
  id: string;
  tenant: string;
  /** The plugin directory as written, relative to the config file. */
  plugin: string;
  /** The sha256 its bundle must have. */
  sha256?: string;
  grants: string[];
  /** As written; checked against the plugin's config schema when the install is loaded. */
  config: Record<string, unknown>;
  /** Signs the bodies of requests to the install's webhook triggers; none: they refuse every request. */
  webhookSecret?: string;
  /** The tenant app whose secret the install's `wecom` calls use; absent: the tenant's only app with a secret. */
  wecomApp?: string;
}

export interface SandboxConfig {
  /** Absent: the machine's cores. */
  workers?: number;
  maxIsolatesPerWorker: number;
  maxima: { memoryMb: number; timeoutMs: number; cpuMs: number; outputKb: number };
}

export interface EngineConfig {
  concurrency: number;
  perTenant: number;
  leaseMs: number;
  retentionDays: number;
}

export interface ApiToken {
  id: string;
  token: string;
  /** Default: `platform` without `tenants`, `tenant` with them. Vendor tokens are issued through the API. */
  role?: 'platform' | 'tenant';
  /** The tenants the token may see, whatever its role. */
  tenants?: string[];
}

export interface HostConfig {
  database: string;
  host: string;
  port: number;
  publicUrl?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  wecom: { baseUrl: string };
  sqlite: { synchronous: 'FULL' | 'NORMAL' };
  sandbox: SandboxConfig;
  engine: EngineConfig;
  api: { tokens: ApiToken[] };
  marketplace: { retainDays: number };
  tenants: TenantConfig[];
  suites: SuiteConfig[];
  installs: InstallConfig[];
}
