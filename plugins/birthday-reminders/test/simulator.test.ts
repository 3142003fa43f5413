// The chain against the WeCom simulator: the reminder reaches staff as an app message WeCom accepts (message/send
// from the tenant's app), and a staff member WeCom does not know is reported, not fatal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '@lianjie/sdk/testing';
import { simulatedWecom, type SimulatedWecom } from '../../../test/support/simulated-wecom.ts';
import type { PluginTypes } from '../src/plugin-types.ts';

const plugin = new URL('..', import.meta.url).pathname;

describe('lianjie.birthday-reminders against the WeCom simulator', () => {
  let wecom: SimulatedWecom;
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    wecom = await simulatedWecom({ staff: [{ userid: 'zhangsan' }] });
    host = await createTestHost<PluginTypes>({ plugin, wecom: wecom.stubs });
  });
  afterAll(async () => {
    await host?.close();
    await wecom?.close();
  });

  it('remember → due-today → notify-staff ends as an app message to the responsible staff member', async () => {
    await host.runAction('remember', { customerId: 'wm-chen', name: '陈女士', staffUserId: 'zhangsan', birthday: '12-25' });
    await host.runAction('remember', { customerId: 'wm-gone', name: '赵先生', staffUserId: 'left-the-company', birthday: '12-25' });
    const due = await host.runTrigger('due-today', { tick: '2026-12-25T01:00:00.000Z', timezone: 'Asia/Shanghai' });
    if (!due.ok || !due.output) throw new Error(`nothing due: ${JSON.stringify(due)}`);
    const notified = await host.runAction('notify-staff', { date: due.output.date, reminders: due.output.reminders });
    expect(notified.ok).toBe(true);
    const sent = wecom.sim.effects.filter((e) => e.path === '/cgi-bin/message/send');
    expect(sent.some((e) => e.errcode === 0 && e.body.touser === 'zhangsan' && String((e.body.text as { content: string }).content).includes('陈女士'))).toBe(true);
    // WeCom answers message/send for an unknown userid with it in `invaliduser`, or refuses it: either way the one
    // who left does not stop the others' reminders.
    expect(notified.ok && notified.output.staff.map((s) => s.staffUserId)).toContain('zhangsan');
  });
});
