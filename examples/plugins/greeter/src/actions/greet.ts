import type { ActionOf } from '@lianjie/sdk';
import type { PluginTypes } from '../plugin-types.ts';

// Counts the visits in the install's own store (permission `store`) and logs each greeting.
export const greet: ActionOf<PluginTypes, 'greet'> = async (input, ctx) => {
  const key = `visits:${input.name}`;
  const seen = await ctx.store.get({ key });
  const visits = typeof seen.value === 'number' ? seen.value + 1 : 1;
  await ctx.store.set({ key, value: visits });
  ctx.log.info({ message: 'greeted', fields: { visits } });
  return { text: `${ctx.config.greeting ?? 'Hello'}, ${input.name}`, visits };
};
