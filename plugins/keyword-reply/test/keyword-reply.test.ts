import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, sampleEvents, type TestHost } from '@lianjie/sdk/testing';
import type { Config, KfMessageTriggerInput, PluginTypes } from '../src/plugin-types.ts';

const plugin = new URL('..', import.meta.url).pathname;

const config: Config = {
  rules: [
    { name: 'hours', match: 'exact', keywords: ['营业时间', 'Hours'], reply: '每天 9:00-21:00 营业' },
    { name: 'price', match: 'contains', keywords: ['价格', 'price'], reply: '价格表：https://shop.example.com/prices' },
    { name: 'order', match: 'prefix', keywords: ['订单', 'ORDER'], reply: '请提供订单号，我们马上查询', ignoreCase: false },
    { name: 'leave', match: 'contains', keywords: ['请假'], reply: '请假流程：https://oa.example.com/leave', channels: ['app'] },
    { name: 'refund', match: 'contains', keywords: ['退款', '价格'], reply: '退款请联系人工客服', channels: ['kf'] },
  ],
};

/** The canonical sample of a staff member's text to the app, with other content. */
function staffText(content: string, from = 'zhangsan') {
  const event = sampleEvents['wecom.message.text'];
  return { ...event, data: { ...event.data, fromUserName: from, content, agentId: 1000002 } };
}

/** One item of kf/sync_msg's msg_list, as WeCom documents it. */
function kfItem(content: string, more: Partial<KfMessageTriggerInput> = {}): KfMessageTriggerInput {
  return {
    msgid: 'from_msgid_4622416642169452483', open_kfid: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q', external_userid: 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw',
    send_time: 1615478585, origin: 3, servicer_userid: 'zhangsan', msgtype: 'text', text: { content }, ...more,
  };
}

