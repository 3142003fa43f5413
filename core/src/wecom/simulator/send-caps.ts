// The mass-send receipt cap per customer or customer group (add_msg_template, doc 92135, REFERENCE.md §4.3).
//
// Current rule: "每位客户/每个客户群每月最多可接收条数为当月天数" (as many per natural month as the month has days); the admin can
// tighten it to 7 per week or 1 per day. Older docs said 4 per natural month, so the period and the maximum are options.
// Periods are natural ones in China Standard Time (UTC+8), where WeCom's enterprises live; weeks start on Monday.

export interface SendCapOptions {
  period?: 'day' | 'week' | 'month';
  /** Defaults: the month's days for 'month', 7 for 'week', 1 for 'day'. */
  max?: number;
}

const dayMs = 86_400_000;
const cstOffsetMs = 8 * 3_600_000;

export interface SendCap {
  /** Which period a simulator time falls in; receipts with the same key share one allowance. */
  periodKey(time: number): string;
  /** The allowance for the period containing `time`. */
  max(time: number): number;
}

export function createSendCap(options: SendCapOptions = {}): SendCap {
  const period = options.period ?? 'month';
  return {
    periodKey(time) {
      const local = time + cstOffsetMs;
      const day = Math.floor(local / dayMs);
      if (period === 'day') return `d${day}`;
      // 1970-01-01 was a Thursday; shifting by 3 days makes each key start on a Monday.
      if (period === 'week') return `w${Math.floor((day + 3) / 7)}`;
      const date = new Date(local);
      return `m${date.getUTCFullYear()}-${date.getUTCMonth() + 1}`;
    },
    max(time) {
      if (options.max !== undefined) return options.max;
      if (period === 'day') return 1;
      if (period === 'week') return 7;
      const date = new Date(time + cstOffsetMs);
      return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    },
  };
}

/** How many receipts fall in the same period as `time`. */
export function receivedInPeriod(cap: SendCap, receipts: readonly number[], time: number): number {
  const key = cap.periodKey(time);
  return receipts.filter((t) => cap.periodKey(t) === key).length;
}
