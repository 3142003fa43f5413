// createTestHost: a plugin's actions, triggers and config migrations run in the sandbox the host runs them in (a
// supervised worker process holding an isolated-vm isolate, the same bridge and limits), with the host's checks around
// each call (input, output and config against plugin.json, grants, capability arguments) and fakes for the capabilities.
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { bundlePlugin } from '../cli/build.ts';
import { readPluginDir } from '../cli/plugin-dir.ts';
import { manifestProblems } from '../cli/validate.ts';
import type { PluginTypes, UntypedPlugin } from '../define-plugin.ts';
import type { PluginManifest } from '../generated/plugin-manifest.ts';
import { under } from '../manifest/plugin-ajv.ts';
import { createSandboxPool, failure, type Failure, type RegisteredIds, type Result, type SandboxBundle } from '../sandbox/index.ts';
import { fakeHttp, FakeFailure, fakeLog, fakeStore, fakeWecom, permissionOf, type CallScope, type FakeCapability, type HttpRequest, type HttpStubs, type LogRecord, type WecomStubs } from './fakes.ts';
import { capabilityArgs, compilePluginSchemas } from './schemas.ts';

export interface TestHostOptions {
  /**
   * The plugin project (default: the current folder). With a `src/index.ts` it is bundled fresh, as
   * `lianjie-plugin build` bundles it, so a test never runs a stale bundle; otherwise `dist/plugin.js` is run.
   */
  plugin?: string;
  /** The install's config, checked against plugin.json's `config` schema; its defaults are applied. */
  config?: Record<string, unknown>;
  /** Permissions granted to the install; default: every permission plugin.json declares. */
  grants?: string[];
  /** Answers to `ctx.http.fetch`, keyed `"METHOD url"`. A request nothing answers fails `http.failed`. */
  http?: HttpStubs;
  /** What the install's store holds before the first call. */
  store?: Record<string, unknown>;
  /** Answers for `ctx.wecom`, by method. A method nothing answers fails `wecom.not_configured`. */
  wecom?: WecomStubs;
}

export interface InvokeContext {
  runId?: string;
  /** Set as a workflow step sets it (`runId:stepId`): requests with effects then carry an Idempotency-Key. */
  idempotencyKey?: string;
}

export interface CapabilityCall {
  capability: string;
  method: string;
  args: unknown;
  result: Result;
}

export interface TestHost<T extends PluginTypes = UntypedPlugin> {
  readonly manifest: PluginManifest;
  runAction<K extends keyof T['actions'] & string>(id: K, input: T['actions'][K]['input'], context?: InvokeContext): Promise<Result<T['actions'][K]['output']>>;
  /** A trigger's output, or `{ ok: true, output: null }` when it has nothing to start. */
  runTrigger<K extends keyof T['triggers'] & string>(id: K, input: T['triggers'][K]['input'], context?: InvokeContext): Promise<Result<T['triggers'][K]['output'] | null>>;
  /**
   * Runs the config migration from major `fromMajor` on `config` (an install's config under that major), as the host
   * runs it when an install is upgraded: no capabilities, the output checked against plugin.json's config schema
   * with its defaults applied. Every failure is install.migration_failed, its cause's details kept.
   */
  migrateConfig(fromMajor: number, config: unknown): Promise<Result<T['config']>>;
  /** Every capability call, in order, with what the plugin got back. */
  readonly calls: readonly CapabilityCall[];
  readonly logs: readonly LogRecord[];
  /** Every `ctx.http.fetch` request that passed the host's checks, as the stubs saw it. */
  readonly requests: readonly HttpRequest[];
  /** The install's store, to read or to seed between calls. */
  readonly store: Map<string, unknown>;
  /** Stops the sandbox worker process. */
  close(): Promise<void>;
}

/** DESIGN.md §4: the host's defaults, which a manifest's `limits` may raise. */
const defaultLimits = { memoryMb: 32, timeoutMs: 2000, cpuMs: 100, outputKb: 256 };

interface Scope extends CallScope {
  grants: readonly string[];
}

