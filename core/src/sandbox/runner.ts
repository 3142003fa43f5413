// Runs a plugin's actions, triggers and config migrations for an install: boundary checks, limits, grants, and the
// sandbox pool.
import type { CapabilityRegistry } from '../capabilities/registry.ts';
import { knownPermissions } from '../capabilities/permissions.ts';
import type { CallScope } from '../capabilities/types.ts';
import { isLianjieError } from '../errors.ts';
import { checkHandlers } from '../plugins/handlers.ts';
import { resolveInstallConfig } from '../plugins/install-config.ts';
import { pluginSchemas } from '../plugins/plugin-schemas.ts';
import { summarize } from '../plugins/summary.ts';
import type { Install, LoadedPlugin } from '../plugins/types.ts';
import { defaultMaxima, resolveLimits, type Limits } from './limits.ts';
import { createSandboxPool, failure, type Failure, type PoolEvent, type Result, type SandboxCall, type SandboxPoolOptions } from '../../../sdk/src/sandbox/index.ts';

export type InvocationKind = 'action' | 'trigger' | 'migration';

/** One invocation the pool ran (or tried to: its worker may have died), for metering. */
export interface InvocationEvent {
  scope: CallScope;
  kind: InvocationKind;
  /** The action or trigger id; for a migration, the major it comes from. */
  handler: string;
  /** Whether the caller got a result rather than a failure (the output's schema check included). */
  ok: boolean;
  /** CPU time the invocation used in its isolate, fractional; 0 when unknown (its worker died). */
  cpuMs: number;
}

export interface PluginRunnerOptions extends Omit<SandboxPoolOptions<InvocationScope>, 'onCall'> {
  capabilities: CapabilityRegistry;
  /** The most a manifest may ask for; DESIGN.md §4 defaults otherwise. */
  maxima?: Limits;
  onEvent?(event: PoolEvent): void;
  /** Told of every invocation dispatched to the sandbox, once it ends. Runs on the invocation's path: keep it cheap. */
  onInvocation?(event: InvocationEvent): void;
}

export interface InvocationContext {
  runId?: string;
  /** `runId:stepId` for workflow steps; capabilities with effects record it. */
  idempotencyKey?: string;
  /** A wall-time limit below the action's own (a workflow step's timeoutMs). */
  timeoutMs?: number;
}

interface InvocationScope {
  call: CallScope;
  grants: readonly string[];
}

