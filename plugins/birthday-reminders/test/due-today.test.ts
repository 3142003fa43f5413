import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '@lianjie/sdk/testing';
import type { PluginTypes } from '../src/plugin-types.ts';

const plugin = new URL('..', import.meta.url).pathname;

// The store as `remember` leaves it (day:MM-DD → entries); remember.test.ts checks that layout.
const store = {
  'day:03-14': [{ customerId: 'wm-wang', name: '王女士', staffUserId: 'zhangsan', occasion: 'birthday' }],
  'day:03-15': [{ customerId: 'wm-li', staffUserId: 'lisi', occasion: 'anniversary', label: '结婚纪念日', year: 2016 }],
  'day:02-28': [{ customerId: 'wm-feb28', staffUserId: 'zhangsan', occasion: 'birthday' }],
  'day:02-29': [{ customerId: 'wm-leap', name: '闰日', staffUserId: 'zhangsan', occasion: 'birthday' }],
  'day:03-01': [{ customerId: 'wm-mar1', staffUserId: 'lisi', occasion: 'birthday' }],
  'day:01-02': [{ customerId: 'wm-newyear', staffUserId: 'lisi', occasion: 'anniversary', label: '首次购买', year: 2020 }],
};

describe('lianjie.birthday-reminders: due-today', () => {
  let host: TestHost<PluginTypes>;
  let ahead: TestHost<PluginTypes>;
  let march: TestHost<PluginTypes>;
  beforeAll(async () => {
    [host, ahead, march] = await Promise.all([
      createTestHost<PluginTypes>({ plugin, store }),
      createTestHost<PluginTypes>({ plugin, store, config: { daysAhead: 3 } }),
      createTestHost<PluginTypes>({ plugin, store, config: { leapDay: '03-01' } }),
    ]);
  });
  afterAll(() => Promise.all([host.close(), ahead.close(), march.close()]));

  it("takes the day from the tick in the tenant's timezone, not in UTC", async () => {
    // 09:00 on 14 March in Shanghai is 01:00 UTC the same day; a midnight cron there ticks at 16:00 UTC the day before.
    const nine = await host.runTrigger('due-today', { tick: '2026-03-14T01:00:00.000Z', timezone: 'Asia/Shanghai' });
    expect(nine).toEqual({
      ok: true,
      output: {
        date: '2026-03-14', timezone: 'Asia/Shanghai',
        reminders: [{ customerId: 'wm-wang', name: '王女士', staffUserId: 'zhangsan', occasion: 'birthday', date: '03-14', on: '2026-03-14', daysUntil: 0 }],
      },
    });
    const midnight = await host.runTrigger('due-today', { tick: '2026-03-13T16:00:00.000Z', timezone: 'Asia/Shanghai' });
    expect(midnight.ok && midnight.output?.date).toBe('2026-03-14');
    // 09:00 on 13 March in Los Angeles (PST, UTC-8) is 17:00 UTC; 18:30 there on 14 March is 01:30 UTC on the 15th.
    const la = await host.runTrigger('due-today', { tick: '2026-03-15T01:30:00.000Z', timezone: 'America/Los_Angeles' });
    expect(la.ok && la.output?.date).toBe('2026-03-14');
    expect(la.ok && la.output?.reminders.map((r) => r.customerId)).toEqual(['wm-wang']);
    // After the spring change (PDT, UTC-7): 09:00 on 15 March is 16:00 UTC.
    const pdt = await host.runTrigger('due-today', { tick: '2026-03-15T16:00:00.000Z', timezone: 'America/Los_Angeles' });
    expect(pdt.ok && pdt.output?.reminders).toEqual([{ customerId: 'wm-li', staffUserId: 'lisi', occasion: 'anniversary', label: '结婚纪念日', date: '03-15', on: '2026-03-15', daysUntil: 0, years: 10 }]);
    // Across the date line: 09:00 on 14 March at UTC+14 is still 13 March in UTC.
    const kiritimati = await host.runTrigger('due-today', { tick: '2026-03-13T19:00:00.000Z', timezone: 'Pacific/Kiritimati' });
    expect(kiritimati.ok && kiritimati.output?.date).toBe('2026-03-14');
  });

  it('answers null when nothing is due', async () => {
    expect(await host.runTrigger('due-today', { tick: '2026-06-01T01:00:00.000Z', timezone: 'Asia/Shanghai' })).toEqual({ ok: true, output: null });
  });

  it('02-29 falls on 02-28 in a common year (the default), with the remembered date kept', async () => {
    const result = await host.runTrigger('due-today', { tick: '2027-02-28T01:00:00.000Z', timezone: 'Asia/Shanghai' });
    expect(result.ok && result.output?.reminders).toEqual([
      { customerId: 'wm-feb28', staffUserId: 'zhangsan', occasion: 'birthday', date: '02-28', on: '2027-02-28', daysUntil: 0 },
      { customerId: 'wm-leap', name: '闰日', staffUserId: 'zhangsan', occasion: 'birthday', date: '02-29', on: '2027-02-28', daysUntil: 0 },
    ]);
    // Not again on 03-01.
    const march1 = await host.runTrigger('due-today', { tick: '2027-03-01T01:00:00.000Z', timezone: 'Asia/Shanghai' });
    expect(march1.ok && march1.output?.reminders.map((r) => r.customerId)).toEqual(['wm-mar1']);
  });

  it('in a leap year 02-29 is its own day, and 02-28 is only 02-28 (2100 is not a leap year, 2000 was)', async () => {
    const feb28 = await host.runTrigger('due-today', { tick: '2028-02-28T01:00:00.000Z', timezone: 'Asia/Shanghai' });
    expect(feb28.ok && feb28.output?.reminders.map((r) => r.customerId)).toEqual(['wm-feb28']);
    const feb29 = await host.runTrigger('due-today', { tick: '2028-02-29T01:00:00.000Z', timezone: 'Asia/Shanghai' });
    expect(feb29.ok && feb29.output?.reminders).toEqual([{ customerId: 'wm-leap', name: '闰日', staffUserId: 'zhangsan', occasion: 'birthday', date: '02-29', on: '2028-02-29', daysUntil: 0 }]);
    const y2100 = await host.runTrigger('due-today', { tick: '2100-02-28T01:00:00.000Z', timezone: 'Asia/Shanghai' });
    expect(y2100.ok && y2100.output?.reminders.map((r) => r.customerId)).toEqual(['wm-feb28', 'wm-leap']);
    const y2000 = await host.runTrigger('due-today', { tick: '2000-02-28T01:00:00.000Z', timezone: 'Asia/Shanghai' });
    expect(y2000.ok && y2000.output?.reminders.map((r) => r.customerId)).toEqual(['wm-feb28']);
  });

  it('with leapDay "03-01", 02-29 falls on 03-01 in a common year', async () => {
    const feb28 = await march.runTrigger('due-today', { tick: '2027-02-28T01:00:00.000Z', timezone: 'Asia/Shanghai' });
    expect(feb28.ok && feb28.output?.reminders.map((r) => r.customerId)).toEqual(['wm-feb28']);
    const mar1 = await march.runTrigger('due-today', { tick: '2027-03-01T01:00:00.000Z', timezone: 'Asia/Shanghai' });
    expect(mar1.ok && mar1.output?.reminders.map((r) => [r.customerId, r.date, r.on])).toEqual([['wm-mar1', '03-01', '2027-03-01'], ['wm-leap', '02-29', '2027-03-01']]);
  });

  it('daysAhead reminds on the day and that many days before, across the year end and onto a moved 02-29', async () => {
    const result = await ahead.runTrigger('due-today', { tick: '2026-03-11T01:00:00.000Z', timezone: 'Asia/Shanghai' });
    expect(result.ok && result.output?.reminders).toEqual([{ customerId: 'wm-wang', name: '王女士', staffUserId: 'zhangsan', occasion: 'birthday', date: '03-14', on: '2026-03-14', daysUntil: 3 }]);
    const both = await ahead.runTrigger('due-today', { tick: '2026-03-12T01:00:00.000Z', timezone: 'Asia/Shanghai' });
    expect(both.ok && both.output?.reminders.map((r) => [r.customerId, r.daysUntil])).toEqual([['wm-li', 3]]);
    const onTheDay = await ahead.runTrigger('due-today', { tick: '2026-03-14T01:00:00.000Z', timezone: 'Asia/Shanghai' });
    expect(onTheDay.ok && onTheDay.output?.reminders.map((r) => [r.customerId, r.daysUntil])).toEqual([['wm-wang', 0]]);
    // 30 December 2026 + 3 days is 2 January 2027: the anniversary's years count from 2027.
    const newYear = await ahead.runTrigger('due-today', { tick: '2026-12-30T01:00:00.000Z', timezone: 'Asia/Shanghai' });
    expect(newYear.ok && newYear.output?.reminders).toEqual([{ customerId: 'wm-newyear', staffUserId: 'lisi', occasion: 'anniversary', label: '首次购买', date: '01-02', on: '2027-01-02', daysUntil: 3, years: 7 }]);
    // 25 February 2027 + 3 is 28 February, where 02-29 falls that year.
    const leap = await ahead.runTrigger('due-today', { tick: '2027-02-25T01:00:00.000Z', timezone: 'Asia/Shanghai' });
    expect(leap.ok && leap.output?.reminders.map((r) => [r.customerId, r.on, r.daysUntil])).toEqual([['wm-feb28', '2027-02-28', 3], ['wm-leap', '2027-02-28', 3]]);
  });

  it('an unknown timezone or a tick that is no time fails with a plugin code', async () => {
    expect(await host.runTrigger('due-today', { tick: '2026-03-14T01:00:00.000Z', timezone: 'Mars/Olympus_Mons' })).toMatchObject({ ok: false, failure: { code: 'plugin.invalid_timezone', retryable: false } });
    expect(await host.runTrigger('due-today', { tick: 'yesterday', timezone: 'Asia/Shanghai' })).toMatchObject({ ok: false, failure: { code: 'plugin.invalid_tick', retryable: false } });
  });
});
