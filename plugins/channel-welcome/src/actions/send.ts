import type { ActionOf } from '@lianjie/sdk';
import type { PluginTypes } from '../plugin-types.ts';

/** The welcome for the customer's channel: the State's own, else the fallback; sent through the 20-second welcome code. */
export const send: ActionOf<PluginTypes, 'send'> = async (input, ctx) => {
  if (!input.welcomeCode) return { sent: false, skipped: 'no_welcome_code' };
  const byState = ctx.config.byState ?? {};
  const state = input.state ?? '';
  const own = Object.hasOwn(byState, state) ? byState[state] : undefined;
  const welcome = own ?? ctx.config.fallback;
  if (!welcome) return { sent: false, skipped: 'no_welcome_for_state' };
  await ctx.wecom.sendWelcome({ welcomeCode: input.welcomeCode, text: welcome.text, ...(welcome.attachments ? { attachments: welcome.attachments } : {}) });
  return { sent: true, matched: own ? state : 'fallback' };
};
