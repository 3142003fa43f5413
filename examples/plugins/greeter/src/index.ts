import { definePlugin } from '@lianjie/sdk';
import manifest from '../plugin.json' with { type: 'json' };
import { greet } from './actions/greet.ts';
import type { PluginTypes } from './plugin-types.ts';

export default definePlugin<PluginTypes>(manifest, { actions: { greet } });
