// The plugin against the WeCom simulator: the tags land on the customer as WeCom records them, and a tag id WeCom
// does not know comes back as WeCom's error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '@lianjie/sdk/testing';
import { simulatedWecom, type SimulatedWecom } from '../../../test/support/simulated-wecom.ts';
import type { PluginTypes } from '../src/plugin-types.ts';

const plugin = new URL('..', import.meta.url).pathname;

describe('lianjie.customer-tags against the WeCom simulator', () => {
  let wecom: SimulatedWecom;
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    wecom = await simulatedWecom({
      staff: [{ userid: 'zhangsan' }],
      tagGroups: [{ groupName: 'Stores', tags: [{ id: 'etSTORE42', name: 'Store 42' }, { id: 'etINSTORE', name: 'In-store' }] }],
      customers: [{ externalUserid: 'wm-li', name: 'Li', follow: [{ userid: 'zhangsan' }] }],
    });
    host = await createTestHost<PluginTypes>({
      plugin, wecom: wecom.stubs,
      config: { rules: [{ state: 'store-42', tags: ['etSTORE42'] }, { statePrefix: 'store-', tags: ['etINSTORE'] }, { state: 'ghost', tags: ['etNOSUCH'] }] },
    });
  });
  afterAll(async () => {
    await host?.close();
    await wecom?.close();
  });

  it('marks the matching tags on the customer', async () => {
    expect(await host.runAction('apply', { userId: 'zhangsan', externalUserId: 'wm-li', state: 'store-42' })).toEqual({ ok: true, output: { tags: ['etSTORE42', 'etINSTORE'] } });
    expect(wecom.world.follow('wm-li', 'zhangsan')?.tagIds.sort()).toEqual(['etINSTORE', 'etSTORE42']);
  });

  it('a tag WeCom does not know fails with WeCom\'s errcode', async () => {
    const result = await host.runAction('apply', { userId: 'zhangsan', externalUserId: 'wm-li', state: 'ghost' });
    expect(result.ok === false && result.failure).toMatchObject({ code: 'wecom.api_error', message: expect.stringContaining('errcode') });
  });
});
