// A plugin runner on a real SQLite store for the hostile-plugin and sandbox chaos suites: attacks as one-off plugins, and bystanders.
import { expect } from 'vitest';
import { configSnapshot } from '../../core/src/catalog/catalog.ts';
import { createStandardCapabilities } from '../../core/src/capabilities/standard.ts';
import { createLogger } from '../../core/src/ops/logger.ts';
import type { Install } from '../../core/src/plugins/types.ts';
import type { Limits } from '../../core/src/sandbox/limits.ts';
import { workerIndexFor, type Failure, type Result } from '../../sdk/src/sandbox/index.ts';
import { createPluginRunner, type PluginRunner, type PluginRunnerOptions } from '../../core/src/sandbox/runner.ts';
import { openStore } from '../../core/src/store/open.ts';
import type { Store } from '../../core/src/store/types.ts';
import { inlinePlugin, testInstall, testManifest } from './plugins.ts';
import { freshTempDir } from './tmp.ts';

export interface PluginOptions {
  limits?: Partial<Limits>;
  permissions?: string[];
  /** Other manifest fields (http, actions with schemas, …), merged over the test manifest. */
  manifest?: Record<string, unknown>;
  /** Statements run when the bundle is evaluated, before `lianjie.register`. */
  prelude?: string;
}

export interface AttackOptions extends PluginOptions {
  tenantId?: string;
  grants?: string[];
  input?: unknown;
}

export interface Harness {
  runner: PluginRunner;
  store: Store;
  /**
   * A new plugin (its own id) whose actions are the given JavaScript function expressions, by action id,
   * and a new install of it. Installs of the same plugin for other tenants come from `installAgain`.
   */
  install(actions: Record<string, string>, options?: AttackOptions): Install;
  installAgain(install: Install, tenantId: string, grants?: string[]): Install;
  run(install: Install, actionId: string, input?: unknown): Promise<Result>;
  /** Runs `handler` (a function expression) as the one action `act` of a fresh plugin, for a fresh install. */
  attack(handler: string, options?: AttackOptions): Promise<Result>;
  /** Another tenant on every shared worker runs a well-behaved echo action and gets its input back. */
  expectHostServes(): Promise<void>;
  /** One bystander tenant per shared worker, in worker order. */
  bystanders: readonly string[];
  close(): Promise<void>;
}

export const attacker = 'tenant-hostile';
const poolSize = 2;
let plugins = 0;

export async function createHarness(options: Partial<Omit<PluginRunnerOptions, 'capabilities'>> = {}): Promise<Harness> {
  const dir = await freshTempDir('lianjie-hostile-');
  const store = openStore(`file:${dir.file('lianjie.db')}`);
  await store.migrate();
  const runner = createPluginRunner({ size: poolSize, ...options, capabilities: createStandardCapabilities(store, createLogger('silent'), {
    wecom: { baseUrl: 'http://127.0.0.1:9' },
    access: { catalog: () => configSnapshot({ tenants: [], suites: [], installs: [] }, []), suiteTicket: async () => { throw new Error('no suites here'); } },
  }) });

  const echo = inlinePlugin(testManifest('bystander.echo', ['echo']), 'lianjie.register({ actions: { echo: (input) => ({ echoed: input }) } });');
  const bystanders = tenantsOnEveryWorker(poolSize);
  const echoInstalls = bystanders.map((tenant) => testInstall(echo, tenant));
  let nonce = 0;

  const install = (actions: Record<string, string>, o: AttackOptions = {}): Install => {
    const id = `hostile.plugin-${++plugins}`;
    const extra: Record<string, unknown> = { permissions: o.permissions ?? [], ...(o.limits ? { limits: o.limits } : {}), ...o.manifest };
    const entries = Object.entries(actions).map(([action, source]) => `${JSON.stringify(action)}: ${source}`);
    const code = `${o.prelude ?? ''}\nlianjie.register({ actions: {\n${entries.join(',\n')}\n} });\n`;
    const plugin = inlinePlugin(testManifest(id, Object.keys(actions), extra), code);
    return testInstall(plugin, o.tenantId ?? attacker, o.grants ?? o.permissions ?? []);
  };

  return {
    runner,
    store,
    bystanders,
    install,
    installAgain: (existing, tenantId, grants) => testInstall(existing.plugin, tenantId, grants ?? [...existing.grants]),
    run: (target, actionId, input = {}) => runner.runAction(target, actionId, input),
    attack: (handler, o = {}) => runner.runAction(install({ act: handler }, o), 'act', o.input ?? {}),
    async expectHostServes() {
      for (const target of echoInstalls) {
        const input = { nonce: ++nonce, text: '连接' };
        expect(await runner.runAction(target, 'echo', input), `tenant ${target.tenantId} is served`).toEqual({ ok: true, output: { echoed: input } });
      }
    },
    async close() {
      await runner.close();
      await store.close();
      await dir.remove();
    },
  };
}

/** Asserts `result` failed with exactly `code` (and a message matching `message`), and returns the failure. */
export function expectFailure(result: Result, code: string, message?: string | RegExp): Failure {
  expect(result).toMatchObject({ ok: false, failure: { code } });
  if (result.ok) throw new Error('unreachable');
  if (message !== undefined) expect(result.failure.message).toMatch(message);
  return result.failure;
}

export function expectOutput(result: Result): unknown {
  expect(result).toMatchObject({ ok: true });
  if (!result.ok) throw new Error('unreachable');
  return result.output;
}

/** Tenant ids that land one on each shared worker, in worker order. */
export function tenantsOnEveryWorker(size: number, prefix = 'tenant-bystander'): string[] {
  const found = new Map<number, string>();
  for (let i = 0; found.size < size; i++) {
    const tenant = `${prefix}-${i}`;
    const slot = workerIndexFor(tenant, size);
    if (!found.has(slot)) found.set(slot, tenant);
  }
  return [...found].sort(([a], [b]) => a - b).map(([, tenant]) => tenant);
}

/** The shared worker the pool routes `tenantId` to. */
export function workerIndexOf(tenantId: string, size = poolSize): number {
  return workerIndexFor(tenantId, size);
}
