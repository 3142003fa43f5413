import { definePlugin } from '@lianjie/sdk';
import manifest from '../plugin.json' with { type: 'json' };
import { add } from './actions/add.ts';
import { apply } from './actions/apply.ts';
import type { PluginTypes } from './plugin-types.ts';

export default definePlugin<PluginTypes>(manifest, { actions: { apply, add } });
