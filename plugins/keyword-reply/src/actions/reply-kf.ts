import type { ActionOf } from '@lianjie/sdk';
import type { PluginTypes } from '../plugin-types.ts';

/**
 * A text from a customer-service account to a customer; WeCom refuses it after 48 h or 5 replies (wecom.api_error).
 * Without wecom.kf_message.send the host refuses the send (capability.denied, naming the permission).
 */
export const replyKf: ActionOf<PluginTypes, 'reply-kf'> = async (input, ctx) => {
  const answer = await ctx.wecom.sendKfMessage({ toUser: input.toUser, openKfId: input.openKfId, text: input.text });
  return { msgId: typeof answer.msgid === 'string' ? answer.msgid : null };
};
