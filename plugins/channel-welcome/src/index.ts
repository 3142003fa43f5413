import { definePlugin } from '@lianjie/sdk';
import manifest from '../plugin.json' with { type: 'json' };
import { send } from './actions/send.ts';
import type { PluginTypes } from './plugin-types.ts';

export default definePlugin<PluginTypes>(manifest, { actions: { send } });
