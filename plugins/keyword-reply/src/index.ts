import { definePlugin } from '@lianjie/sdk';
import manifest from '../plugin.json' with { type: 'json' };
import { replyApp } from './actions/reply-app.ts';
import { replyKf } from './actions/reply-kf.ts';
import type { PluginTypes } from './plugin-types.ts';
import { kfMessage } from './triggers/kf-message.ts';
import { message } from './triggers/message.ts';

export default definePlugin<PluginTypes>(manifest, {
  actions: { 'reply-app': replyApp, 'reply-kf': replyKf },
  triggers: { message, 'kf-message': kfMessage },
});
