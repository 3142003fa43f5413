import type { ActionOf } from '@lianjie/sdk';
import type { PluginTypes } from '../plugin-types.ts';
import { tagsFor } from '../rules.ts';

/** Tags the customer by the rules their State matches; no call to WeCom when none does. */
export const apply: ActionOf<PluginTypes, 'apply'> = async (input, ctx) => {
  const tags = tagsFor(ctx.config.rules ?? [], input.state);
  if (tags.length === 0) return { tags };
  await ctx.wecom.markTags({ userId: input.userId, externalUserId: input.externalUserId, add: tags });
  return { tags };
};
