import type { ActionOf } from '@lianjie/sdk';
import { findAssistant } from '../assistant.ts';
import type { PluginTypes } from '../plugin-types.ts';
import { isWecomError, storeOf } from '../stores.ts';

interface GroupMember {
  userid?: unknown;
  type?: unknown;
}

/**
 * Sends the customer the store group's invitation, unless they are in the group already. WeCom has no API that puts
 * a customer into a customer group: the customer joins by the QR code or link the invitation carries.
 *
 * - With a welcome code (the add_external_contact event, within 20 s, once): as the welcome message. Not a mass
 *   message, so outside the contact quota; wecom.welcome_code_used / _expired when it is too late.
 * - Otherwise: a mass-message task (add_msg_template) from the store assistant who has the customer, which the
 *   assistant confirms in WeCom before it goes. It counts against the tenant's contact quota: quota.exceeded
 *   (retryable, at the quota window's end) when the customer has had their share.
 */
export const inviteToGroup: ActionOf<PluginTypes, 'invite-to-group'> = async (input, ctx) => {
  const store = storeOf(ctx.config, input.storeId);
  const groupChatId = store.groupChatId;
  const group = (await ctx.wecom.getGroupChat({ chatId: groupChatId })).group_chat as { member_list?: GroupMember[] } | undefined;
  // type 2: an external contact (a customer); a staff member's userid cannot be an external_userid anyway.
  if ((group?.member_list ?? []).some((m) => m.userid === input.externalUserId && m.type === 2)) return { sent: false, skipped: 'already_in_group', groupChatId };

  const { text, attachments } = store.invitation;
  if (input.welcomeCode) {
    await ctx.wecom.sendWelcome({ welcomeCode: input.welcomeCode, text, ...(attachments ? { attachments } : {}) });
    return { sent: true, via: 'welcome', groupChatId };
  }

  let sender = input.assistantUserId ?? undefined;
  if (!sender) {
    const found = await findAssistant(ctx, store, input.externalUserId);
    if (!found.added) return { sent: false, skipped: 'no_store_assistant', groupChatId };
    sender = found.assistantUserId;
  }
  let answer: Record<string, unknown>;
  try {
    answer = await ctx.wecom.sendMassMessage({ sender, externalUserIds: [input.externalUserId], text, ...(attachments ? { attachments } : {}) });
  } catch (error) {
    // 41048 "no customers to send to": the sender does not have this customer.
    if (isWecomError(error, [41048])) return { sent: false, skipped: 'not_sendable', groupChatId };
    throw error; // quota.exceeded, wecom.busy, capability.denied, …: the host's failure as it is
  }
  const failList = Array.isArray(answer.fail_list) ? answer.fail_list : [];
  if (failList.includes(input.externalUserId)) return { sent: false, skipped: 'not_sendable', groupChatId };
  return { sent: true, via: 'mass_message', ...(typeof answer.msgid === 'string' ? { msgId: answer.msgid } : {}), groupChatId };
};
