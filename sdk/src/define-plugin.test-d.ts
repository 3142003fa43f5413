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
