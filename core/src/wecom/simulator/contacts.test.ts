// The customer-contact APIs over loopback HTTP: welcome codes, tags, remarks, channel codes and customer groups.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appSecret, contactSecret, corpId, startSimulator, type Running } from './simulator.test-support.ts';

const seed = {
  staff: [{ userid: 'zhangsan', name: '张三' }, { userid: 'lisi', name: '李四' }],
  tagGroups: [{ groupId: 'etGROUP1', groupName: '客户等级', tags: [{ id: 'etVIP', name: 'VIP' }, { id: 'etNEW', name: '新客' }] }],
  customers: [{ externalUserid: 'wmCUSTOMER1', name: '王五', follow: [{ userid: 'zhangsan', remark: '老王' }] }],
  groupChats: [{ chatId: 'wrCHAT1', name: '门店群', owner: 'zhangsan', members: ['lisi', 'wmCUSTOMER1'] }],
};

describe('customer-contact APIs', () => {
  let s: Running;
  let token: string;
  beforeEach(async () => {
    s = await startSimulator({ corps: [{ corpId, secrets: { [appSecret]: 1000002, [contactSecret]: 'contact' }, seed }] });
    token = await s.token(contactSecret);
  });
  afterEach(async () => s.close());

  const q = () => ({ access_token: token });
  const getCustomer = (id = 'wmCUSTOMER1') => s.get('/cgi-bin/externalcontact/get', { ...q(), external_userid: id });
  const welcome = (code: string) => s.post('/cgi-bin/externalcontact/send_welcome_msg', q(), { welcome_code: code, text: { content: '欢迎光临' } });

  it('creates a channel code, and a customer adding through it carries its state and a welcome code valid 20 s, once', async () => {
    const tooLong = await s.post('/cgi-bin/externalcontact/add_contact_way', q(), { type: 1, scene: 2, user: ['zhangsan'], state: 'x'.repeat(31) });
    expect(tooLong.errcode).toBe(40058);
    const way = await s.post('/cgi-bin/externalcontact/add_contact_way', q(), { type: 1, scene: 2, user: ['zhangsan'], state: 's'.repeat(30) });
    expect(way).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(way.config_id).toMatch(/^[0-9a-f]{32}$/);
    expect(way.qr_code).toMatch(/^https:\/\//);

    const added = await s.sim.world().customerAddsStaff({ configId: way.config_id as string, name: '赵六' });
    expect(added.deliveries).toEqual([]);
    expect(added.xml).toContain(`<State><![CDATA[${'s'.repeat(30)}]]></State>`);
    const detail = await getCustomer(added.externalUserId);
    expect(detail).toMatchObject({ errcode: 0, external_contact: { name: '赵六', type: 1 }, follow_user: [{ userid: 'zhangsan', state: 's'.repeat(30), add_way: 1 }] });

    s.advance(19_000);
    expect(await welcome(added.welcomeCode!)).toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await welcome(added.welcomeCode!)).errcode).toBe(41051);

    const late = await s.sim.world().customerAddsStaff({ userId: 'lisi' });
    s.advance(21_000);
    expect((await welcome(late.welcomeCode!)).errcode).toBe(41050);
    expect((await welcome('made-up')).errcode).toBe(41050);
    const paths = s.sim.effects.map((e) => `${e.path.replace('/cgi-bin/externalcontact/', '')}:${e.errcode}`);
    expect(paths).toEqual(['add_contact_way:40058', 'add_contact_way:0', 'send_welcome_msg:0', 'send_welcome_msg:41051', 'send_welcome_msg:41050', 'send_welcome_msg:41050']);
    expect(s.sim.effects[2]).toMatchObject({ corpId, time: s.sim.effects[1]!.time + 19_000, body: { text: { content: '欢迎光临' } } });
  });

  it('mark_tag changes the tags externalcontact/get returns, with WeCom errors for unknown tags and users', async () => {
    expect(((await getCustomer()).follow_user as unknown[])[0]).toMatchObject({ userid: 'zhangsan', remark: '老王', tags: [] });
    const mark = (body: Record<string, unknown>) => s.post('/cgi-bin/externalcontact/mark_tag', q(), body);
    expect(await mark({ userid: 'zhangsan', external_userid: 'wmCUSTOMER1', add_tag: ['etVIP', 'etNEW'] })).toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await getCustomer()).follow_user).toMatchObject([{
      tags: [
        { group_name: '客户等级', tag_name: 'VIP', type: 1, tag_id: 'etVIP' },
        { group_name: '客户等级', tag_name: '新客', type: 1, tag_id: 'etNEW' },
      ],
    }]);
    await mark({ userid: 'zhangsan', external_userid: 'wmCUSTOMER1', remove_tag: ['etNEW'] });
    expect(((await getCustomer()).follow_user as { tags: unknown[] }[])[0]!.tags).toHaveLength(1);
    expect((await mark({ userid: 'zhangsan', external_userid: 'wmCUSTOMER1', add_tag: ['etNOPE'] })).errcode).toBe(40068);
    expect((await mark({ userid: 'nobody', external_userid: 'wmCUSTOMER1', add_tag: ['etVIP'] })).errcode).toBe(60111);
    expect((await mark({ userid: 'lisi', external_userid: 'wmCUSTOMER1', add_tag: ['etVIP'] })).errcode).toBe(84061);
    expect((await mark({ userid: 'zhangsan', external_userid: 'wmNOPE', add_tag: ['etVIP'] })).errcode).toBe(40096);
    expect((await mark({ userid: 'zhangsan', external_userid: 'wmCUSTOMER1' })).errcode).toBe(41017);
  });

  it('adds corp tags and lists them; remarks a customer; lists a member’s customers', async () => {
    const added = await s.post('/cgi-bin/externalcontact/add_corp_tag', q(), { group_name: '兴趣', tag: [{ name: '咖啡', order: 2 }, { name: '茶' }] });
    expect(added).toMatchObject({ errcode: 0, tag_group: { group_name: '兴趣', tag: [{ name: '咖啡', order: 2 }, { name: '茶' }] } });
    const dup = await s.post('/cgi-bin/externalcontact/add_corp_tag', q(), { group_name: '兴趣', tag: [{ name: '茶' }] });
    expect(dup.errcode).toBe(40071);
    const list = await s.post('/cgi-bin/externalcontact/get_corp_tag_list', q(), {});
    expect((list.tag_group as { group_name: string }[]).map((g) => g.group_name)).toEqual(['客户等级', '兴趣']);
    const one = await s.post('/cgi-bin/externalcontact/get_corp_tag_list', q(), { tag_id: ['etVIP'] });
    expect(one.tag_group).toMatchObject([{ group_id: 'etGROUP1', tag: [{ id: 'etVIP', name: 'VIP' }] }]);

    expect(await s.post('/cgi-bin/externalcontact/remark', q(), { userid: 'zhangsan', external_userid: 'wmCUSTOMER1', remark: '王总', remark_mobiles: ['13800000000'] }))
      .toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await getCustomer()).follow_user).toMatchObject([{ remark: '王总', remark_mobiles: ['13800000000'] }]);
    expect((await s.post('/cgi-bin/externalcontact/remark', q(), { userid: 'zhangsan', external_userid: 'wmCUSTOMER1', remark: '长'.repeat(21) })).errcode).toBe(40058);

    expect(await s.get('/cgi-bin/externalcontact/list', { ...q(), userid: 'zhangsan' })).toEqual({ errcode: 0, errmsg: 'ok', external_userid: ['wmCUSTOMER1'] });
    expect((await s.get('/cgi-bin/externalcontact/list', { ...q(), userid: 'lisi' })).errcode).toBe(84061);
    expect((await s.get('/cgi-bin/externalcontact/list', { ...q(), userid: 'ghost' })).errcode).toBe(60111);
  });

  it('lists and reads customer groups, and a customer joining shows up in groupchat/get', async () => {
    const list = await s.post('/cgi-bin/externalcontact/groupchat/list', q(), { status_filter: 0, owner_filter: { userid_list: ['zhangsan'] }, limit: 10 });
    expect(list).toEqual({ errcode: 0, errmsg: 'ok', group_chat_list: [{ chat_id: 'wrCHAT1', status: 0 }], next_cursor: '' });
    expect((await s.post('/cgi-bin/externalcontact/groupchat/list', q(), {})).errcode).toBe(40058);
    const before = await s.post('/cgi-bin/externalcontact/groupchat/get', q(), { chat_id: 'wrCHAT1', need_name: 1 });
    expect(before).toMatchObject({ errcode: 0, group_chat: { name: '门店群', owner: 'zhangsan', member_list: [{ userid: 'zhangsan', type: 1 }, { userid: 'lisi', type: 1, name: '李四' }, { userid: 'wmCUSTOMER1', type: 2, name: '王五' }] } });

    const joined = await s.sim.world().customerJoinsGroup({ chatId: 'wrCHAT1', externalUserId: 'wmNEWBIE' });
    expect(joined.xml).toContain('<UpdateDetail><![CDATA[add_member]]></UpdateDetail><JoinScene>3</JoinScene><MemChangeCnt>1</MemChangeCnt>');
    const after = await s.post('/cgi-bin/externalcontact/groupchat/get', q(), { chat_id: 'wrCHAT1' });
    const members = (after.group_chat as { member_list: Record<string, unknown>[]; member_version: string });
    expect(members.member_list.at(-1)).toMatchObject({ userid: 'wmNEWBIE', type: 2, join_scene: 3 });
    expect(members.member_version).not.toBe((before.group_chat as { member_version: string }).member_version);
    expect(joined.xml).toContain(`<CurMemVer>${members.member_version}</CurMemVer>`);
    expect((await s.post('/cgi-bin/externalcontact/groupchat/get', q(), { chat_id: 'wrNOPE' })).errcode).toBe(40050);
  });

  it('drops a relation when the member deletes the customer, keeps it flagged when the customer deletes the member', async () => {
    const world = s.sim.world();
    await world.customerDeletesStaff({ userId: 'zhangsan', externalUserId: 'wmCUSTOMER1' });
    expect(world.follow('wmCUSTOMER1', 'zhangsan')?.deletedByCustomer).toBe(true);
    expect((await getCustomer()).errcode).toBe(0);
    const removed = await world.staffDeletesCustomer({ userId: 'zhangsan', externalUserId: 'wmCUSTOMER1' });
    expect(removed.xml).toContain('<ChangeType><![CDATA[del_external_contact]]></ChangeType>');
    expect((await getCustomer()).errcode).toBe(84061);
  });
});
