import { definePlugin } from '@lianjie/sdk';
import manifest from '../plugin.json' with { type: 'json' };
import { checkAssistant } from './actions/check-assistant.ts';
import { inviteToGroup } from './actions/invite-to-group.ts';
import { issueCoupon } from './actions/issue-coupon.ts';
import type { PluginTypes } from './plugin-types.ts';
import { posPayment } from './triggers/pos-payment.ts';

export default definePlugin<PluginTypes>(manifest, {
  actions: { 'check-assistant': checkAssistant, 'invite-to-group': inviteToGroup, 'issue-coupon': issueCoupon },
  triggers: { 'pos-payment': posPayment },
});
