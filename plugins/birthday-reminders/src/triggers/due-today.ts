import type { TriggerOf } from '@lianjie/sdk';
import { addDays, dayIn, isLeapYear, isoDay, monthDay, type Day } from '../dates.ts';
import type { DueReminder, PluginTypes } from '../plugin-types.ts';
import { readDay } from '../records.ts';

/**
 * The occasions due on the tick's day in the tenant's timezone (daysUntil 0) and `daysAhead` days later, or null when
 * there are none. The day comes from the tick, not from the clock: a tick the host runs late still reminds of its own
 * day. An occasion remembered as 02-29 falls, in a year without that day, on 02-28 or 03-01 (config `leapDay`).
 */
export const dueToday: TriggerOf<PluginTypes, 'due-today'> = async (input, ctx) => {
  const today = dayIn(input.tick, input.timezone);
  const daysAhead = ctx.config.daysAhead ?? 0;
  const offsets = [...new Set([...(ctx.config.remindOnTheDay === false ? [] : [0]), ...(daysAhead > 0 ? [daysAhead] : [])])];
  const reminders: DueReminder[] = [];
  for (const offset of offsets) {
    const target = addDays(today, offset);
    for (const md of daysFallingOn(target, ctx.config.leapDay ?? '02-28')) {
      for (const entry of await readDay(ctx, md)) {
        const years = entry.year !== undefined && target.year > entry.year ? target.year - entry.year : undefined;
        reminders.push({
          customerId: entry.customerId,
          ...(entry.name ? { name: entry.name } : {}),
          staffUserId: entry.staffUserId,
          occasion: entry.occasion,
          ...(entry.label !== undefined ? { label: entry.label } : {}),
          date: md,
          on: isoDay(target),
          daysUntil: offset,
          ...(years !== undefined ? { years } : {}),
        });
      }
    }
  }
  if (reminders.length === 0) return null;
  reminders.sort((a, b) => a.daysUntil - b.daysUntil || cmp(a.staffUserId, b.staffUserId) || cmp(a.customerId, b.customerId) || cmp(a.occasion, b.occasion) || cmp(a.label ?? '', b.label ?? ''));
  return { date: isoDay(today), timezone: input.timezone, reminders };
};

/** The remembered days celebrated on `d`: its own, and 02-29 on the leap-day stand-in of a common year. */
export function daysFallingOn(d: Day, leapDay: '02-28' | '03-01'): string[] {
  const md = monthDay(d);
  return !isLeapYear(d.year) && md === leapDay ? [md, '02-29'] : [md];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
