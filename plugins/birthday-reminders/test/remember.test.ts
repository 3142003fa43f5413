import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '@lianjie/sdk/testing';
import type { PluginTypes } from '../src/plugin-types.ts';
import { bucketKey } from '../src/records.ts';

const plugin = new URL('..', import.meta.url).pathname;

describe('lianjie.birthday-reminders: remember and forget', () => {
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    host = await createTestHost<PluginTypes>({ plugin, store: { 'day:05-20': [{ customerId: 'wm-other', staffUserId: 'lisi', occasion: 'birthday' }] } });
  });
  afterAll(() => host.close());

  it("files the birthday and anniversaries under their days, with the customer's days in its bucket", async () => {
    const result = await host.runAction('remember', {
      customerId: 'wm-wang', name: '王女士', staffUserId: 'zhangsan', birthday: '03-14',
      anniversaries: [{ label: '结婚纪念日', date: '05-20', year: 2016 }],
    });
    expect(result).toEqual({ ok: true, output: { customerId: 'wm-wang', dates: ['03-14', '05-20'], replaced: false } });
    expect(host.store.get('day:03-14')).toEqual([{ customerId: 'wm-wang', name: '王女士', staffUserId: 'zhangsan', occasion: 'birthday' }]);
    expect(host.store.get('day:05-20')).toEqual([
      { customerId: 'wm-other', staffUserId: 'lisi', occasion: 'birthday' },
      { customerId: 'wm-wang', name: '王女士', staffUserId: 'zhangsan', occasion: 'anniversary', label: '结婚纪念日', year: 2016 },
    ]);
    expect(host.store.get(bucketKey('wm-wang'))).toEqual({ 'wm-wang': ['03-14', '05-20'] });
  });

  it('remembering again replaces: a day the customer no longer has loses them, and the same input changes nothing', async () => {
    const input = { customerId: 'wm-wang', name: '王女士', staffUserId: 'wangwu', birthday: '03-15', anniversaries: [{ label: '结婚纪念日', date: '05-20', year: 2016 }] };
    expect(await host.runAction('remember', input)).toEqual({ ok: true, output: { customerId: 'wm-wang', dates: ['03-15', '05-20'], replaced: true } });
    expect(host.store.has('day:03-14')).toBe(false);
    expect(host.store.get('day:03-15')).toEqual([{ customerId: 'wm-wang', name: '王女士', staffUserId: 'wangwu', occasion: 'birthday' }]);
    const before = JSON.stringify([...host.store.entries()].sort());
    expect((await host.runAction('remember', input)).ok).toBe(true);
    expect(JSON.stringify([...host.store.entries()].sort())).toBe(before);
  });

  it('keeps 02-29 as remembered and refuses days no year has', async () => {
    // null (a workflow mapping of a missing value) is as good as absent.
    expect(await host.runAction('remember', { customerId: 'wm-leap', name: null, staffUserId: 'zhangsan', birthday: '02-29', anniversaries: null })).toMatchObject({ ok: true, output: { dates: ['02-29'] } });
    expect(host.store.get('day:02-29')).toEqual([{ customerId: 'wm-leap', staffUserId: 'zhangsan', occasion: 'birthday' }]);
    expect(await host.runAction('remember', { customerId: 'wm-x', staffUserId: 'zhangsan', birthday: '02-30' })).toEqual({
      ok: false, failure: { code: 'plugin.invalid_date', message: '02-30 is not a day of the year', retryable: false },
    });
    expect(await host.runAction('remember', { customerId: 'wm-x', staffUserId: 'zhangsan', anniversaries: [{ label: '开业', date: '04-31' }] })).toMatchObject({
      ok: false, failure: { code: 'plugin.invalid_date' },
    });
    const badShape = await host.runAction('remember', { customerId: 'wm-x', staffUserId: 'zhangsan', birthday: '1990-03-14' });
    expect(badShape.ok === false && badShape.failure.code).toBe('action.input_invalid');
    expect(await host.runAction('remember', { customerId: 'wm-x', staffUserId: 'zhangsan', birthday: null })).toMatchObject({ ok: false, failure: { code: 'plugin.nothing_to_remember', retryable: false } });
    expect([...host.store.keys()].some((k) => host.store.get(k) !== undefined && JSON.stringify(host.store.get(k)).includes('wm-x'))).toBe(false);
  });

  it('a customer id like "__proto__" is an id like any other', async () => {
    expect(await host.runAction('remember', { customerId: '__proto__', staffUserId: 'zhangsan', birthday: '07-01' })).toMatchObject({ ok: true, output: { replaced: false } });
    expect(await host.runAction('remember', { customerId: '__proto__', staffUserId: 'zhangsan', birthday: '07-02' })).toMatchObject({ ok: true, output: { replaced: true } });
    expect(host.store.has('day:07-01')).toBe(false);
    expect(await host.runAction('forget', { customerId: '__proto__' })).toEqual({ ok: true, output: { forgotten: true } });
    expect(host.store.has('day:07-02')).toBe(false);
  });

  it('forget removes the customer from every day and from its bucket, and says when there was nothing', async () => {
    expect(await host.runAction('forget', { customerId: 'wm-wang' })).toEqual({ ok: true, output: { forgotten: true } });
    expect(host.store.has('day:03-15')).toBe(false);
    expect(host.store.get('day:05-20')).toEqual([{ customerId: 'wm-other', staffUserId: 'lisi', occasion: 'birthday' }]);
    expect(host.store.get(bucketKey('wm-wang')) ?? {}).not.toHaveProperty('wm-wang');
    expect(await host.runAction('forget', { customerId: 'wm-wang' })).toEqual({ ok: true, output: { forgotten: false } });
  });

  it("a full store fails store.quota_exceeded; without the store grant it is capability.denied", async () => {
    const full = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`filler:${i}`, 0]));
    const crowded = await createTestHost<PluginTypes>({ plugin, store: full });
    const ungranted = await createTestHost<PluginTypes>({ plugin, grants: ['wecom.app_message.send'] });
    try {
      expect(await crowded.runAction('remember', { customerId: 'wm-1', staffUserId: 'zhangsan', birthday: '01-01' })).toMatchObject({ ok: false, failure: { code: 'store.quota_exceeded', retryable: false } });
      expect(await ungranted.runAction('remember', { customerId: 'wm-1', staffUserId: 'zhangsan', birthday: '01-01' })).toMatchObject({ ok: false, failure: { code: 'capability.denied', retryable: false } });
    } finally {
      await Promise.all([crowded.close(), ungranted.close()]);
    }
  });
});