describe('lianjie.keyword-reply: the message trigger (staff → app)', () => {
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    host = await createTestHost<PluginTypes>({ plugin, config: config as Record<string, unknown> });
  });
  afterAll(() => host.close());

  it("runs on the canonical sample: its text matches no rule, so it starts nothing", async () => {
    expect(sampleEvents['wecom.message.text'].data.content).toBe('this is a test');
    expect(await host.runTrigger('message', sampleEvents['wecom.message.text'])).toEqual({ ok: true, output: null });
  });

  it('the sample with a matching text: the reply goes to the one who wrote', async () => {
    const event = sampleEvents['wecom.message.text'];
    expect(await host.runTrigger('message', { ...event, data: { ...event.data, content: '  价格多少？' } })).toEqual({
      ok: true,
      output: { channel: 'app', toUserId: 'fromUser', reply: '价格表：https://shop.example.com/prices', ruleIndex: 1, ruleName: 'price', keyword: '价格', message: '  价格多少？' },
    });
  });

  it('exact: the whole trimmed message, case-insensitive by default', async () => {
    const hit = await host.runTrigger('message', staffText(' hours \n'));
    expect(hit).toEqual({ ok: true, output: expect.objectContaining({ ruleName: 'hours', keyword: 'Hours', toUserId: 'zhangsan', agentId: 1000002 }) });
    expect(await host.runTrigger('message', staffText('营业时间？'))).toEqual({ ok: true, output: null });
  });

  it('contains: anywhere in the message, any of the keywords', async () => {
    expect(await host.runTrigger('message', staffText('What is the PRICE of this?'))).toEqual({ ok: true, output: expect.objectContaining({ ruleIndex: 1, keyword: 'price' }) });
  });

  it('prefix: the start of the trimmed message; this rule compares case', async () => {
    expect(await host.runTrigger('message', staffText('  ORDER 1234'))).toEqual({ ok: true, output: expect.objectContaining({ ruleName: 'order', keyword: 'ORDER' }) });
    expect(await host.runTrigger('message', staffText('订单 20240611'))).toEqual({ ok: true, output: expect.objectContaining({ ruleName: 'order', keyword: '订单' }) });
    expect(await host.runTrigger('message', staffText('order 1234'))).toEqual({ ok: true, output: null });
    expect(await host.runTrigger('message', staffText('我的订单'))).toEqual({ ok: true, output: null });
  });

  it('the first rule that matches wins', async () => {
    // "ORDER price" matches "order" (prefix, index 2) and "price" (contains, index 1): "price" comes first.
    const both = await host.runTrigger('message', staffText('ORDER price'));
    expect(both.ok && both.output?.ruleName).toBe('price');
  });

  it('rules limited to kf are skipped for staff; rules limited to app apply', async () => {
    expect(await host.runTrigger('message', staffText('我要退款'))).toEqual({ ok: true, output: null });
    expect(await host.runTrigger('message', staffText('明天请假'))).toEqual({ ok: true, output: expect.objectContaining({ ruleName: 'leave' }) });
  });

  it('blank text starts nothing', async () => {
    expect(await host.runTrigger('message', staffText('   '))).toEqual({ ok: true, output: null });
  });

  it('without rules nothing ever matches', async () => {
    const empty = await createTestHost<PluginTypes>({ plugin });
    try {
      expect(await empty.runTrigger('message', staffText('价格'))).toEqual({ ok: true, output: null });
    } finally {
      await empty.close();
    }
  });

  it('ignoreCase: false at the top compares case, and a rule can turn it back on', async () => {
    const strict = await createTestHost<PluginTypes>({
      plugin,
      config: { ignoreCase: false, rules: [{ match: 'exact', keywords: ['VIP'], reply: 'a' }, { match: 'exact', keywords: ['Help'], reply: 'b', ignoreCase: true }] },
    });
    try {
      expect(await strict.runTrigger('message', staffText('vip'))).toEqual({ ok: true, output: null });
      expect(await strict.runTrigger('message', staffText('VIP'))).toEqual({ ok: true, output: expect.objectContaining({ reply: 'a' }) });
      expect(await strict.runTrigger('message', staffText('HELP'))).toEqual({ ok: true, output: expect.objectContaining({ reply: 'b' }) });
    } finally {
      await strict.close();
    }
  });

  it('the config refuses a rule without keywords, a blank keyword, and an unknown match', async () => {
    await expect(createTestHost({ plugin, config: { rules: [{ match: 'exact', keywords: [], reply: 'x' }] } })).rejects.toThrow('/rules/0/keywords');
    await expect(createTestHost({ plugin, config: { rules: [{ match: 'exact', keywords: ['  '], reply: 'x' }] } })).rejects.toThrow('/rules/0/keywords/0');
    await expect(createTestHost({ plugin, config: { rules: [{ match: 'regex', keywords: ['a'], reply: 'x' }] } })).rejects.toThrow('/rules/0/match');
  });
});

