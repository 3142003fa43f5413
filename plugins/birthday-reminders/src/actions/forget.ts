import type { ActionOf } from '@lianjie/sdk';
import type { PluginTypes } from '../plugin-types.ts';
import { replaceCustomer } from '../records.ts';

/** Removes every occasion remembered for the customer. */
export const forget: ActionOf<PluginTypes, 'forget'> = async (input, ctx) => {
  const before = await replaceCustomer(ctx, input.customerId, []);
  return { forgotten: before !== undefined };
};
