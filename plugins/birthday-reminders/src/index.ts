import { definePlugin } from '@lianjie/sdk';
import manifest from '../plugin.json' with { type: 'json' };
import { forget } from './actions/forget.ts';
import { notifyStaff } from './actions/notify-staff.ts';
import { remember } from './actions/remember.ts';
import type { PluginTypes } from './plugin-types.ts';
import { dueToday } from './triggers/due-today.ts';

export default definePlugin<PluginTypes>(manifest, {
  actions: { remember, forget, 'notify-staff': notifyStaff },
  triggers: { 'due-today': dueToday },
});
