// A customer's points as one store record: balance and the orders that earned them, written in a single `set`, so
// an order's points and its "already counted" mark can never be stored apart.
import type { PluginContext } from '@lianjie/sdk';

export interface CustomerPoints {
  balance: number;
  /** The most recent orders that earned points, newest last. */
  orders: string[];
}

/** Orders remembered per customer: enough to recognise a POS system's redelivery. */
export const rememberedOrders = 200;

const key = (customer: string) => `customer:${customer}`;

export async function readPoints(ctx: Pick<PluginContext, 'store'>, customer: string): Promise<CustomerPoints> {
  const stored = await ctx.store.get({ key: key(customer) });
  return stored.found ? (stored.value as CustomerPoints) : { balance: 0, orders: [] };
}

export async function writePoints(ctx: Pick<PluginContext, 'store'>, customer: string, points: CustomerPoints): Promise<void> {
  await ctx.store.set({ key: key(customer), value: points });
}
