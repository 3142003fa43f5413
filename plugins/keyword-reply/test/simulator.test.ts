// The replies against the WeCom simulator: an app reply reaches message/send from the tenant's app; a kf reply is
// accepted only inside the 48-hour window a customer's own message opens, and refused with WeCom's errcode outside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '@lianjie/sdk/testing';
import { simulatedWecom, type SimulatedWecom } from '../../../test/support/simulated-wecom.ts';
import type { PluginTypes } from '../src/plugin-types.ts';

const plugin = new URL('..', import.meta.url).pathname;

describe('lianjie.keyword-reply against the WeCom simulator', () => {
  let wecom: SimulatedWecom;
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    wecom = await simulatedWecom({ staff: [{ userid: 'zhangsan' }], kfAccounts: [{ openKfid: 'wkSHOP', name: 'Shop service' }] });
    host = await createTestHost<PluginTypes>({ plugin, wecom: wecom.stubs, config: { rules: [{ match: 'contains', keywords: ['营业'], reply: '每天 9:00-21:00 营业' }] } });
  });
  afterAll(async () => {
    await host?.close();
    await wecom?.close();
  });

  it('reply-app sends a text app message to the staff member', async () => {
    const result = await host.runAction('reply-app', { toUserId: 'zhangsan', text: '每天 9:00-21:00 营业' });
    expect(result).toMatchObject({ ok: true, output: { delivered: true } });
    expect(wecom.sim.effects.at(-1)).toMatchObject({ path: '/cgi-bin/message/send', errcode: 0, body: { touser: 'zhangsan', msgtype: 'text', text: { content: '每天 9:00-21:00 营业' } } });
  });

  it('reply-kf works inside the window the customer opened, and fails with WeCom\'s errcode outside it', async () => {
    const refused = await host.runAction('reply-kf', { toUser: 'wm-fan', openKfId: 'wkSHOP', text: 'hi' });
    expect(refused.ok === false && refused.failure).toMatchObject({ code: 'wecom.api_error', message: expect.stringContaining('errcode') });
    wecom.world.kfCustomerMessage('wkSHOP', 'wm-fan');
    expect(await host.runAction('reply-kf', { toUser: 'wm-fan', openKfId: 'wkSHOP', text: 'hi' })).toMatchObject({ ok: true });
    expect(wecom.sim.effects.at(-1)).toMatchObject({ path: '/cgi-bin/kf/send_msg', errcode: 0 });
  });
});
