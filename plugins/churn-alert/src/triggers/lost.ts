import type { TriggerOf } from '@lianjie/sdk';
import type { PluginTypes } from '../plugin-types.ts';

/** WeCom's Source on a del_external_contact that 在职继承 (reassigning an active member's customers) caused. */
const byTransfer = 'DELETE_BY_TRANSFER';

/**
 * Who parted from whom: del_follow_user is the customer deleting the staff member, del_external_contact the staff
 * member deleting the customer. A removal by reassignment is not churn and starts nothing unless includeTransfers.
 */
export const lost: TriggerOf<PluginTypes, 'lost'> = (event, ctx) => {
  const { userId, externalUserId } = event.data;
  if (!userId || !externalUserId) return null;
  if (event.type === 'wecom.external_contact.del_follow_user') {
    return { deletedBy: 'customer', userId, externalUserId, occurredAt: event.occurredAt };
  }
  const source = typeof event.data.source === 'string' && event.data.source !== '' ? event.data.source : undefined;
  if (source === byTransfer && !ctx.config.includeTransfers) return null;
  return { deletedBy: 'staff', userId, externalUserId, occurredAt: event.occurredAt, ...(source ? { source } : {}) };
};
