// Calendar days without a time of day: a day is { year, month, day } on the proleptic Gregorian calendar, and
// arithmetic runs on Date's UTC fields, which have no daylight saving. Only turning the tick into the tenant's day
// needs a timezone, and Intl (which the sandbox has, with its IANA data) does that.

export interface Day {
  year: number;
  month: number;
  day: number;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `MM-DD`. */
export const monthDay = (d: Pick<Day, 'month' | 'day'>): string => `${two(d.month)}-${two(d.day)}`;

/** `YYYY-MM-DD`. */
export const isoDay = (d: Day): string => `${String(d.year).padStart(4, '0')}-${monthDay(d)}`;

export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const monthLengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether `MM-DD` (already of the right shape) is a day some year has: 02-29 is, 02-30 and 04-31 are not. */
export function isCalendarMonthDay(text: string): boolean {
  const month = Number(text.slice(0, 2));
  const day = Number(text.slice(3, 5));
  return month >= 1 && month <= 12 && day >= 1 && day <= monthLengths[month - 1]!;
}

/** The day `n` days after `d`. */
export function addDays(d: Day, n: number): Day {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** A failure the plugin reports: `plugin.<code>`, not retryable. */
export function refuse(code: string, message: string): never {
  throw { code, message };
}

/**
 * The day `tick` (an instant) falls on in `timezone` (an IANA name): 2026-02-28T16:30:00Z is 2026-03-01 in
 * Asia/Shanghai (UTC+8) and still 2026-02-28 in America/Los_Angeles.
 */
export function dayIn(tick: string, timezone: string): Day {
  const instant = new Date(tick);
  if (Number.isNaN(instant.getTime())) refuse('invalid_tick', `the tick "${tick}" is not a timestamp`);
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(instant);
  } catch {
    return refuse('invalid_timezone', `"${timezone}" is not an IANA timezone this host knows`);
  }
  const field = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const day = { year: field('year'), month: field('month'), day: field('day') };
  if (![day.year, day.month, day.day].every(Number.isInteger)) refuse('invalid_timezone', `could not read the day of ${tick} in "${timezone}"`);
  return day;
}
