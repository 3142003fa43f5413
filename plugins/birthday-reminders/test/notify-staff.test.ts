import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '@lianjie/sdk/testing';
import { maxBytes, utf8Bytes } from '../src/message.ts';
import type { PluginTypes, Reminder } from '../src/plugin-types.ts';

const plugin = new URL('..', import.meta.url).pathname;
const sent: { toUserIds: string[]; text: string }[] = [];

const wang: Reminder = { customerId: 'wm-wang', name: '王女士', staffUserId: 'zhangsan', occasion: 'birthday', date: '03-14', on: '2026-03-14', daysUntil: 0 };
const li: Reminder = { customerId: 'wm-li', staffUserId: 'zhangsan', occasion: 'anniversary', label: '结婚纪念日', date: '03-17', on: '2026-03-17', daysUntil: 3, years: 10 };
const zhao: Reminder = { customerId: 'wm-zhao', name: '赵先生', staffUserId: 'lisi', occasion: 'birthday', date: '02-29', on: '2027-02-28', daysUntil: 0 };

describe('lianjie.birthday-reminders: notify-staff', () => {
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    host = await createTestHost<PluginTypes>({
      plugin,
      wecom: {
        // As WeCom: a userid that is not in the app's visible range (or left) is refused.
        sendAppMessage: (args: { toUserIds: string[]; text: string }) => {
          if (args.toUserIds.includes('left-the-company')) throw { code: 'wecom.api_error', message: '/cgi-bin/message/send: WeCom errcode 81013: user & party & tag all invalid' };
          if (args.toUserIds.includes('busy')) throw { code: 'wecom.busy', message: 'WeCom is busy (-1)', retryable: true };
          sent.push(args);
          return { invaliduser: '', msgid: `msg-${sent.length}` };
        },
      },
    });
  });
  afterAll(() => host.close());

  it('sends each staff member one message listing their customers', async () => {
    const result = await host.runAction('notify-staff', { date: '2026-03-14', reminders: [wang, zhao, li] });
    expect(result).toEqual({ ok: true, output: { messages: 2, staff: [{ staffUserId: 'lisi', customers: 1 }, { staffUserId: 'zhangsan', customers: 2 }], failed: [] } });
    expect(sent.slice(-2)).toEqual([
      { toUserIds: ['lisi'], text: '客户纪念日提醒（2026-03-14）\n· 赵先生：生日（登记日期 02-29），今天' },
      { toUserIds: ['zhangsan'], text: '客户纪念日提醒（2026-03-14）\n· 王女士：生日，今天\n· wm-li：结婚纪念日 10 周年，3 天后（2026-03-17）' },
    ]);
  });

  it('sends nothing for no reminders', async () => {
    const before = host.calls.length;
    expect(await host.runAction('notify-staff', { reminders: [] })).toEqual({ ok: true, output: { messages: 0, staff: [], failed: [] } });
    expect(host.calls.length).toBe(before);
  });

  it("keeps a long list within WeCom's 2048 bytes and says how many more there are", async () => {
    const many = Array.from({ length: 120 }, (_, i): Reminder => ({ ...wang, customerId: `wm-${i}`, name: `顾客${i}号` }));
    expect(await host.runAction('notify-staff', { reminders: many })).toMatchObject({ ok: true, output: { messages: 1, staff: [{ staffUserId: 'zhangsan', customers: 120 }] } });
    const text = sent.at(-1)!.text;
    expect(utf8Bytes(text)).toBeLessThanOrEqual(maxBytes);
    expect(Buffer.byteLength(text)).toBe(utf8Bytes(text));
    const shown = text.split('\n').filter((l) => l.startsWith('· ')).length;
    expect(text.split('\n').at(-1)).toBe(`……另有 ${120 - shown} 条`);
  });

  it("lists a staff member WeCom refuses for good in failed, with WeCom's code, and messages the others", async () => {
    const result = await host.runAction('notify-staff', { reminders: [wang, { ...zhao, staffUserId: 'left-the-company' }] });
    expect(result).toEqual({
      ok: true,
      output: {
        messages: 1, staff: [{ staffUserId: 'zhangsan', customers: 1 }],
        failed: [{ staffUserId: 'left-the-company', code: 'wecom.api_error', message: '/cgi-bin/message/send: WeCom errcode 81013: user & party & tag all invalid' }],
      },
    });
    expect(host.logs.at(-1)).toMatchObject({ level: 'warn', message: 'staff member not messaged', fields: { staffUserId: 'left-the-company', code: 'wecom.api_error' } });
  });

  it('fails the step with a retryable WeCom failure (after messaging the others)', async () => {
    const before = sent.length;
    const result = await host.runAction('notify-staff', { reminders: [wang, { ...zhao, staffUserId: 'busy' }] }, { runId: 'run-1', idempotencyKey: 'run-1:notify' });
    expect(result).toEqual({ ok: false, failure: { code: 'wecom.busy', message: 'WeCom is busy (-1)', retryable: true } });
    expect(sent.slice(before).map((s) => s.toUserIds)).toEqual([['zhangsan']]);
  });

  it('writes English when configured', async () => {
    const english = await createTestHost<PluginTypes>({ plugin, config: { language: 'en' }, wecom: { sendAppMessage: (args: { toUserIds: string[]; text: string }) => (sent.push(args), {}) } });
    try {
      await english.runAction('notify-staff', { date: '2027-02-28', reminders: [zhao, { ...li, staffUserId: 'lisi' }] });
      expect(sent.at(-1)!.text).toBe('Customer occasions (2027-02-28)\n· 赵先生: birthday (remembered as 02-29), today\n· wm-li: 结婚纪念日 (10 years), in 3 days (2026-03-17)');
    } finally {
      await english.close();
    }
  });

  it('needs the wecom.app_message.send grant', async () => {
    const ungranted = await createTestHost<PluginTypes>({ plugin, grants: ['store'] });
    try {
      expect(await ungranted.runAction('notify-staff', { reminders: [wang] })).toMatchObject({ ok: false, failure: { code: 'capability.denied', retryable: false } });
    } finally {
      await ungranted.close();
    }
  });
});

describe('lianjie.birthday-reminders: the chain, remember → due-today → notify-staff', () => {
  it("reminds the responsible staff member on the customer's day", async () => {
    const messages: { toUserIds: string[]; text: string }[] = [];
    const host = await createTestHost<PluginTypes>({ plugin, config: { daysAhead: 7 }, wecom: { sendAppMessage: (args: { toUserIds: string[]; text: string }) => (messages.push(args), {}) } });
    try {
      await host.runAction('remember', { customerId: 'wm-chen', name: '陈女士', staffUserId: 'zhangsan', birthday: '12-25', anniversaries: [{ label: '结婚纪念日', date: '01-01', year: 2000 }] });
      const due = await host.runTrigger('due-today', { tick: '2026-12-25T01:00:00.000Z', timezone: 'Asia/Shanghai' });
      expect(due.ok).toBe(true);
      if (!due.ok || !due.output) throw new Error('nothing due');
      expect(await host.runAction('notify-staff', { date: due.output.date, reminders: due.output.reminders })).toMatchObject({ ok: true, output: { messages: 1 } });
      expect(messages).toEqual([{ toUserIds: ['zhangsan'], text: '客户纪念日提醒（2026-12-25）\n· 陈女士：生日，今天\n· 陈女士：结婚纪念日 27 周年，7 天后（2027-01-01）' }]);
    } finally {
      await host.close();
    }
  });
});
