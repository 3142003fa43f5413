import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, sampleEvents, type TestHost } from '@lianjie/sdk/testing';
import type { Config, PluginTypes } from '../src/plugin-types.ts';

const plugin = new URL('..', import.meta.url).pathname;
const customerId = 'woAJ2GCAAAXtWyujaWJHDDGi0mACH71w'; // the samples' customer
const occurredAt = '2014-06-24T11:48:33.000Z'; // the samples' time: 19:48 in Asia/Shanghai

/** As WeCom answers: a customer some staff member still has is given; one no staff member has any more is 84061. */
const customers: Record<string, string> = { [customerId]: '李四', wmNONAME: '' };
const sent: { toUserIds: string[]; text: string }[] = [];
const wecom = {
  getExternalContact: ({ externalUserId }: { externalUserId: string }) => {
    if (externalUserId === 'wmBUSY') throw { code: 'wecom.busy', message: '/cgi-bin/externalcontact/get: WeCom is busy (WeCom errcode -1: system busy)', retryable: true };
    if (!(externalUserId in customers)) throw { code: 'wecom.api_error', message: '/cgi-bin/externalcontact/get: WeCom errcode 84061: not external contact' };
    return { external_contact: { external_userid: externalUserId, name: customers[externalUserId], type: 1 }, follow_user: [{ userid: 'lisi' }] };
  },
  sendAppMessage: (args: { toUserIds: string[]; text: string }) => {
    if (args.toUserIds.includes('left-company')) throw { code: 'wecom.api_error', message: '/cgi-bin/message/send: WeCom errcode 81013: user & party & tag all invalid' };
    sent.push(args);
    const invalid = args.toUserIds.filter((id) => id.toLowerCase().startsWith('nobody')).map((id) => id.toLowerCase());
    return { invaliduser: invalid.join('|'), invalidparty: '', invalidtag: '', unlicenseduser: args.toUserIds.includes('intern') ? 'intern' : '', msgid: `msg-${sent.length}` };
  },
};

const config: Config = {
  managers: ['boss', 'ops'],
  managersByStaff: { ZhangSan: ['storemgr', 'BOSS'], lisi: ['lisi-mgr'] },
};

describe('lianjie.churn-alert: the lost trigger', () => {
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    host = await createTestHost<PluginTypes>({ plugin, config: config as Record<string, unknown> });
  });
  afterAll(() => host.close());

  it('del_follow_user (the sample): the customer deleted the staff member', async () => {
    expect(await host.runTrigger('lost', sampleEvents['wecom.external_contact.del_follow_user'])).toEqual({
      ok: true, output: { deletedBy: 'customer', userId: 'zhangsan', externalUserId: customerId, occurredAt },
    });
  });

  it('del_external_contact (the sample): the staff member deleted the customer', async () => {
    expect(await host.runTrigger('lost', sampleEvents['wecom.external_contact.del'])).toEqual({
      ok: true, output: { deletedBy: 'staff', userId: 'zhangsan', externalUserId: customerId, occurredAt },
    });
  });

  it('a removal by reassignment (Source DELETE_BY_TRANSFER) is not churn: it starts nothing', async () => {
    const event = sampleEvents['wecom.external_contact.del'];
    expect(await host.runTrigger('lost', { ...event, data: { ...event.data, source: 'DELETE_BY_TRANSFER' } })).toEqual({ ok: true, output: null });
  });

  it('includeTransfers alerts on those too, and says so', async () => {
    const all = await createTestHost<PluginTypes>({ plugin, config: { includeTransfers: true } });
    try {
      const event = sampleEvents['wecom.external_contact.del'];
      expect(await all.runTrigger('lost', { ...event, data: { ...event.data, source: 'DELETE_BY_TRANSFER' } })).toEqual({
        ok: true, output: { deletedBy: 'staff', userId: 'zhangsan', externalUserId: customerId, occurredAt, source: 'DELETE_BY_TRANSFER' },
      });
    } finally {
      await all.close();
    }
  });

  it('an event without its staff member or customer starts nothing', async () => {
    const event = sampleEvents['wecom.external_contact.del_follow_user'];
    expect(await host.runTrigger('lost', { ...event, data: { ...event.data, externalUserId: '' } })).toEqual({ ok: true, output: null });
  });

  it('calls nothing', () => {
    expect(host.calls).toEqual([]);
  });
});

