// normalize mappings: how each kind of WeCom callback becomes a canonical event type, typed data and dedup key.
import { describe, expect, it } from 'vitest';
import { byName, expectValid, normalized, run } from './normalize.test-support.ts';

describe('normalize: mappings', () => {
  it('maps a suite add_external_contact, with the authorizing corp and the time in UTC', () => {
    const event = normalized('ChangeExternalContactAddExternalContact.xml');
    expect(event.type).toBe('wecom.external_contact.add');
    expect(event.authCorpId).toBe('wxf8b4f85f3a794e77');
    expect(event.occurredAt).toBe('2014-06-24T11:48:33.000Z');
    expect(event.data).toMatchObject({
      userId: 'zhangsan',
      externalUserId: 'woAJ2GCAAAXtWyujaWJHDDGi0mACH71w',
      state: 'teststate',
      welcomeCode: 'WELCOMECODE',
      timeStamp: 1403610513,
      suiteId: 'ww4asffe99e54c0f4c',
    });
    expect(event.dedupKey).toBe(
      'ww4asffe99e54c0f4c/wxf8b4f85f3a794e77:change_external_contact.add_external_contact@1403610513:userId=zhangsan:externalUserId=woAJ2GCAAAXtWyujaWJHDDGi0mACH71w',
    );
  });

  it('maps the self-built add_external_contact the same way, keyed by the corp', () => {
    const event = normalized('extra/ExternalContactAddSelfBuilt.xml');
    expect(event.type).toBe('wecom.external_contact.add');
    expect(event.authCorpId).toBeUndefined();
    expect(event.data).toMatchObject({ userId: 'zhangsan', externalUserId: 'woAJ2GCAAAXtWyujaWJHDDGi0mAAAA', createTime: 1403610513 });
    expect(event.dedupKey).toBe(
      'toUser:change_external_contact.add_external_contact@1403610513:userId=zhangsan:externalUserId=woAJ2GCAAAXtWyujaWJHDDGi0mAAAA',
    );
  });

  it('types a customer-group update: numbers, and MemChangeList as a string array', () => {
    const event = normalized('extra/ExternalChatUpdateMemChangeList.xml');
    expect(event.type).toBe('wecom.external_chat.update');
    expect(event.data).toMatchObject({
      chatId: 'wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ',
      updateDetail: 'add_member',
      joinScene: 1,
      quitScene: 0,
      memChangeCnt: 10,
      memChangeList: ['Jack', 'Rose'],
      lastMemVer: '9c3f97c2ada667dfb5f6d03308d963e1',
      curMemVer: '71217227bbd112ecfe3a49c482195cb4',
    });
    expect(event.dedupKey).toMatch(
      /^ww55ca070cb9b7eb22:change_external_chat\.update\.add_member@1403610513:chatId=wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ:curMemVer=71217227bbd112ecfe3a49c482195cb4:memChangeList=#[0-9a-f]{16}$/,
    );

    const one = byName('extra/ExternalChatUpdateMemChangeList.xml').xml.replace('<Item>Jack</Item><Item>Rose</Item>', '<Item>Jack</Item>');
    expect(run(one).normalized.data.memChangeList).toEqual(['Jack']);
    expect(run(one).normalized.dedupKey).not.toBe(event.dedupKey);
  });

  it('maps change_name, which has no QuitScene', () => {
    const event = normalized('extra/ExternalChatUpdateChangeName.xml');
    expect(event.type).toBe('wecom.external_chat.update');
    expect(event.data).toMatchObject({ updateDetail: 'change_name', joinScene: 0, memChangeCnt: 2 });
    expect(event.data).not.toHaveProperty('quitScene');
    expect(event.occurredAt).toBe('2023-11-22T08:48:27.000Z');
  });

  it('sends a customer-group update with an undocumented UpdateDetail to wecom.unknown rather than failing its schema', () => {
    const xml = byName('extra/ExternalChatUpdateChangeName.xml').xml.replace('change_name', 'change_avatar');
    const { normalized: event, source } = run(xml);
    expect(event.type).toBe('wecom.unknown');
    expect(event.data).toMatchObject({ event: 'change_external_chat', changeType: 'update', raw: { UpdateDetail: 'change_avatar' } });
    expectValid(event, source);
  });

  it('maps customer tags: ids stay text, StrategyId becomes a number when it is one', () => {
    expect(normalized('extra/ExternalTagCreateSelfBuilt.xml')).toMatchObject({
      type: 'wecom.external_tag.create',
      data: { id: 'TAG_ID', tagType: 'tag', strategyId: 1 },
      dedupKey: 'CORPID:change_external_tag.create@1403610513:id=TAG_ID:tagType=tag:strategyId=1',
    });
    const shuffle = normalized('extra/ExternalTagShuffle.xml');
    expect(shuffle.type).toBe('wecom.external_tag.shuffle');
    expect(shuffle.data).not.toHaveProperty('tagType');
  });

  it('types the address-book member fields: lists split, flags as numbers, phone numbers as text', () => {
    const event = normalized('extra/ContactCreateUserSelfBuilt.xml');
    expect(event.type).toBe('wecom.contact.create_user');
    expect(event.data).toMatchObject({
      userId: 'zhangsan',
      department: [1, 2, 3],
      mainDepartment: 1,
      isLeaderInDept: [1, 0, 0],
      directLeader: ['lisi', 'wangwu'],
      mobile: '13800000000',
      gender: 1,
      status: 1,
      bizMail: 'zhangsan@qyycs2.wecom.work',
      extAttr: [
        { name: '爱好', value: '旅游' },
        { name: '卡号', value: '1234567234' },
      ],
    });
    expect(normalized('ChangeContactUpdateUser.xml').data).toMatchObject({ userId: 'zhangsan', newUserId: 'zhangsan001' });
  });

  it('types departments and address-book tags', () => {
    expect(normalized('ChangeContactCreateParty.xml')).toMatchObject({
      type: 'wecom.contact.create_party',
      data: { id: 2, name: '张三', parentId: 1, order: 1 },
    });
    expect(normalized('ChangeContactUpdateTag.xml')).toMatchObject({
      type: 'wecom.contact.update_tag',
      data: { tagId: 1, addUserItems: ['zhangsan', 'lisi'], delUserItems: ['zhangsan1', 'lisi1'], addPartyItems: [1, 2], delPartyItems: [3, 4] },
    });
  });

  it('makes the repeated approval elements arrays, even when one occurs once', () => {
    const event = normalized('extra/SysApprovalChange.xml');
    expect(event.type).toBe('wecom.approval.change');
    const info = event.data.approvalInfo as Record<string, unknown>;
    expect(info).toMatchObject({ spNo: '201910220003', spStatus: 1, applyTime: 1571728713, statuChangeEvent: 10 });
    expect(info.applyer).toEqual({ userId: 'WuJunJie', party: '1' });
    expect(info.spRecord).toEqual([
      {
        spStatus: 1,
        approverAttr: 2,
        details: [
          { approver: { userId: 'WangXiaoMing' }, speech: '', spStatus: 1, spTime: 0 },
          { approver: { userId: 'XiaoGangHuang' }, speech: '', spStatus: 1, spTime: 0 },
        ],
      },
      { spStatus: 1, approverAttr: 1, details: [{ approver: { userId: 'XiaoHongLiu' }, speech: '', spStatus: 1, spTime: 0 }] },
    ]);
    expect(info.notifyer).toEqual([{ userId: 'ChengLiang' }]);
    expect(info.comments).toEqual([
      { commentUserInfo: { userId: 'LiuZhi' }, commentTime: 1571732272, commentContent: '这是一个备注', commentId: '6750538708562308220' },
    ]);
    expect(event.data.agentId).toBe(3010040);
    expect(event.dedupKey).toBe('ww1cSD21f1e9c0caaa:sys_approval_change@1571732272:agentId=3010040:spNo=201910220003:spStatus=1:statuChangeEvent=10');
  });

  it('maps the suite lifecycle; the suite_ticket InfoType with a leading space is trimmed', () => {
    expect(normalized('SuiteTicket.xml')).toMatchObject({
      type: 'wecom.suite.ticket',
      data: { infoType: 'suite_ticket', suiteId: 'ww4asffe99e54c0f4c', suiteTicket: 'asdfasfdasdfasdf' },
      dedupKey: 'ww4asffe99e54c0f4c:suite_ticket@1403610513:suiteTicket=asdfasfdasdfasdf',
    });
    const created = normalized('extra/CreateAuthWithState.xml');
    expect(created).toMatchObject({ type: 'wecom.suite.create_auth', data: { authCode: 'AUTHCODE', state: '123' } });
    expect(created.authCorpId).toBeUndefined();
    expect(normalized('ChangeAuth.xml')).toMatchObject({ type: 'wecom.suite.change_auth', authCorpId: 'wxf8b4f85f3a794e77' });
    expect(normalized('CancelAuth.xml')).toMatchObject({ type: 'wecom.suite.cancel_auth', authCorpId: 'wxf8b4f85f3a794e77' });
    const reset = '<xml><SuiteId><![CDATA[wwsuite]]></SuiteId><AuthCode><![CDATA[CODE2]]></AuthCode><InfoType><![CDATA[reset_permanent_code]]></InfoType><TimeStamp>1403610513</TimeStamp></xml>';
    const { normalized: event, source } = run(reset);
    expect(event).toMatchObject({ type: 'wecom.suite.reset_permanent_code', data: { authCode: 'CODE2' } });
    expectValid(event, source);
  });

  it('maps wake-up events for customer service and session archiving', () => {
    expect(normalized('extra/KfMsgOrEvent.xml')).toMatchObject({
      type: 'wecom.kf.msg_or_event',
      data: { token: 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR', openKfId: 'wkxxxxxxx' },
    });
    expect(normalized('extra/MsgauditNotify.xml')).toMatchObject({ type: 'wecom.msgaudit.notify', data: { agentId: 2000004 } });
  });

  it('maps messages: text and image by type, the rest as wecom.message.other', () => {
    const text = normalized('extra/VectorBText.xml');
    expect(text).toMatchObject({
      type: 'wecom.message.text',
      data: { fromUserName: 'mycreate', content: 'hello', msgId: '4561255354251345929', agentId: 218, createTime: 1409659813 },
      dedupKey: 'msg:wx5823bf96d3bd56c7:218:4561255354251345929',
    });
    expect(normalized('MessageImage.xml')).toMatchObject({ type: 'wecom.message.image', data: { image: { mediaId: 'media_id' } } });
    expect(normalized('MessageVoice.xml')).toMatchObject({ type: 'wecom.message.other', data: { msgType: 'voice', voice: { mediaId: 'media_id' } } });
    expect(normalized('MessageLocation.xml').data).toMatchObject({ msgType: 'location', locationX: '23.134', locationY: '113.358', msgId: '1234567890123456' });
  });

  it('maps other app events to wecom.app_event with their fields camelCased', () => {
    expect(normalized('EnterAgent.xml')).toMatchObject({
      type: 'wecom.app_event',
      data: { event: 'enter_agent', eventKey: '', agentId: 1, fromUserName: 'FromUser' },
      dedupKey: 'toUser:enter_agent@1408091189:from=FromUser:agentId=1:eventKey=',
    });
    expect(normalized('BatchJobResult.xml')).toMatchObject({
      type: 'wecom.app_event',
      data: { event: 'batch_job_result', batchJob: { jobId: 'S0MrnndvRG5fadSlLwiBqiDDbM143UqTmKP3152FZk4', jobType: 'sync_user' } },
    });
    expect(normalized('OpenApprovalChange.xml').type).toBe('wecom.app_event');
  });

  it('keeps an unknown InfoType as wecom.unknown with every field verbatim', () => {
    const xml = '<xml><SuiteId><![CDATA[wwsuite]]></SuiteId><AuthCorpId><![CDATA[wwcorp]]></AuthCorpId><InfoType><![CDATA[change_app_admin]]></InfoType><TimeStamp>1403610513</TimeStamp><AgentID>1</AgentID></xml>';
    const { normalized: event, source } = run(xml);
    expect(event.type).toBe('wecom.unknown');
    expect(event.authCorpId).toBe('wwcorp');
    expect(event.data).toEqual({
      infoType: 'change_app_admin',
      raw: { SuiteId: 'wwsuite', AuthCorpId: 'wwcorp', InfoType: 'change_app_admin', TimeStamp: '1403610513', AgentID: '1' },
    });
    expect(event.dedupKey).toMatch(/^wwsuite\/wwcorp:change_app_admin@1403610513:agentId=1:sha=[0-9a-f]{16}$/);
    expectValid(event, source);
  });
});