describe('lianjie.keyword-reply: the kf-message trigger (customer → customer service)', () => {
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    host = await createTestHost<PluginTypes>({ plugin, config: config as Record<string, unknown> });
  });
  afterAll(() => host.close());

  it("the kf wake-up event carries no text (only sync_msg's token and the account), so no event trigger listens to it", () => {
    const { data } = sampleEvents['wecom.kf.msg_or_event'];
    expect(data).toMatchObject({ event: 'kf_msg_or_event', openKfId: 'wkxxxxxxx', token: expect.any(String) });
    expect(data).not.toHaveProperty('content');
    const events = host.manifest.triggers.flatMap((t) => (t.kind === 'event' ? t.events : []));
    expect(events).toEqual(['wecom.message.text']);
  });

  it("a customer's text: the reply goes to that customer on that account", async () => {
    expect(await host.runTrigger('kf-message', kfItem('Price?'))).toEqual({
      ok: true,
      output: {
        channel: 'kf', toUser: 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw', openKfId: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q', reply: '价格表：https://shop.example.com/prices',
        ruleIndex: 1, ruleName: 'price', keyword: 'price', message: 'Price?', msgId: 'from_msgid_4622416642169452483',
      },
    });
  });

  it('the first rule for kf wins; rules limited to app are skipped', async () => {
    // "退款" only matches the kf-only rule; "价格" matches "price" (index 1) before "refund" (index 4).
    expect(await host.runTrigger('kf-message', kfItem('怎么退款'))).toEqual({ ok: true, output: expect.objectContaining({ ruleName: 'refund' }) });
    expect(await host.runTrigger('kf-message', kfItem('退款价格'))).toEqual({ ok: true, output: expect.objectContaining({ ruleName: 'price' }) });
    expect(await host.runTrigger('kf-message', kfItem('请假'))).toEqual({ ok: true, output: null });
  });

  it("servicers' messages, system events, other message types and unmatched text start nothing", async () => {
    expect(await host.runTrigger('kf-message', kfItem('价格', { origin: 5 }))).toEqual({ ok: true, output: null });
    expect(await host.runTrigger('kf-message', { msgid: 'm2', origin: 4, msgtype: 'event', open_kfid: 'wk1' })).toEqual({ ok: true, output: null });
    expect(await host.runTrigger('kf-message', { ...kfItem(''), msgtype: 'image', text: undefined })).toEqual({ ok: true, output: null });
    expect(await host.runTrigger('kf-message', kfItem('你好'))).toEqual({ ok: true, output: null });
    expect(await host.runTrigger('kf-message', kfItem('价格', { external_userid: undefined }))).toEqual({ ok: true, output: null });
  });

  it('a body that is not a msg_list item is refused', async () => {
    const result = await host.runTrigger('kf-message', { text: { content: '价格' } } as unknown as KfMessageTriggerInput);
    expect(result.ok === false && result.failure.code).toBe('trigger.input_invalid');
  });
});

describe('lianjie.keyword-reply: reply-app and reply-kf', () => {
  const sent: { method: string; args: unknown }[] = [];
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    host = await createTestHost<PluginTypes>({
      plugin,
      wecom: {
        // As WeCom's message/send: an unknown user alone fails 81013; a user without a licence is listed, not refused.
        sendAppMessage: (args: { toUserIds: string[] }) => {
          sent.push({ method: 'sendAppMessage', args });
          if (args.toUserIds[0] === 'ghost') throw { code: 'wecom.api_error', message: '/cgi-bin/message/send: WeCom errcode 81013: user & party & tag all invalid' };
          if (args.toUserIds[0] === 'busy') throw { code: 'wecom.rate_limited', message: "/cgi-bin/message/send: over WeCom's rate limit (WeCom errcode 45009: api freq out of limit)", retryable: true };
          const unlicensed = args.toUserIds[0] === 'Intern' ? 'intern' : '';
          return { invaliduser: '', invalidparty: '', invalidtag: '', unlicenseduser: unlicensed, msgid: 'msg-app-1' };
        },
        // As WeCom's kf/send_msg: 48 hours after the customer's last message, 95002.
        sendKfMessage: (args: { toUser: string }) => {
          sent.push({ method: 'sendKfMessage', args });
          if (args.toUser === 'wm-stale') throw { code: 'wecom.api_error', message: '/cgi-bin/kf/send_msg: WeCom errcode 95002: the session is over 48 hours' };
          return { msgid: 'msg-kf-1' };
        },
      },
    });
  });
  afterAll(() => host.close());

  it('reply-app sends the text to the staff member', async () => {
    expect(await host.runAction('reply-app', { toUserId: 'zhangsan', text: '每天 9:00-21:00 营业' })).toEqual({ ok: true, output: { msgId: 'msg-app-1', delivered: true } });
    expect(sent.at(-1)).toEqual({ method: 'sendAppMessage', args: { toUserIds: ['zhangsan'], text: '每天 9:00-21:00 营业' } });
  });

  it('reply-app: a staff member WeCom lists as unlicensed is not delivered to', async () => {
    expect(await host.runAction('reply-app', { toUserId: 'Intern', text: 'x' })).toEqual({ ok: true, output: { msgId: 'msg-app-1', delivered: false } });
  });

  it("reply-app: WeCom's failures come through with their codes and retryability", async () => {
    expect(await host.runAction('reply-app', { toUserId: 'ghost', text: 'x' })).toEqual({
      ok: false, failure: { code: 'wecom.api_error', message: '/cgi-bin/message/send: WeCom errcode 81013: user & party & tag all invalid', retryable: false },
    });
    const busy = await host.runAction('reply-app', { toUserId: 'busy', text: 'x' });
    expect(busy.ok === false && busy.failure).toMatchObject({ code: 'wecom.rate_limited', retryable: true });
  });

  it('reply-kf sends the text from the account to the customer', async () => {
    expect(await host.runAction('reply-kf', { toUser: 'wm1', openKfId: 'wk1', text: '价格表' })).toEqual({ ok: true, output: { msgId: 'msg-kf-1' } });
    expect(sent.at(-1)).toEqual({ method: 'sendKfMessage', args: { toUser: 'wm1', openKfId: 'wk1', text: '价格表' } });
  });

  it("reply-kf: a customer outside WeCom's 48-hour window fails with WeCom's errcode, not retryable", async () => {
    expect(await host.runAction('reply-kf', { toUser: 'wm-stale', openKfId: 'wk1', text: 'x' })).toEqual({
      ok: false, failure: { code: 'wecom.api_error', message: '/cgi-bin/kf/send_msg: WeCom errcode 95002: the session is over 48 hours', retryable: false },
    });
  });

  it('an input the schema refuses calls nothing', async () => {
    const before = host.calls.length;
    const result = await host.runAction('reply-kf', { toUser: 'wm1', openKfId: 'wk1', text: '' });
    expect(result.ok === false && result.failure.code).toBe('action.input_invalid');
    expect(host.calls.length).toBe(before);
  });

  it('the triggers call nothing: matching needs no permission', async () => {
    const before = host.calls.length;
    await host.runTrigger('message', staffText('价格'));
    await host.runTrigger('kf-message', kfItem('价格'));
    expect(host.calls.length).toBe(before);
  });
});

