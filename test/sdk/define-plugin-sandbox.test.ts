// A plugin written with @lianjie/sdk's definePlugin, bundled as the SDK's build will bundle it (esbuild, plugin.json
// imported), runs in the host's real sandbox; one whose handlers do not match plugin.json is refused when it loads.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCapabilityRegistry } from '../../core/src/capabilities/registry.ts';
import { createLogCapability } from '../../core/src/capabilities/log.ts';
import { createLogger } from '../../core/src/ops/logger.ts';
import { loadPluginDir } from '../../core/src/plugins/load.ts';
import { createPluginRunner } from '../../core/src/sandbox/runner.ts';
import { freshTempDir } from '../support/tmp.ts';
import { testInstall, testManifest, writePluginDir } from '../support/plugins.ts';

const sdk = path.resolve(import.meta.dirname, '../../sdk/src/index.ts');
const manifest = testManifest('acme.greeter', ['greet'], {
  config: { type: 'object', properties: { greeting: { type: 'string', default: 'Hello' } } },
});

describe('definePlugin in the sandbox', () => {
  const runner = createPluginRunner({ size: 1, capabilities: createCapabilityRegistry([createLogCapability(createLogger('silent'))], { logger: createLogger('silent') }) });
  afterAll(() => runner.close());

  it('registers the handlers bound to plugin.json, which run with their ctx', async () => {
    const tmp = await freshTempDir('lianjie-sdk-');
    try {
      await writePluginDir(tmp.file('greeter'), manifest, `
        import { definePlugin } from ${JSON.stringify(sdk)};
        import manifest from '../plugin.json';
        definePlugin(manifest as any, {
          actions: { greet: (input: { name: string }, ctx) => ({ text: ctx.config.greeting + ', ' + input.name }) },
        });`);
      const plugin = await loadPluginDir(tmp.file('greeter'));
      const result = await runner.runAction(testInstall(plugin, 'acme', [], { greeting: 'Ni hao' }), 'greet', { name: 'Li' });
      expect(result).toEqual({ ok: true, output: { text: 'Ni hao, Li' } });
    } finally {
      await tmp.remove();
    }
  });

  it('a bundle whose handlers do not match plugin.json never registers, and says why', async () => {
    const tmp = await freshTempDir('lianjie-sdk-');
    try {
      await writePluginDir(tmp.file('broken'), manifest, `
        import { definePlugin } from ${JSON.stringify(sdk)};
        import manifest from '../plugin.json';
        definePlugin(manifest as any, { actions: { greeet: () => ({}) } as any });`);
      const plugin = await loadPluginDir(tmp.file('broken'));
      const result = await runner.runAction(testInstall(plugin, 'acme'), 'greet', { name: 'Li' });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.failure.message).toContain('action "greet" in plugin.json has no handler');
    } finally {
      await tmp.remove();
    }
  });
});
