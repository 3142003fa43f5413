import { definePlugin } from '@lianjie/sdk';
import manifest from '../plugin.json' with { type: 'json' };
import { notify } from './actions/notify.ts';
import type { PluginTypes } from './plugin-types.ts';
import { lost } from './triggers/lost.ts';

export default definePlugin<PluginTypes>(manifest, { actions: { notify }, triggers: { lost } });