export function createPluginRunner(options: PluginRunnerOptions) {
  const { capabilities } = options;
  const maxima = options.maxima ?? defaultMaxima;
  const pool = createSandboxPool<InvocationScope>({
    ...options,
    onCall: (scope, capability, method, args) => capabilities.call(scope.call, scope.grants, capability, method, args),
  });
  // A bundle is checked against its manifest once per version and sha: every id has a handler.
  const verified = new Map<string, Promise<Result<null>>>();
  const capabilityNames = Object.keys(capabilities.describe(knownPermissions()));

  function verify(plugin: LoadedPlugin): Promise<Result<null>> {
    const key = `${plugin.manifest.id}@${plugin.manifest.version}#${plugin.bundle.sha256}`;
    let check = verified.get(key);
    if (!check) {
      check = (async (): Promise<Result<null>> => {
        try {
          const limits = resolveLimits(plugin.manifest, maxima);
          const described = await pool.inspect(bundleOf(plugin), limits.memoryMb);
          if (!described.ok) return described;
          if (!described.output.registered) return failure('manifest.invalid', 'the bundle never called lianjie.register');
          checkHandlers(plugin.manifest, described.output);
          return { ok: true, output: null };
        } catch (error) {
          if (isLianjieError(error)) return failure(error.code, error.message, false, error.details);
          throw error;
        }
      })();
      verified.set(key, check);
      // A crash while checking is not a verdict on the bundle: check again next time.
      void check.then((r) => {
        if (!r.ok && r.failure.retryable) verified.delete(key);
      });
    }
    return check;
  }

  /** Capabilities the install cannot call, each with the reason its ctx getter throws as capability.denied. */
  function denied(granted: Record<string, string[]>, manifest: Install['plugin']['manifest']): Record<string, string> {
    const out: Record<string, string> = {};
    const declared = manifest.permissions as string[];
    for (const name of capabilityNames) {
      if (granted[name]) continue;
      // The permissions the capability's methods need: its name (store, http), or one per method (wecom.*).
      const needed = [...new Set((everyMethod[name] ?? []).map((m) => capabilities.permissionOf(name, m) ?? name))];
      const what = needed.length === 1 ? `the "${needed[0]}" permission` : `one of its permissions (${needed.slice(0, 3).map((p) => `"${p}"`).join(', ')}${needed.length > 3 ? ', …' : ''})`;
      out[name] = needed.some((p) => declared.includes(p))
        ? `ctx.${name} needs ${what}, which this install was not granted`
        : `ctx.${name} needs ${what}, which plugin.json does not declare`;
    }
    return out;
  }

  // A migration runs while an install is upgraded, before the new version holds any grant: every ctx getter refuses.
  const migrationDenied = Object.fromEntries(capabilityNames.map((name) => [name, `ctx.${name} is not available while a config migration runs`]));
  const migrationTail = (config: unknown, outputLimit: number) =>
    JSON.stringify({ config, capabilities: {}, denied: migrationDenied, deniedMethods: {}, outputLimit }).slice(1);

  /** Of capabilities the install holds some methods of, the others, each with the permission it lacks. */
  const everyMethod = capabilities.describe(knownPermissions());
  function deniedMethods(granted: Record<string, string[]>, manifest: Install['plugin']['manifest']): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const [name, methods] of Object.entries(granted)) {
      for (const method of everyMethod[name] ?? []) {
        if (methods.includes(method)) continue;
        const permission = capabilities.permissionOf(name, method) ?? name;
        const declared = (manifest.permissions as string[]).includes(permission);
        (out[name] ??= {})[method] = `ctx.${name}.${method} needs the "${permission}" permission, which ${declared ? 'this install was not granted' : 'plugin.json does not declare'}`;
      }
    }
    return out;
  }

  // What stays the same for every invocation of an install, worked out once. An Install is treated as a
  // value: a changed config or grant comes as a new Install object.
  const preparedInstalls = new WeakMap<Install, ReturnType<typeof prepare>>();
  function prepare(install: Install) {
    const { manifest } = install.plugin;
    const limits = resolveLimits(manifest, maxima);
    const grants = install.grants.filter((g) => (manifest.permissions as string[]).includes(g));
    const granted = capabilities.describe(grants);
    const tail = JSON.stringify({
      config: install.config, capabilities: granted, denied: denied(granted, manifest), deniedMethods: deniedMethods(granted, manifest), outputLimit: limits.outputKb * 1024,
    });
    return { limits, grants, granted, installKey: installKeyOf(install), requestTail: tail.slice(1) };
  }
  function prepared(install: Install) {
    let entry = preparedInstalls.get(install);
    if (!entry) {
      entry = prepare(install);
      preparedInstalls.set(install, entry);
    }
    return entry;
  }

  async function invoke(kind: 'action' | 'trigger', install: Install, handlerId: string, input: unknown, context: InvocationContext): Promise<Result> {
    const { manifest } = install.plugin;
    const declared = kind === 'action' ? manifest.actions : manifest.triggers;
    const index = declared.findIndex((a) => a.id === handlerId);
    if (index < 0) return failure(`${kind}.not_found`, `plugin ${manifest.id}@${manifest.version} has no ${kind} "${handlerId}"`);
    const checked = await verify(install.plugin);
    if (!checked.ok) return checked;
    const schemas = pluginSchemas(manifest);
    const checkInput = kind === 'action' ? schemas.actionInput(handlerId) : schemas.triggerInput(handlerId);
    // What is checked is exactly what crosses: the input's JSON form, parsed back (a Date becomes its string).
    // It is encoded again only when the schema's defaults changed it.
    let inputJson = JSON.stringify(input ?? null);
    const inputCheck = checkInput(JSON.parse(inputJson), { inPlace: true });
    if (!inputCheck.ok) return failure(`${kind}.input_invalid`, `the input of ${manifest.id}/${handlerId} does not match its schema`, false, inputCheck.details);
    if (checkInput.appliesDefaults) inputJson = JSON.stringify(inputCheck.value);

    const { limits, grants, granted, installKey, requestTail } = prepared(install);
    const ownMs = (kind === 'action' ? manifest.actions[index]!.timeoutMs : undefined) ?? limits.timeoutMs;
    const wallMs = context.timeoutMs === undefined ? ownMs : Math.min(ownMs, context.timeoutMs);
    const request = (id: string) =>
      `${JSON.stringify({ id, kind, handler: handlerId, idempotencyKey: context.idempotencyKey, runId: context.runId }).slice(0, -1)},${requestTail}`;
    const ended = new AbortController();
    const scope = {
      grants,
      call: {
        tenantId: install.tenantId, installId: install.id, pluginId: manifest.id, pluginVersion: manifest.version,
        httpHosts: manifest.http?.hosts ?? [], runId: context.runId, idempotencyKey: context.idempotencyKey, signal: ended.signal,
      },
    };
    const call = {
      tenantId: install.tenantId, installKey, bundle: bundleOf(install.plugin), memoryMb: limits.memoryMb, cpuMs: limits.cpuMs, wallMs,
      methods: granted, request, input: inputJson, scope,
    };
    return runInPool(kind, handlerId, call, ended, (result) => {
      if (!result.ok) return result;
      // A trigger answering null has nothing to start.
      if (kind === 'trigger' && result.output === null) return result;
      // Parsed by this process from the worker's message: ours to fill with defaults.
      const checkOutput = kind === 'action' ? schemas.actionOutput(handlerId) : schemas.triggerOutput(handlerId);
      const outputCheck = checkOutput(result.output, { inPlace: true });
      if (!outputCheck.ok) return failure(`${kind}.output_invalid`, `the output of ${manifest.id}/${handlerId} does not match its schema`, false, outputCheck.details);
      return { ok: true, output: outputCheck.value };
    });
  }

  /** Runs `call` in the pool, turns its result into the caller's with `check`, and reports the invocation. */
  async function runInPool<T>(
    kind: InvocationKind, handler: string, call: SandboxCall<InvocationScope>, ended: AbortController, check: (result: Result) => Result<T>,
  ): Promise<Result<T>> {
    let cpuMs = 0;
    if (options.onInvocation) call.onCpu = (measured) => { cpuMs = measured; };
    const ran = await pool.run(call);
    ended.abort(invocationEnded); // a shared reason: abort() would otherwise build a DOMException each time
    const result = check(ran);
    options.onInvocation?.({ scope: call.scope.call, kind, handler, ok: result.ok, cpuMs });
    return result;
  }

  // The new version's bundle, run on the old config: no capabilities, the manifest's limits, and an output the new
  // config schema must accept (its defaults applied) before it is anyone's config.
  async function migrate(install: Install, fromMajor: number, config: unknown, context: { timeoutMs?: number }): Promise<Result<Record<string, unknown>>> {
    const { manifest } = install.plugin;
    const about = `the config migration of ${manifest.id}@${manifest.version} from major ${fromMajor}`;
    const failed = (cause: Failure) => failure('install.migration_failed', `${about} failed: ${cause.message} (${cause.code})`, cause.retryable, cause.details);
    if (!(manifest.configMigrations ?? []).some((m) => m.from === fromMajor)) {
      return failure('install.migration_failed', `${about} does not exist: plugin.json declares none from that major`);
    }
    const checked = await verify(install.plugin);
    if (!checked.ok) return failed(checked.failure);
    const limits = resolveLimits(manifest, maxima);
    const handler = String(fromMajor);
    const tail = migrationTail(config ?? null, limits.outputKb * 1024);
    const ended = new AbortController();
    const call = {
      tenantId: install.tenantId, installKey: installKeyOf(install), bundle: bundleOf(install.plugin),
      memoryMb: limits.memoryMb, cpuMs: limits.cpuMs, wallMs: Math.min(limits.timeoutMs, context.timeoutMs ?? Infinity),
      methods: {}, request: (id: string) => `${JSON.stringify({ id, kind: 'migration', handler }).slice(0, -1)},${tail}`, input: JSON.stringify(config ?? null),
      scope: {
        grants: [],
        call: { tenantId: install.tenantId, installId: install.id, pluginId: manifest.id, pluginVersion: manifest.version, httpHosts: [], signal: ended.signal },
      },
    };
    return runInPool('migration', handler, call, ended, (result): Result<Record<string, unknown>> => {
      if (!result.ok) return failed(result.failure);
      try {
        return { ok: true, output: resolveInstallConfig(manifest, result.output) };
      } catch (error) {
        if (!isLianjieError(error)) throw error;
        return failure('install.migration_failed', `${about} answered a config this version refuses: ${summarize(error.details)}`, false, error.details);
      }
    });
  }

  return {
    /** Checks a plugin's bundle against its manifest (every id has a handler, limits within the maxima). */
    verify,

    /** Runs action `actionId` of the install's plugin with `input`, both checked against the action's schemas. */
    runAction(install: Install, actionId: string, input: unknown, context: InvocationContext = {}): Promise<Result> {
      return invoke('action', install, actionId, input, context);
    },

    /**
     * Runs trigger `triggerId` with `input` (a webhook's body, checked against the trigger's `input` schema; a
     * schedule's tick; a canonical event). Its output, unless null (nothing to start), is checked against `output`.
     */
    runTrigger(install: Install, triggerId: string, input: unknown, context: InvocationContext = {}): Promise<Result> {
      return invoke('trigger', install, triggerId, input, context);
    },

    /**
     * Runs the config migration from major `fromMajor` that `install`'s plugin (the version being moved to) registers,
     * on `config` (the install's config under the earlier version, also its ctx.config), with no capabilities. Its
     * output, checked against the plugin's config schema and its defaults applied, is the install's new config. Every
     * failure is install.migration_failed, its cause's details kept.
     */
    runMigration(install: Install, fromMajor: number, config: unknown, context: { timeoutMs?: number } = {}): Promise<Result<Record<string, unknown>>> {
      return migrate(install, fromMajor, config, context);
    },

    status: () => pool.status(),
    stats: () => pool.stats(),
    pids: () => pool.pids(),
    close: () => pool.close(),
  };
}

export type PluginRunner = ReturnType<typeof createPluginRunner>;

const invocationEnded = new Error('the invocation ended');

/** One isolate per install and bundle: a migration warms the isolate the upgraded install's actions then run in. */
function installKeyOf(install: Install): string {
  return `${install.tenantId}/${install.id}/${install.plugin.bundle.sha256}`;
}

function bundleOf(plugin: LoadedPlugin) {
  return { code: plugin.bundle.code, sha256: plugin.bundle.sha256, name: `plugin:${plugin.manifest.id}@${plugin.manifest.version}` };
}
