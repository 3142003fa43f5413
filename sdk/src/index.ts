// @lianjie/sdk: write a Lianjie plugin. `definePlugin` binds handlers to plugin.json; the types describe the manifest
// and what a handler's `ctx` offers.
export { definePlugin } from './define-plugin.ts';
export type {
  ActionHandler, ActionOf, TriggerOf, DefinedPlugin, ManifestIds, MigrationContext, MigrationHandler, MigrationOf, PluginHandlers, PluginTypes, TriggerHandler, UntypedPlugin,
} from './define-plugin.ts';
export type { Failure, HttpCapability, HttpResponse, LogCapability, PluginContext, StoreCapability, WecomAnswer, WecomCapability } from './context.ts';
export type { PluginManifest } from './generated/plugin-manifest.ts';
export type * from './generated/events.ts';
export type { Result } from './sandbox/result.ts';
