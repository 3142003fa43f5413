import { definePlugin } from '@lianjie/sdk';
import manifest from '../plugin.json' with { type: 'json' };
import { awardPoints } from './actions/award-points.ts';
import { balance } from './actions/balance.ts';
import type { PluginTypes } from './plugin-types.ts';
import { posPayment } from './triggers/pos-payment.ts';
import { storeCustomer } from './triggers/store-customer.ts';

export default definePlugin<PluginTypes>(manifest, {
  actions: { 'award-points': awardPoints, balance },
  triggers: { 'store-customer': storeCustomer, 'pos-payment': posPayment },
});
