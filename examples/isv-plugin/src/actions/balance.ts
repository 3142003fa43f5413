import type { ActionOf } from '@lianjie/sdk';
import { readPoints } from '../customer.ts';
import type { PluginTypes } from '../plugin-types.ts';

export const balance: ActionOf<PluginTypes, 'balance'> = async (input, ctx) => ({ balance: (await readPoints(ctx, input.customer)).balance });
