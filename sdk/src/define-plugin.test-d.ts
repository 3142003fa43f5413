// Type tests, checked by `npm run typecheck` (a `@ts-expect-error` that finds no error fails the check): handlers are
// typed from the plugin's types, as `lianjie-plugin types` writes them from plugin.json.
import { definePlugin } from './define-plugin.ts';
import type { PluginManifest } from './generated/plugin-manifest.ts';

interface GreeterTypes {
  actions: { greet: { input: { name: string; times?: number }; output: { text: string } } };
  triggers: { daily: { input: { tick: string }; output: { when: string } } };
  config: { greeting: string };
}

declare const manifest: PluginManifest;

definePlugin<GreeterTypes>(manifest, {
  actions: {
    greet: (input, ctx) => ({ text: `${ctx.config.greeting}, ${input.name}`.repeat(input.times ?? 1) }),
  },
  triggers: { daily: (input) => ({ when: input.tick }) },
});

definePlugin<GreeterTypes>(manifest, {
  actions: {
    // @ts-expect-error: the input schema has no field `nickname`
    greet: (input) => ({ text: input.nickname }),
  },
});

definePlugin<GreeterTypes>(manifest, {
  actions: {
    // @ts-expect-error: the output must have `text`
    greet: () => ({ message: 'hi' }),
  },
});

definePlugin<GreeterTypes>(manifest, {
  // @ts-expect-error: every action of the types needs a handler
  actions: {},
});

definePlugin<GreeterTypes>(manifest, {
  actions: { greet: () => ({ text: 'hi' }) },
  // A trigger may answer null: nothing to start.
  triggers: { daily: () => null },
});

definePlugin<GreeterTypes>(manifest, {
  actions: {
    greet: async (_input, ctx) => {
      // @ts-expect-error: store.set needs a key
      await ctx.store.set({ value: 1 });
      const stored = await ctx.store.get({ key: 'visits' });
      return { text: stored.found ? String(stored.value) : 'first' };
    },
  },
});

// plugin.json imported as JSON infers wider types than PluginManifest (plain arrays, extra fields): accepted as is,
// with or without config migrations.
const imported = {
  id: 'acme.greeter', version: '2.0.0', actions: [{ id: 'greet', input: {}, output: {} }], triggers: [{ id: 'daily', kind: 'schedule', cron: '0 9 * * *', output: {} }],
  configMigrations: [{ from: 1, description: 'renames hello to greeting' }],
};
const { configMigrations: _dropped, ...withoutMigrations } = imported;
definePlugin(withoutMigrations, { actions: { greet: () => ({}) }, triggers: { daily: () => null } });

definePlugin<GreeterTypes>(imported, {
  actions: { greet: () => ({ text: 'hi' }) },
  triggers: { daily: () => null },
  // Keyed by the major migrated from, as a number or a string; the old config is unknown, the new one typed.
  migrations: {
    1: (old) => ({ greeting: typeof old === 'object' && old !== null && 'hello' in old ? String(old.hello) : 'Hello' }),
    '0': async (_old, ctx) => ({ greeting: String(ctx.config) }),
  },
});

definePlugin<GreeterTypes>(manifest, {
  actions: { greet: () => ({ text: 'hi' }) },
  migrations: {
    // @ts-expect-error: a migration answers the new config, which needs `greeting`
    1: () => ({ salutation: 'hi' }),
  },
});

definePlugin<GreeterTypes>(manifest, {
  actions: { greet: () => ({ text: 'hi' }) },
  migrations: {
    // @ts-expect-error: a migration runs with no capabilities
    1: async (_old, ctx) => ({ greeting: String(await ctx.store.get({ key: 'greeting' })) }),
  },
});
