// The chain's WeCom steps against the simulator: whether the customer added one of the store's assistants comes from
// externalcontact/get, and the group invitation goes out as a mass-message task WeCom records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '@lianjie/sdk/testing';
import { simulatedWecom, type SimulatedWecom } from '../../../test/support/simulated-wecom.ts';
import type { PluginTypes } from '../src/plugin-types.ts';
import { config } from './fixtures.ts';

const plugin = new URL('..', import.meta.url).pathname;

describe('lianjie.store-membership against the WeCom simulator', () => {
  let wecom: SimulatedWecom;
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    wecom = await simulatedWecom({
      staff: [{ userid: 'dg-nanshan-1' }, { userid: 'other-store' }],
      customers: [
        { externalUserid: 'wm-a', name: 'A', follow: [{ userid: 'dg-nanshan-1' }] },
        { externalUserid: 'wm-b', name: 'B', follow: [{ userid: 'other-store' }] },
      ],
      groupChats: [{ chatId: 'wr-nanshan', name: '南山店福利群', owner: 'dg-nanshan-1', members: [] }],
    });
    host = await createTestHost<PluginTypes>({ plugin, config, wecom: wecom.stubs });
  });
  afterAll(async () => {
    await host?.close();
    await wecom?.close();
  });

  it('check-assistant tells a customer of the store\'s assistant from one of another store', async () => {
    expect(await host.runAction('check-assistant', { storeId: '0755-01', externalUserId: 'wm-a' })).toMatchObject({ ok: true, output: { added: true, assistantUserId: 'dg-nanshan-1' } });
    expect(await host.runAction('check-assistant', { storeId: '0755-01', externalUserId: 'wm-b' })).toMatchObject({ ok: true, output: { added: false } });
  });

  it('invite-to-group sends the store\'s invitation as a mass-message task to the customer', async () => {
    const invited = await host.runAction('invite-to-group', { storeId: '0755-01', externalUserId: 'wm-a', assistantUserId: 'dg-nanshan-1' });
    expect(invited.ok, JSON.stringify(invited)).toBe(true);
    expect(wecom.sim.effects.at(-1)).toMatchObject({ path: '/cgi-bin/externalcontact/add_msg_template', errcode: 0, body: { external_userid: ['wm-a'], sender: 'dg-nanshan-1' } });
  });
});