export async function createTestHost<T extends PluginTypes = UntypedPlugin>(options: TestHostOptions = {}): Promise<TestHost<T>> {
  const root = path.resolve(options.plugin ?? '.');
  const { manifest } = readPluginDir(root);
  const problems = manifestProblems(manifest);
  if (problems.length > 0) throw new Error(`${path.join(root, 'plugin.json')}: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`);
  const bundle = await loadBundle(root, manifest);
  const schemas = compilePluginSchemas(manifest);
  const config = schemas.config(options.config ?? {});
  if (!config.ok) throw new Error(`the config does not match plugin.json's config schema: ${config.details.map((d) => `${d.pointer} ${d.message}`).join('; ')}`);

  const permissions = manifest.permissions as string[];
  const grants = options.grants ?? permissions;
  const unknownGrant = grants.find((g) => !permissions.includes(g));
  if (unknownGrant) throw new Error(`grants: "${unknownGrant}" is not a permission plugin.json declares`);

  const calls: CapabilityCall[] = [];
  const logs: LogRecord[] = [];
  const requests: HttpRequest[] = [];
  const store = new Map<string, unknown>(Object.entries(options.store ?? {}));
  const capabilities: Record<string, FakeCapability> = {
    log: fakeLog(logs), store: fakeStore(store), http: fakeHttp(options.http ?? {}, requests), wecom: fakeWecom(options.wecom ?? {}),
  };
  // As the host offers them: a capability's ctx surface holds the methods granted; one with none granted is denied.
  const granted: Record<string, string[]> = {};
  const denied: Record<string, string> = {};
  const deniedMethods: Record<string, Record<string, string>> = {};
  for (const [name, capability] of Object.entries(capabilities)) {
    const methods = Object.keys(capability.methods).filter((m) => {
      const permission = permissionOf(capability, m);
      return permission === null || grants.includes(permission);
    });
    for (const m of Object.keys(capability.methods)) {
      const permission = permissionOf(capability, m);
      if (methods.length === 0 || methods.includes(m) || permission === null) continue;
      const why = permissions.includes(permission) ? 'this install was not granted' : 'plugin.json does not declare';
      (deniedMethods[name] ??= {})[m] = `ctx.${name}.${m} needs the "${permission}" permission, which ${why}`;
    }
    if (methods.length > 0) {
      granted[name] = methods;
      continue;
    }
    // Worded as the host words it: the capability's one permission, or some of its per-method ones.
    const needed = [...new Set(Object.keys(capability.methods).map((m) => permissionOf(capability, m) ?? name))];
    const what = needed.length === 1 ? `the "${needed[0]}" permission` : `one of its permissions (${needed.slice(0, 3).map((p) => `"${p}"`).join(', ')}${needed.length > 3 ? ', …' : ''})`;
    denied[name] = `ctx.${name} needs ${what}, which ${needed.some((p) => permissions.includes(p)) ? 'this install was not granted' : 'plugin.json does not declare'}`;
  }

  const pool = createSandboxPool<Scope>({
    size: 1,
    async onCall(scope, capability, method, args) {
      const result = await callCapability(capabilities[capability], scope, capability, method, args);
      calls.push({ capability, method, args, result });
      return result;
    },
  });
  const limits = { ...defaultLimits, ...manifest.limits };
  const described = await pool.inspect(bundle, limits.memoryMb);
  const handlerProblem = !described.ok ? `the bundle does not load: ${described.failure.message}` : checkHandlers(manifest, described.output);
  if (handlerProblem) {
    pool.close();
    throw new Error(handlerProblem);
  }

  async function invoke(kind: 'action' | 'trigger', id: string, input: unknown, context: InvokeContext): Promise<Result> {
    const declared = kind === 'action' ? manifest.actions.find((a) => a.id === id) : manifest.triggers.find((t) => t.id === id);
    if (!declared) return failure(`${kind}.not_found`, `plugin ${manifest.id}@${manifest.version} has no ${kind} "${id}"`);
    const checkedInput = schemas.input(kind, id)(input);
    if (!checkedInput.ok) return failure(`${kind}.input_invalid`, `the input of ${manifest.id}/${id} does not match its schema`, false, checkedInput.details);
    const wallMs = (kind === 'action' ? (declared as { timeoutMs?: number }).timeoutMs : undefined) ?? limits.timeoutMs;
    const request = (invocationId: string) =>
      JSON.stringify({
        id: invocationId, kind, handler: id, idempotencyKey: context.idempotencyKey, runId: context.runId,
        config: config.ok ? config.value : {}, capabilities: granted, denied, deniedMethods, outputLimit: limits.outputKb * 1024,
      });
    const result = await pool.run({
      tenantId: 'test', installKey: `test/install/${bundle.sha256}`, bundle,
      memoryMb: limits.memoryMb, cpuMs: limits.cpuMs, wallMs, methods: granted, request, input: JSON.stringify(checkedInput.value),
      scope: { grants, httpHosts: manifest.http?.hosts ?? [], idempotencyKey: context.idempotencyKey, effects: 0 },
    });
    if (!result.ok || (kind === 'trigger' && result.output === null)) return result;
    const checkedOutput = schemas.output(kind, id)(result.output);
    if (!checkedOutput.ok) return failure(`${kind}.output_invalid`, `the output of ${manifest.id}/${id} does not match its schema`, false, checkedOutput.details);
    return { ok: true, output: checkedOutput.value };
  }

  // Every capability is denied while a migration runs: the install is being upgraded and holds no grant yet.
  const migrationDenied = Object.fromEntries(Object.keys(capabilities).map((name) => [name, `ctx.${name} is not available while a config migration runs`]));

  async function migrateConfig(fromMajor: number, old: unknown): Promise<Result> {
    const about = `the config migration of ${manifest.id}@${manifest.version} from major ${fromMajor}`;
    if (!(manifest.configMigrations ?? []).some((m) => m.from === fromMajor)) {
      return failure('install.migration_failed', `${about} does not exist: plugin.json declares none from that major`);
    }
    const request = (invocationId: string) =>
      JSON.stringify({ id: invocationId, kind: 'migration', handler: String(fromMajor), config: old ?? null, capabilities: {}, denied: migrationDenied, deniedMethods: {}, outputLimit: limits.outputKb * 1024 });
    const result = await pool.run({
      tenantId: 'test', installKey: `test/install/${bundle.sha256}`, bundle,
      memoryMb: limits.memoryMb, cpuMs: limits.cpuMs, wallMs: limits.timeoutMs, methods: {}, request, input: JSON.stringify(old ?? null),
      scope: { grants: [], httpHosts: [], effects: 0 },
    });
    if (!result.ok) return migrationFailure(about, result.failure);
    const checked = schemas.config(result.output);
    if (checked.ok) return { ok: true, output: checked.value };
    // Pointers under /config, as the host words an install's config.
    const details = checked.details.map((d) => ({ pointer: under('/config', d.pointer), message: d.message }));
    return failure('install.migration_failed', `${about} answered a config this version refuses: ${details.map((d) => `${d.pointer} ${d.message}`).join('; ')}`, false, details);
  }

  return {
    manifest,
    runAction: (id, input, context = {}) => invoke('action', id, input, context) as never,
    runTrigger: (id, input, context = {}) => invoke('trigger', id, input, context) as never,
    migrateConfig: (fromMajor, old) => migrateConfig(fromMajor, old) as never,
    calls, logs, requests, store,
    close: async () => pool.close(),
  };
}

