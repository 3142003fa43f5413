import type { ActionOf } from '@lianjie/sdk';
import type { PluginTypes } from '../plugin-types.ts';

/** Adds the given tags, whatever the rules say. */
export const add: ActionOf<PluginTypes, 'add'> = async (input, ctx) => {
  await ctx.wecom.markTags({ userId: input.userId, externalUserId: input.externalUserId, add: input.tags });
  return { tags: input.tags };
};
