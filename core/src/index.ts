// The host's programmatic surface, listed explicitly.
export { createHost, type Host, type HostOptions } from './host.ts';
export { loadConfig, parseConfig, type LoadedConfig } from './config/load.ts';
export type { HostConfig, TenantConfig, AppConfig, SuiteConfig, InstallConfig } from './config/types.ts';
export { LianjieError, isLianjieError, errorCodes, type ErrorCode, type ErrorDetail } from './errors.ts';
export type { CanonicalEvent, StoredEvent, Store } from './store/types.ts';
export { createPluginRunner, type PluginRunner, type InvocationContext, type InvocationEvent, type InvocationKind } from './sandbox/runner.ts';
export type { Result, Failure } from '../../sdk/src/sandbox/index.ts';
export { createStandardCapabilities } from './capabilities/standard.ts';
export { loadPluginDir } from './plugins/load.ts';
export { loadInstalls } from './plugins/installs.ts';
export { validateWorkflow, type ValidateOptions } from './engine/workflow/validate.ts';
export type { Workflow } from './generated/workflow.ts';
export type { Install, LoadedPlugin, PluginManifest } from './plugins/types.ts';
