import type { ActionOf } from '@lianjie/sdk';
import { findAssistant } from '../assistant.ts';
import type { PluginTypes } from '../plugin-types.ts';
import { storeOf } from '../stores.ts';

/** Whether the customer has added one of the store's assistants (externalcontact/get's follow_user). */
export const checkAssistant: ActionOf<PluginTypes, 'check-assistant'> = async (input, ctx) => {
  const store = storeOf(ctx.config, input.storeId);
  if (!input.externalUserId) return { added: false, reason: 'no_external_user_id' };
  return findAssistant(ctx, store, input.externalUserId);
};
