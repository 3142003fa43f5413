// The alert against the WeCom simulator: the customer's name comes from externalcontact/get, the alerts go out as
// app messages; for a customer WeCom no longer knows, the alert still goes, naming the id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '@lianjie/sdk/testing';
import { simulatedWecom, type SimulatedWecom } from '../../../test/support/simulated-wecom.ts';
import type { PluginTypes } from '../src/plugin-types.ts';

const plugin = new URL('..', import.meta.url).pathname;

describe('lianjie.churn-alert against the WeCom simulator', () => {
  let wecom: SimulatedWecom;
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    wecom = await simulatedWecom({
      staff: [{ userid: 'zhangsan' }, { userid: 'boss' }],
      customers: [{ externalUserid: 'wm-li', name: '李四', follow: [{ userid: 'zhangsan' }] }],
    });
    host = await createTestHost<PluginTypes>({ plugin, wecom: wecom.stubs, config: { managers: ['boss'] } });
  });
  afterAll(async () => {
    await host?.close();
    await wecom?.close();
  });

  it('the customer deleted the staff member: both are told, with the name WeCom has', async () => {
    const result = await host.runAction('notify', { deletedBy: 'customer', userId: 'zhangsan', externalUserId: 'wm-li' });
    expect(result).toMatchObject({ ok: true, output: { customerName: '李四', lookup: 'found' } });
    const sent = wecom.sim.effects.filter((e) => e.path === '/cgi-bin/message/send' && e.errcode === 0).map((e) => e.body.touser);
    expect(sent).toEqual(expect.arrayContaining(['zhangsan', 'boss']));
  });

  it('a customer WeCom no longer knows is named by id, and the alert still goes', async () => {
    const before = wecom.sim.effects.length;
    const result = await host.runAction('notify', { deletedBy: 'customer', userId: 'zhangsan', externalUserId: 'wm-gone' });
    expect(result).toMatchObject({ ok: true, output: { lookup: 'failed' } });
    expect(wecom.sim.effects.slice(before).some((e) => e.path === '/cgi-bin/message/send' && e.errcode === 0)).toBe(true);
  });
});
