import { describe, expect, it } from 'vitest';
import { quotaWindows, windowOpens } from './contact-quota.ts';
import { spanEnd, startOfWeek } from './zoned-time.ts';

const tz = 'Asia/Shanghai';
// 2026-02-11 15:30 in Shanghai (UTC+8), a Wednesday.
const now = Date.parse('2026-02-11T07:30:00Z');

describe('contact quota windows in the tenant timezone', () => {
  it('by default, as many per natural month as the month has days (WeCom\'s rule)', () => {
    const decision = quotaWindows({ perMonth: 'days-in-month' }, tz, now);
    expect(decision).toEqual({ ok: true, windows: [{ name: 'month', since: Date.parse('2026-01-31T16:00:00Z'), limit: 28 }] });
  });

  it('day, week (from Monday) and month start at local midnight', () => {
    const decision = quotaWindows({ perDay: 1, perWeek: 7, perMonth: 4 }, tz, now);
    expect(decision.ok && decision.windows).toEqual([
      { name: 'day', since: Date.parse('2026-02-10T16:00:00Z'), limit: 1 },
      { name: 'week', since: Date.parse('2026-02-08T16:00:00Z'), limit: 7 },
      { name: 'month', since: Date.parse('2026-01-31T16:00:00Z'), limit: 4 },
    ]);
  });

  it('a refused send may go when its window opens', () => {
    expect(new Date(windowOpens('day', tz, now)).toISOString()).toBe('2026-02-11T16:00:00.000Z');
    expect(new Date(windowOpens('week', tz, now)).toISOString()).toBe('2026-02-15T16:00:00.000Z');
    expect(new Date(windowOpens('month', tz, now)).toISOString()).toBe('2026-02-28T16:00:00.000Z');
  });

  it('quiet hours over midnight refuse until they end, in local time', () => {
    const quiet = { quietHours: { from: '22:00', to: '08:00' } };
    const late = Date.parse('2026-02-11T15:00:00Z'); // 23:00 local
    expect(quotaWindows(quiet, tz, late)).toMatchObject({ ok: false, retryAt: Date.parse('2026-02-12T00:00:00Z') });
    const early = Date.parse('2026-02-11T23:59:00Z'); // 07:59 local, the next day
    expect(quotaWindows(quiet, tz, early)).toMatchObject({ ok: false, retryAt: Date.parse('2026-02-12T00:00:00Z') });
    expect(quotaWindows(quiet, tz, now).ok).toBe(true);
  });

  it('works across a daylight-saving change', () => {
    // 2026-03-08 is the US spring-forward day; the week that contains it starts Monday 2026-03-02 at local midnight (EST).
    expect(new Date(startOfWeek(Date.parse('2026-03-09T12:00:00Z'), 'America/New_York')).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(new Date(startOfWeek(Date.parse('2026-03-07T12:00:00Z'), 'America/New_York')).toISOString()).toBe('2026-03-02T05:00:00.000Z');
    expect(spanEnd(Date.parse('2026-03-08T06:30:00Z'), 'America/New_York', '00:00', '09:00')).toBe(Date.parse('2026-03-08T13:00:00Z'));
  });
});
