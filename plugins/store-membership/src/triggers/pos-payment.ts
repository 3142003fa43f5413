import type { TriggerOf } from '@lianjie/sdk';
import type { PluginTypes } from '../plugin-types.ts';

/**
 * A paid order the POS posts. Starts nothing (null) for a store not in the programme (logged, since that is usually
 * a missing store in the config) or a payment without any customer identity (a walk-in paying cash). Fields other than
 * those documented are ignored; empty identities become null.
 */
export const posPayment: TriggerOf<PluginTypes, 'pos-payment'> = (payment, ctx) => {
  const stores = ctx.config.stores ?? {};
  if (!Object.hasOwn(stores, payment.storeId)) {
    ctx.log.warn({ message: 'payment at a store not in the programme', fields: { orderId: payment.orderId, storeId: payment.storeId } });
    return null;
  }
  const externalUserId = payment.externalUserId || null;
  const unionId = payment.unionId || null;
  const phone = payment.phone || null;
  if (!externalUserId && !unionId && !phone) return null;
  return {
    orderId: payment.orderId,
    storeId: payment.storeId,
    ...(payment.amountFen !== undefined ? { amountFen: payment.amountFen } : {}),
    ...(payment.paidAt !== undefined ? { paidAt: payment.paidAt } : {}),
    externalUserId,
    unionId,
    phone,
  };
};
