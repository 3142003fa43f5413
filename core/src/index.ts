// The host's programmatic surface, listed explicitly.
export { createHost, type Host, type HostOptions } from './host.ts';
export { loadConfig, parseConfig, type LoadedConfig } from './config/load.ts';
export type { HostConfig, TenantConfig, AppConfig, SuiteConfig } from './config/types.ts';
export { LianjieError, isLianjieError, errorCodes, type ErrorCode, type ErrorDetail } from './errors.ts';
export type { CanonicalEvent, StoredEvent, Store } from './store/types.ts';