describe('lianjie.keyword-reply: permissions', () => {
  it('asks only for the two sends it makes', async () => {
    const host = await createTestHost<PluginTypes>({ plugin, grants: [] });
    try {
      expect(host.manifest.permissions).toEqual(['wecom.app_message.send', 'wecom.kf_message.send']);
    } finally {
      await host.close();
    }
  });

  it('without any grant both replies fail capability.denied; the triggers still match', async () => {
    const host = await createTestHost<PluginTypes>({ plugin, grants: [], config: config as Record<string, unknown>, wecom: { sendAppMessage: () => ({}) } });
    try {
      const app = await host.runAction('reply-app', { toUserId: 'zhangsan', text: 'x' });
      expect(app.ok === false && app.failure).toMatchObject({ code: 'capability.denied', retryable: false });
      const kf = await host.runAction('reply-kf', { toUser: 'wm1', openKfId: 'wk1', text: 'x' });
      expect(kf.ok === false && kf.failure.code).toBe('capability.denied');
      expect(await host.runTrigger('message', staffText('价格'))).toEqual({ ok: true, output: expect.objectContaining({ ruleName: 'price' }) });
    } finally {
      await host.close();
    }
  });

  it('granted app messages only: the host refuses reply-kf, naming the permission it lacks', async () => {
    const host = await createTestHost<PluginTypes>({ plugin, grants: ['wecom.app_message.send'], wecom: { sendAppMessage: () => ({ msgid: 'm' }), sendKfMessage: () => ({ msgid: 'k' }) } });
    try {
      expect(await host.runAction('reply-app', { toUserId: 'zhangsan', text: 'x' })).toEqual({ ok: true, output: { msgId: 'm', delivered: true } });
      const kf = await host.runAction('reply-kf', { toUser: 'wm1', openKfId: 'wk1', text: 'x' });
      expect(kf.ok === false && kf.failure).toEqual({ code: 'capability.denied', message: 'ctx.wecom.sendKfMessage needs the "wecom.kf_message.send" permission, which this install was not granted', retryable: false });
      expect(host.calls.filter((c) => c.method === 'sendKfMessage')).toEqual([]);
    } finally {
      await host.close();
    }
  });
});
