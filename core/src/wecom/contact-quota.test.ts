import { describe, expect, it } from 'vitest';
import { quotaWindows, windowOpens } from './contact-quota.ts';
import { localParts, nextDay, spanEnd, startOfDay, startOfWeek } from './zoned-time.ts';

const tz = 'Asia/Shanghai';
// 2026-02-11 15:30 in Shanghai (UTC+8), a Wednesday.
const now = Date.parse('2026-02-11T07:30:00Z');

describe('contact quota windows in the tenant timezone', () => {
  it('by default, as many per natural month as the month has days (WeCom\'s rule)', () => {
    const decision = quotaWindows({ perMonth: 'days-in-month' }, tz, now);
    expect(decision).toEqual({ ok: true, windows: [{ name: 'month', since: Date.parse('2026-01-31T16:00:00Z'), limit: 28 }] });
  });

  it('month, week (from Monday) and day start at local midnight', () => {
    const decision = quotaWindows({ perDay: 1, perWeek: 7, perMonth: 4 }, tz, now);
    // Longest first, so that the full window the store names is the one that opens last.
    expect(decision.ok && decision.windows).toEqual([
      { name: 'month', since: Date.parse('2026-01-31T16:00:00Z'), limit: 4 },
      { name: 'week', since: Date.parse('2026-02-08T16:00:00Z'), limit: 7 },
      { name: 'day', since: Date.parse('2026-02-10T16:00:00Z'), limit: 1 },
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

  it('a day that starts inside a clock change (Havana turns midnight into 01:00) starts when the clocks jump', () => {
    const havana = 'America/Havana';
    const lateOnTheSeventh = Date.parse('2026-03-08T04:30:00Z'); // 23:30 on March 7, standard time
    const next = nextDay(lateOnTheSeventh, havana);
    expect(next).toBeGreaterThan(lateOnTheSeventh);
    expect(localParts(next, havana)).toMatchObject({ day: 8, hour: 1, minute: 0 });
    expect(localParts(next - 60_000, havana)).toMatchObject({ day: 7, hour: 23, minute: 59 });
    expect(startOfDay(next + 3_600_000, havana)).toBe(next);
    // Quiet hours ending at 02:30 on a US spring-forward night end after the jump, never before now.
    const ny = 'America/New_York';
    const at = Date.parse('2026-03-08T06:59:00Z'); // 01:59 EST
    expect(spanEnd(at, ny, '00:00', '02:30')).toBe(Date.parse('2026-03-08T07:30:00Z')); // 03:30 EDT, the first moment past 02:30
  });

  it('works across a daylight-saving change', () => {
    // 2026-03-08 is the US spring-forward day; the week that contains it starts Monday 2026-03-02 at local midnight (EST).
    expect(new Date(startOfWeek(Date.parse('2026-03-09T12:00:00Z'), 'America/New_York')).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(new Date(startOfWeek(Date.parse('2026-03-07T12:00:00Z'), 'America/New_York')).toISOString()).toBe('2026-03-02T05:00:00.000Z');
    expect(spanEnd(Date.parse('2026-03-08T06:30:00Z'), 'America/New_York', '00:00', '09:00')).toBe(Date.parse('2026-03-08T13:00:00Z'));
  });
});
