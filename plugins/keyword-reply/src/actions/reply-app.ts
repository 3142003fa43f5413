import type { ActionOf } from '@lianjie/sdk';
import type { PluginTypes } from '../plugin-types.ts';
import { listed } from '../wecom.ts';

/**
 * A text from the tenant's app to one staff member. WeCom names refused recipients instead of failing for some of them.
 * Without wecom.app_message.send the host refuses the send (capability.denied, naming the permission).
 */
export const replyApp: ActionOf<PluginTypes, 'reply-app'> = async (input, ctx) => {
  const answer = await ctx.wecom.sendAppMessage({ toUserIds: [input.toUserId], text: input.text });
  const refused = [...listed(answer.invaliduser), ...listed(answer.unlicenseduser)];
  const delivered = !refused.includes(input.toUserId.toLowerCase());
  return { msgId: typeof answer.msgid === 'string' ? answer.msgid : null, delivered };
};
