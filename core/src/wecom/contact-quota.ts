// The tenant's contact quota as rules: which windows a message to one customer counts in, their limits (REFERENCE.md
// §4.3: by default as many per natural month as the month has days), quiet hours, and when a refused send may go.
import type { QuotaWindow } from '../store/types.ts';
import { daysInMonth, nextDay, nextMonth, nextWeek, spanEnd, startOfDay, startOfMonth, startOfWeek } from './zoned-time.ts';

export interface ContactQuotaPolicy {
  perDay?: number;
  perWeek?: number;
  /** A number, or WeCom's rule: as many as the month has days. */
  perMonth?: number | 'days-in-month';
  /** Local times "HH:MM" in the tenant's timezone; a span over midnight (22:00–08:00) is allowed. */
  quietHours?: { from: string; to: string };
}

export const defaultContactQuota: ContactQuotaPolicy = { perMonth: 'days-in-month' };

export type QuotaDecision = { ok: true; windows: QuotaWindow[] } | { ok: false; reason: string; retryAt: number };

/** Whether a message may go now (quiet hours), and the windows it must fit in. */
export function quotaWindows(policy: ContactQuotaPolicy, timezone: string, now: number): QuotaDecision {
  if (policy.quietHours) {
    const end = spanEnd(now, timezone, policy.quietHours.from, policy.quietHours.to);
    if (end !== undefined) return { ok: false, reason: `quiet hours (${policy.quietHours.from}–${policy.quietHours.to}, ${timezone})`, retryAt: end };
  }
  // Longest first: the store names the first full window, and the longest full one is the one that opens last, so
  // a retry at its opening is not refused again by another.
  const windows: QuotaWindow[] = [];
  if (policy.perMonth !== undefined) {
    const limit = policy.perMonth === 'days-in-month' ? daysInMonth(now, timezone) : policy.perMonth;
    windows.push({ name: 'month', since: startOfMonth(now, timezone), limit });
  }
  if (policy.perWeek !== undefined) windows.push({ name: 'week', since: startOfWeek(now, timezone), limit: policy.perWeek });
  if (policy.perDay !== undefined) windows.push({ name: 'day', since: startOfDay(now, timezone), limit: policy.perDay });
  return { ok: true, windows };
}

/** When the window a refused send hit opens again: the next local day, week or month. */
export function windowOpens(window: string, timezone: string, now: number): number {
  if (window === 'day') return nextDay(now, timezone);
  if (window === 'week') return nextWeek(now, timezone);
  return nextMonth(now, timezone);
}