describe('lianjie.churn-alert: notify', () => {
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    host = await createTestHost<PluginTypes>({ plugin, config: config as Record<string, unknown>, wecom });
  });
  afterAll(() => host.close());

  it("the customer deleted the staff member: the staff member and the managers are told, with the customer's name", async () => {
    sent.length = 0;
    const result = await host.runAction('notify', { deletedBy: 'customer', userId: 'zhangsan', externalUserId: customerId, occurredAt });
    // Everyone's managers, then the staff member's own (the map's key matched without case), each once.
    expect(result).toEqual({ ok: true, output: { customerName: '李四', lookup: 'found', notified: ['zhangsan', 'boss', 'ops', 'storemgr'], undelivered: [] } });
    expect(sent).toEqual([
      { toUserIds: ['zhangsan'], text: '客户「李四」已于 2014-06-24 19:48 将你删除。' },
      { toUserIds: ['boss', 'ops', 'storemgr'], text: '流失提醒：客户「李四」于 2014-06-24 19:48 删除了成员 zhangsan。' },
    ]);
  });

  it('the staff member deleted the customer: by default only the managers are told', async () => {
    sent.length = 0;
    const result = await host.runAction('notify', { deletedBy: 'staff', userId: 'lisi', externalUserId: customerId, occurredAt });
    expect(result).toEqual({ ok: true, output: { customerName: '李四', lookup: 'found', notified: ['boss', 'ops', 'lisi-mgr'], undelivered: [] } });
    expect(sent).toEqual([{ toUserIds: ['boss', 'ops', 'lisi-mgr'], text: '删除提醒：成员 lisi 于 2014-06-24 19:48 删除了客户「李四」。' }]);
  });

  it('a customer WeCom no longer gives (84061) is named by id, and the alert still goes', async () => {
    sent.length = 0;
    const result = await host.runAction('notify', { deletedBy: 'staff', userId: 'wangwu', externalUserId: 'wmGONE', occurredAt });
    expect(result).toEqual({
      ok: true,
      output: {
        customerName: null, lookup: 'failed', lookupFailure: { code: 'wecom.api_error', message: '/cgi-bin/externalcontact/get: WeCom errcode 84061: not external contact' },
        notified: ['boss', 'ops'], undelivered: [],
      },
    });
    expect(sent).toEqual([{ toUserIds: ['boss', 'ops'], text: '删除提醒：成员 wangwu 于 2014-06-24 19:48 删除了客户「wmGONE」。' }]);
    expect(host.logs.at(-1)).toEqual({ level: 'warn', message: 'the customer could not be looked up; the alert names them by id', fields: { externalUserId: 'wmGONE', code: 'wecom.api_error' } });
  });

  it('a lookup WeCom is too busy for does not hold the alert back either', async () => {
    const result = await host.runAction('notify', { deletedBy: 'customer', userId: 'wangwu', externalUserId: 'wmBUSY', occurredAt });
    expect(result.ok && result.output).toMatchObject({ customerName: null, lookup: 'failed', lookupFailure: { code: 'wecom.busy' }, notified: ['wangwu', 'boss', 'ops'] });
  });

  it('a customer without a name is named by id', async () => {
    sent.length = 0;
    await host.runAction('notify', { deletedBy: 'customer', userId: 'wangwu', externalUserId: 'wmNONAME', occurredAt });
    expect(sent[0]).toEqual({ toUserIds: ['wangwu'], text: '客户「wmNONAME」已于 2014-06-24 19:48 将你删除。' });
  });

  it('recipients WeCom lists as invalid or unlicensed come back as undelivered', async () => {
    const partly = await createTestHost<PluginTypes>({ plugin, config: { managers: ['boss', 'NobodyHere', 'intern'] }, wecom });
    try {
      const result = await partly.runAction('notify', { deletedBy: 'customer', userId: 'zhangsan', externalUserId: customerId, occurredAt });
      expect(result.ok && result.output).toMatchObject({ notified: ['zhangsan', 'boss', 'NobodyHere', 'intern'], undelivered: ['nobodyhere', 'intern'] });
    } finally {
      await partly.close();
    }
  });

  it("a failed send is surfaced with WeCom's code after the other message went", async () => {
    const withLeaver = await createTestHost<PluginTypes>({ plugin, config: { managers: ['boss'] }, wecom });
    try {
      sent.length = 0;
      const result = await withLeaver.runAction('notify', { deletedBy: 'customer', userId: 'left-company', externalUserId: customerId, occurredAt });
      expect(result).toEqual({ ok: false, failure: { code: 'wecom.api_error', message: '/cgi-bin/message/send: WeCom errcode 81013: user & party & tag all invalid', retryable: false } });
      expect(sent).toEqual([{ toUserIds: ['boss'], text: '流失提醒：客户「李四」于 2014-06-24 19:48 删除了成员 left-company。' }]);
    } finally {
      await withLeaver.close();
    }
  });

  it("WeCom's rate limit is surfaced as retryable", async () => {
    const limited = await createTestHost<PluginTypes>({
      plugin, config: { managers: ['boss'] },
      wecom: { ...wecom, sendAppMessage: () => { throw { code: 'wecom.rate_limited', message: "/cgi-bin/message/send: over WeCom's rate limit (WeCom errcode 45009: api freq out of limit)", retryable: true }; } },
    });
    try {
      const result = await limited.runAction('notify', { deletedBy: 'staff', userId: 'zhangsan', externalUserId: customerId, occurredAt });
      expect(result.ok === false && result.failure).toMatchObject({ code: 'wecom.rate_limited', retryable: true });
    } finally {
      await limited.close();
    }
  });

  it('nobody to tell: nothing is looked up or sent', async () => {
    const quiet = await createTestHost<PluginTypes>({ plugin, config: { notifyStaff: 'never' }, wecom });
    try {
      expect(await quiet.runAction('notify', { deletedBy: 'customer', userId: 'zhangsan', externalUserId: customerId })).toEqual({
        ok: true, output: { customerName: null, lookup: 'skipped', notified: [], undelivered: [], skipped: 'no_recipients' },
      });
      expect(quiet.calls).toEqual([]);
    } finally {
      await quiet.close();
    }
  });

  it('notifyStaff always, own templates (the rest default), another timezone', async () => {
    const custom = await createTestHost<PluginTypes>({
      plugin, wecom,
      config: { notifyStaff: 'always', timezone: 'Europe/London', templates: { staffWhenStaffDeleted: '{staff}: you removed {customerName} ({externalUserId}) at {time}; {unknown} stays' } },
    });
    try {
      sent.length = 0;
      expect(await custom.runAction('notify', { deletedBy: 'staff', userId: 'zhangsan', externalUserId: customerId, occurredAt })).toEqual({
        ok: true, output: { customerName: '李四', lookup: 'found', notified: ['zhangsan'], undelivered: [] },
      });
      expect(sent).toEqual([{ toUserIds: ['zhangsan'], text: `zhangsan: you removed 李四 (${customerId}) at 2014-06-24 12:48; {unknown} stays` }]);
      sent.length = 0;
      await custom.runAction('notify', { deletedBy: 'customer', userId: 'zhangsan', externalUserId: customerId, occurredAt });
      expect(sent).toEqual([{ toUserIds: ['zhangsan'], text: '客户「李四」已于 2014-06-24 12:48 将你删除。' }]);
    } finally {
      await custom.close();
    }
  });

  it('a timezone that does not exist writes the time in UTC', async () => {
    const utc = await createTestHost<PluginTypes>({ plugin, config: { timezone: 'Mars/Olympus' }, wecom });
    try {
      sent.length = 0;
      await utc.runAction('notify', { deletedBy: 'customer', userId: 'zhangsan', externalUserId: customerId, occurredAt });
      expect(sent[0]?.text).toBe('客户「李四」已于 2014-06-24 11:48 UTC 将你删除。');
    } finally {
      await utc.close();
    }
  });

  it('an occurredAt that is not a date-time is refused before anything is called', async () => {
    const before = host.calls.length;
    const result = await host.runAction('notify', { deletedBy: 'customer', userId: 'zhangsan', externalUserId: customerId, occurredAt: 'yesterday' });
    expect(result.ok === false && result.failure.code).toBe('action.input_invalid');
    expect(host.calls.length).toBe(before);
  });
});

