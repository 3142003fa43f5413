import type { TriggerOf } from '@lianjie/sdk';
import type { PluginTypes } from '../plugin-types.ts';
import { firstMatch } from '../rules.ts';

/** kf/sync_msg's origin for a message the customer sent (4 is a system event, 5 a servicer's message). */
const fromCustomer = 3;

/**
 * One item of kf/sync_msg's msg_list, forwarded as it is: a customer's text that matches a rule gives the reply to that
 * customer on that account. Events, servicers' messages, other message types and text no rule matches start nothing.
 */
export const kfMessage: TriggerOf<PluginTypes, 'kf-message'> = (item, ctx) => {
  if (item.origin !== fromCustomer || item.msgtype !== 'text') return null;
  const content = item.text?.content;
  if (typeof content !== 'string' || !item.external_userid || !item.open_kfid) return null;
  const match = firstMatch(ctx.config, 'kf', content);
  if (!match) return null;
  return {
    channel: 'kf', toUser: item.external_userid, openKfId: item.open_kfid, ...match, message: content,
    ...(item.msgid ? { msgId: item.msgid } : {}),
  };
};
