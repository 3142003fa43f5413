import type { TriggerOf } from '@lianjie/sdk';
import type { PluginTypes } from '../plugin-types.ts';

/** A payment the POS system posts; a zero amount (a fully discounted order) earns nothing, so it starts nothing. */
export const posPayment: TriggerOf<PluginTypes, 'pos-payment'> = (payment) => (payment.amountFen > 0 ? payment : null);