describe('lianjie.churn-alert: permissions', () => {
  it('asks only for the lookup and the send', async () => {
    const host = await createTestHost<PluginTypes>({ plugin, grants: [] });
    try {
      expect(host.manifest.permissions).toEqual(['wecom.app_message.send', 'wecom.external_contact.get']);
    } finally {
      await host.close();
    }
  });

  it('without any grant notify fails capability.denied; the trigger still runs', async () => {
    const host = await createTestHost<PluginTypes>({ plugin, grants: [], config: { managers: ['boss'] }, wecom });
    try {
      const result = await host.runAction('notify', { deletedBy: 'customer', userId: 'zhangsan', externalUserId: customerId });
      expect(result.ok === false && result.failure).toMatchObject({ code: 'capability.denied', retryable: false });
      expect(await host.runTrigger('lost', sampleEvents['wecom.external_contact.del_follow_user'])).toMatchObject({ ok: true, output: { deletedBy: 'customer' } });
    } finally {
      await host.close();
    }
  });

  it('granted the send only: the refused lookup is a lookup failure and the alert goes, naming the customer by id', async () => {
    const host = await createTestHost<PluginTypes>({ plugin, grants: ['wecom.app_message.send'], config: { managers: ['boss'] }, wecom });
    try {
      sent.length = 0;
      expect(await host.runAction('notify', { deletedBy: 'customer', userId: 'zhangsan', externalUserId: customerId, occurredAt })).toEqual({
        ok: true,
        output: {
          customerName: null, lookup: 'failed', notified: ['zhangsan', 'boss'], undelivered: [],
          lookupFailure: { code: 'capability.denied', message: 'ctx.wecom.getExternalContact needs the "wecom.external_contact.get" permission, which this install was not granted' },
        },
      });
      expect(sent[0]?.text).toBe(`客户「${customerId}」已于 2014-06-24 19:48 将你删除。`);
      // The host refuses the lookup without calling anything.
      expect(host.calls.filter((c) => c.capability === 'wecom').map((c) => c.method)).toEqual(['sendAppMessage', 'sendAppMessage']);
      expect(host.logs).toEqual([{ level: 'warn', message: 'the customer could not be looked up; the alert names them by id', fields: { externalUserId: customerId, code: 'capability.denied' } }]);
    } finally {
      await host.close();
    }
  });

  it('granted the lookup only: notify fails capability.denied naming the send permission, and sends nothing', async () => {
    const host = await createTestHost<PluginTypes>({ plugin, grants: ['wecom.external_contact.get'], config: { managers: ['boss'] }, wecom });
    try {
      sent.length = 0;
      expect(await host.runAction('notify', { deletedBy: 'customer', userId: 'zhangsan', externalUserId: customerId })).toEqual({
        ok: false, failure: { code: 'capability.denied', message: 'ctx.wecom.sendAppMessage needs the "wecom.app_message.send" permission, which this install was not granted', retryable: false },
      });
      expect(host.calls.filter((c) => c.capability === 'wecom').map((c) => c.method)).toEqual(['getExternalContact']);
      expect(sent).toEqual([]);
    } finally {
      await host.close();
    }
  });
});
