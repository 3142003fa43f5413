import type { TriggerOf } from '@lianjie/sdk';
import type { PluginTypes } from '../plugin-types.ts';

/** A store's channel codes carry `store-<number>` as their State; customers added any other way start nothing. */
const storeState = /^store-([0-9]+)$/;

export const storeCustomer: TriggerOf<PluginTypes, 'store-customer'> = (event) => {
  const match = storeState.exec(event.data.state ?? '');
  if (!match) return null;
  return { customer: event.data.externalUserId, staff: event.data.userId, storeId: match[1]! };
};
