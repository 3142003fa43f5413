import type { TriggerOf } from '@lianjie/sdk';
import type { PluginTypes } from '../plugin-types.ts';
import { firstMatch } from '../rules.ts';

/** A staff member's text to the app: the first rule it matches gives the reply, to the one who wrote; no match starts nothing. */
export const message: TriggerOf<PluginTypes, 'message'> = (event, ctx) => {
  const { fromUserName: from, content, agentId } = event.data;
  if (!from || typeof content !== 'string') return null;
  const match = firstMatch(ctx.config, 'app', content);
  if (!match) return null;
  return { channel: 'app', toUserId: from, ...match, message: content, ...(typeof agentId === 'number' ? { agentId } : {}) };
};
