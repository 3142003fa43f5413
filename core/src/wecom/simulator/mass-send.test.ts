// Mass send and its receipt cap, app messages and customer-service messages, over loopback HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import type { SendCapOptions } from './send-caps.ts';
import { appSecret, contactSecret, corpId, startSimulator, type Running } from './simulator.test-support.ts';

const seed = {
  staff: [{ userid: 'zhangsan', name: '张三' }, { userid: 'lisi', name: '李四' }],
  customers: [
    { externalUserid: 'wmA', name: 'A', follow: [{ userid: 'zhangsan' }] },
    { externalUserid: 'wmB', name: 'B', follow: [{ userid: 'zhangsan' }] },
  ],
  kfAccounts: [{ openKfid: 'wkKF1', name: '客服' }],
};

let s: Running;
afterEach(async () => s.close());

async function start(sendCaps?: SendCapOptions): Promise<string> {
  s = await startSimulator({ corps: [{ corpId, secrets: { [appSecret]: 1000002, [contactSecret]: 'contact' }, seed }], ...(sendCaps ? { sendCaps } : {}) });
  return s.token(contactSecret);
}

const results = async (token: string, msgid: unknown, userid = 'zhangsan') =>
  (await s.post('/cgi-bin/externalcontact/get_groupmsg_send_result', { access_token: token }, { msgid, userid })).send_list;

describe('add_msg_template', () => {
  it('delivers up to the monthly cap (the month’s days), reports the rest as status 3, and resets next month', async () => {
    let token = await start();
    const send = () => s.post('/cgi-bin/externalcontact/add_msg_template', { access_token: token }, { external_userid: ['wmA'], text: { content: '新品上市' } });
    // January has 31 days.
    for (let i = 0; i < 31; i++) expect((await send()).errcode).toBe(0);
    const capped = await send();
    // The task is still created and the capped customer is not in fail_list: WeCom reports the cap per recipient.
    expect(capped).toMatchObject({ errcode: 0, fail_list: [] });
    expect(await results(token, capped.msgid)).toEqual([{ external_userid: 'wmA', userid: 'zhangsan', status: 3 }]);
    const task = s.sim.world().massSendTasks.at(-1)!;
    expect(task.results[0]?.status).toBe(3);
    s.advance(17 * 86_400_000);
    // Days later the token has long expired (7,200 s): fetch a new one as a client would after 42001.
    expect((await send()).errcode).toBe(42001);
    token = await s.token(contactSecret);
    const february = await send();
    expect(await results(token, february.msgid)).toEqual([{ external_userid: 'wmA', userid: 'zhangsan', status: 1, send_time: expect.any(Number) }]);
  });

  it('honours a tightened cap, lists invalid ids in fail_list, and reports customers who deleted the sender as status 2', async () => {
    let token = await start({ period: 'day' });
    const world = s.sim.world();
    await world.customerDeletesStaff({ userId: 'zhangsan', externalUserId: 'wmB' });
    const body = { external_userid: ['wmA', 'wmB', 'wmNOPE'], sender: 'zhangsan', text: { content: '今日特价' } };
    const first = await s.post('/cgi-bin/externalcontact/add_msg_template', { access_token: token }, body);
    expect(first).toMatchObject({ errcode: 0, fail_list: ['wmNOPE'] });
    expect(first.msgid).toMatch(/^msg/);
    expect(await results(token, first.msgid)).toMatchObject([{ external_userid: 'wmA', status: 1 }, { external_userid: 'wmB', status: 2 }]);
    const second = await s.post('/cgi-bin/externalcontact/add_msg_template', { access_token: token }, body);
    expect(await results(token, second.msgid)).toMatchObject([{ external_userid: 'wmA', status: 3 }, { external_userid: 'wmB', status: 2 }]);
    s.advance(86_400_000);
    token = await s.token(contactSecret);
    const nextDay = await s.post('/cgi-bin/externalcontact/add_msg_template', { access_token: token }, body);
    expect(await results(token, nextDay.msgid)).toMatchObject([{ external_userid: 'wmA', status: 1 }, { external_userid: 'wmB', status: 2 }]);
    expect((await s.post('/cgi-bin/externalcontact/add_msg_template', { access_token: token }, { external_userid: ['wmNOPE'], text: { content: 'x' } })).errcode).toBe(41048);
    expect((await s.post('/cgi-bin/externalcontact/add_msg_template', { access_token: token }, { external_userid: ['wmA'], text: { content: 'x' }, attachments: Array(10).fill({ msgtype: 'image' }) })).errcode).toBe(41064);
    expect(s.sim.effects.filter((e) => e.path.endsWith('add_msg_template')).map((e) => e.errcode)).toEqual([0, 0, 0, 41048, 41064]);
  });
});

describe('app and customer-service messages', () => {
  it('sends app messages only as the token’s own agent and reports invalid users', async () => {
    await start();
    const appToken = await s.token(appSecret);
    const send = (token: string, body: Record<string, unknown>) => s.post('/cgi-bin/message/send', { access_token: token }, { msgtype: 'text', text: { content: '新客户到店' }, ...body });
    expect(await send(appToken, { touser: 'zhangsan|ghost', agentid: 1000002 })).toMatchObject({ errcode: 0, invaliduser: 'ghost' });
    expect((await send(appToken, { touser: 'zhangsan', agentid: 1000003 })).errcode).toBe(301002);
    expect((await send(await s.token(contactSecret), { touser: 'zhangsan', agentid: 1000002 })).errcode).toBe(301002);
    expect((await send(appToken, { touser: 'ghost', agentid: 1000002 })).errcode).toBe(81013);
  });

  it('answers a customer through a kf account within 48 h of their message, at most 5 times', async () => {
    let token = await start();
    const send = () => s.post('/cgi-bin/kf/send_msg', { access_token: token }, { touser: 'wmKFUSER', open_kfid: 'wkKF1', msgtype: 'text', text: { content: '您好' } });
    expect((await send()).errcode).toBe(95002);
    s.sim.world().kfCustomerMessage('wkKF1', 'wmKFUSER');
    for (let i = 0; i < 5; i++) expect((await send()).errcode).toBe(0);
    expect((await send()).errcode).toBe(95001);
    s.sim.world().kfCustomerMessage('wkKF1', 'wmKFUSER');
    s.advance(48 * 3_600_000 + 1);
    token = await s.token(contactSecret);
    expect((await send()).errcode).toBe(95002);
    expect((await s.post('/cgi-bin/kf/send_msg', { access_token: token }, { touser: 'wmKFUSER', open_kfid: 'wkNOPE', msgtype: 'text', text: { content: 'x' } })).errcode).toBe(95000);
  });
});