async function loadBundle(root: string, manifest: PluginManifest): Promise<SandboxBundle> {
  const name = `plugin:${manifest.id}@${manifest.version}`;
  if (existsSync(path.join(root, 'src', 'index.ts'))) {
    const { code, sha256 } = await bundlePlugin(root);
    return { code, sha256, name };
  }
  const file = path.join(root, 'dist', 'plugin.js');
  if (!existsSync(file)) throw new Error(`${root} has neither src/index.ts nor dist/plugin.js`);
  const code = readFileSync(file, 'utf8');
  return { code, sha256: createHash('sha256').update(code).digest('hex'), name };
}

function migrationFailure(about: string, cause: Failure): Result {
  return failure('install.migration_failed', `${about} failed: ${cause.message} (${cause.code})`, cause.retryable, cause.details);
}

/** What the host refuses to load: an id or config migration without a handler, a handler without one. */
function checkHandlers(manifest: PluginManifest, described: RegisteredIds): string | undefined {
  if (!described.registered) return 'the bundle never calls lianjie.register (use definePlugin)';
  const declared = {
    actions: manifest.actions.map((h) => h.id),
    triggers: manifest.triggers.map((h) => h.id),
    migrations: (manifest.configMigrations ?? []).map((m) => String(m.from)),
  };
  for (const kind of ['actions', 'triggers', 'migrations'] as const) {
    const ids = declared[kind];
    const missing = ids.find((id) => !described[kind].includes(id));
    if (missing) return `${kind.slice(0, -1)} "${missing}" in plugin.json has no handler in the bundle`;
    const extra = described[kind].find((id) => !ids.includes(id));
    if (extra) return `the bundle has a ${kind.slice(0, -1)} handler "${extra}" that plugin.json does not declare`;
  }
  return undefined;
}

async function callCapability(capability: FakeCapability | undefined, scope: Scope, name: string, method: string, args: unknown): Promise<Result> {
  const run = capability && Object.hasOwn(capability.methods, method) ? capability.methods[method] : undefined;
  if (!capability || !run) return failure('capability.denied', `${name}.${method} is not a capability method of this host`);
  const permission = permissionOf(capability, method);
  if (permission !== null && !scope.grants.includes(permission)) {
    return failure('capability.denied', `${name}.${method} needs the "${permission}" permission, which this install was not granted`);
  }
  const checked = capabilityArgs(name, method)(args === undefined ? {} : args);
  if (!checked.ok) {
    const first = checked.details[0];
    return failure('capability.args_invalid', `${name}.${method} arguments are invalid${first ? `: ${first.pointer} ${first.message}` : ''}`, false, checked.details);
  }
  try {
    return { ok: true, output: (await run(checked.value as Record<string, unknown>, scope)) ?? null };
  } catch (error) {
    if (error instanceof FakeFailure) {
      const result = failure(error.code, error.message, error.retryable);
      if (error.retryAt !== undefined) result.failure.retryAt = error.retryAt;
      return result;
    }
    return failure('capability.failed', `${name}.${method} failed: ${error instanceof Error ? error.message : String(error)}`, true);
  }
}
