// The host configuration after loading: every secret resolved, every default applied.

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
}

export interface SuiteConfig {
  id: string;
  providerCorpId?: string;
  secret?: string;
  token: string;
  encodingAesKey: string;
}

export interface HostConfig {
  database: string;
  host: string;
  port: number;
  publicUrl?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  sqlite: { synchronous: 'FULL' | 'NORMAL' };
  tenants: TenantConfig[];
  suites: SuiteConfig[];
}
