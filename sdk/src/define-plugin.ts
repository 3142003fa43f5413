// definePlugin: binds a plugin's handlers to the action and trigger ids and the config migrations of its plugin.json,
// checks that the two agree, and registers the handlers with the sandbox when the bundle runs there.
import type { PluginContext } from './context.ts';

/** The types of a plugin's handlers, as `lianjie-plugin types` writes them from plugin.json's schemas. */
export interface PluginTypes {
  actions: Record<string, { input: unknown; output: unknown }>;
  triggers: Record<string, { input: unknown; output: unknown }>;
  config: unknown;
}

/** Any plugin: handlers take and return unknown values. */
export interface UntypedPlugin extends PluginTypes {
  actions: Record<string, { input: any; output: unknown }>;
  triggers: Record<string, { input: any; output: unknown }>;
  config: Record<string, unknown>;
}

type Awaitable<T> = T | Promise<T>;

export type ActionHandler<In, Out, Config> = (input: In, ctx: PluginContext<Config>) => Awaitable<Out>;
/** A trigger answers its output, or null when there is nothing to start. */
export type TriggerHandler<In, Out, Config> = (input: In, ctx: PluginContext<Config>) => Awaitable<Out | null>;

/** The handler of action `K` of a plugin typed `T`: for a handler in a file of its own. */
export type ActionOf<T extends PluginTypes, K extends keyof T['actions']> = ActionHandler<T['actions'][K]['input'], T['actions'][K]['output'], T['config']>;
/** The handler of trigger `K` of a plugin typed `T`. */
export type TriggerOf<T extends PluginTypes, K extends keyof T['triggers']> = TriggerHandler<T['triggers'][K]['input'], T['triggers'][K]['output'], T['config']>;

/**
 * What a config migration receives as `ctx`: the config it migrates, as the install had it under the earlier
 * version. A migration runs while the install is upgraded, before it may call anything: every capability is denied.
 */
export interface MigrationContext {
  readonly config: unknown;
}

/** Takes a config valid for some version of the earlier major and answers one valid for this version's `config` schema. */
export type MigrationHandler<Config> = (config: unknown, ctx: MigrationContext) => Awaitable<Config>;
/** A config migration of a plugin typed `T`. */
export type MigrationOf<T extends PluginTypes> = MigrationHandler<T['config']>;

export interface PluginHandlers<T extends PluginTypes> {
  actions: { [K in keyof T['actions']]: ActionOf<T, K> };
  triggers?: { [K in keyof T['triggers']]: TriggerOf<T, K> };
  /** By the major version they migrate from, one for each of plugin.json's `configMigrations`. */
  migrations?: { [fromMajor: number]: MigrationOf<T> };
}

/**
 * What definePlugin reads of plugin.json: its id, the ids of its actions and triggers, and the majors its config
 * migrations come from. Any manifest, including plugin.json imported as JSON (whose inferred type is wider than
 * PluginManifest), passes without a cast.
 */
export interface ManifestIds {
  id: string;
  actions: readonly { id: string }[];
  triggers: readonly { id: string }[];
  configMigrations?: readonly { from: number }[];
}

export interface DefinedPlugin<T extends PluginTypes = UntypedPlugin> {
  manifest: ManifestIds;
  actions: PluginHandlers<T>['actions'];
  triggers: NonNullable<PluginHandlers<T>['triggers']>;
  migrations: NonNullable<PluginHandlers<T>['migrations']>;
}

/** The sandbox's registration hook, present only inside a plugin isolate. */
interface SandboxGlobal {
  lianjie?: { register(plugin: { actions: object; triggers: object; migrations: object }): void };
}

/**
 * Checks that every action, trigger and config migration of `manifest` has a handler and every handler an entry in
 * `manifest` (throwing one error that lists every mismatch), then registers the handlers with the sandbox when
 * running inside one. Answers the plugin, so tests can call its handlers directly.
 */
export function definePlugin<T extends PluginTypes = UntypedPlugin>(manifest: ManifestIds, handlers: PluginHandlers<T>): DefinedPlugin<T> {
  const triggers = (handlers.triggers ?? {}) as NonNullable<PluginHandlers<T>['triggers']>;
  const migrations = (handlers.migrations ?? {}) as NonNullable<PluginHandlers<T>['migrations']>;
  const problems = [
    ...mismatches('action', manifest.actions.map((a) => a.id), handlers.actions, 'action of that id'),
    ...mismatches('trigger', manifest.triggers.map((t) => t.id), triggers, 'trigger of that id'),
    ...mismatches('migration', (manifest.configMigrations ?? []).map((m) => String(m.from)), migrations, 'configMigrations entry from that major'),
  ];
  if (problems.length > 0) throw new Error(`${manifest.id}: ${problems.join('; ')}`);
  const plugin: DefinedPlugin<T> = { manifest, actions: handlers.actions, triggers, migrations };
  const sandbox = (globalThis as SandboxGlobal).lianjie;
  if (sandbox) sandbox.register({ actions: plugin.actions, triggers: plugin.triggers, migrations: plugin.migrations });
  return plugin;
}

function mismatches(kind: string, ids: readonly string[], handlers: object, entry: string): string[] {
  const given = Object.keys(handlers);
  return [
    ...ids.filter((id) => !given.includes(id)).map((id) => `${kind} "${id}" in plugin.json has no handler`),
    ...given.filter((id) => !ids.includes(id)).map((id) => `${kind} handler "${id}" has no ${entry} in plugin.json`),
    ...given.filter((id) => typeof (handlers as Record<string, unknown>)[id] !== 'function').map((id) => `${kind} handler "${id}" is not a function`),
  ];
}
