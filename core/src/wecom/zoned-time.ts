// Wall-clock arithmetic in a tenant's IANA timezone with Intl only: the start of a local day, week or month, and
// whether a local time of day falls inside a span, as instants in UTC milliseconds.

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

export function localParts(ms: number, timezone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const { type, value } of formatter(timezone).formatToParts(ms)) parts[type] = value;
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour), minute: Number(parts.minute), weekday: weekdays.indexOf(parts.weekday ?? ''),
  };
}

/**
 * The instant the local time `year-month-day hour:minute` happens in `timezone` (months and days may overflow, as
 * Date.UTC's do). In an overlap (clocks turned back) the first of the two; in a gap (clocks turned forward, as at
 * midnight in Havana) the wall time does not exist and the answer is the moment the clocks jump past it.
 */
export function zonedInstant(timezone: string, year: number, month: number, day: number, hour = 0, minute = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The zone's offsets a day either side; one of them holds at the instant, unless the wall time is in a gap.
  const before = wall - offsetAt(wall - 86_400_000, timezone);
  const after = wall - offsetAt(wall + 86_400_000, timezone);
  const valid = [before, after].filter((instant) => wallAt(instant, timezone) === wall);
  // In a gap the offset from before the change lands just after the jump.
  return valid.length > 0 ? Math.min(...valid) : before;
}

/** The local wall time at `ms`, as if it were UTC, to the minute. */
function wallAt(ms: number, timezone: string): number {
  const p = localParts(ms, timezone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
}

function offsetAt(ms: number, timezone: string): number {
  return wallAt(ms, timezone) - Math.floor(ms / 60_000) * 60_000;
}

export function startOfDay(ms: number, timezone: string): number {
  const p = localParts(ms, timezone);
  return zonedInstant(timezone, p.year, p.month, p.day);
}

/** Weeks start on Monday, as calendars in China do. */
export function startOfWeek(ms: number, timezone: string): number {
  const p = localParts(ms, timezone);
  return zonedInstant(timezone, p.year, p.month, p.day - p.weekday);
}

export function startOfMonth(ms: number, timezone: string): number {
  const p = localParts(ms, timezone);
  return zonedInstant(timezone, p.year, p.month, 1);
}

export function nextDay(ms: number, timezone: string): number {
  const p = localParts(ms, timezone);
  return zonedInstant(timezone, p.year, p.month, p.day + 1);
}

export function nextWeek(ms: number, timezone: string): number {
  const p = localParts(ms, timezone);
  return zonedInstant(timezone, p.year, p.month, p.day - p.weekday + 7);
}

export function nextMonth(ms: number, timezone: string): number {
  const p = localParts(ms, timezone);
  return zonedInstant(timezone, p.year, p.month + 1, 1);
}

export function daysInMonth(ms: number, timezone: string): number {
  const p = localParts(ms, timezone);
  return new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
}

/** Minutes since local midnight of "HH:MM". */
export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * When the local span [from, to) that contains `ms` ends, or undefined when `ms` is outside it. A span whose `from`
 * is later than its `to` (22:00–08:00) runs over midnight.
 */
export function spanEnd(ms: number, timezone: string, from: string, to: string): number | undefined {
  const p = localParts(ms, timezone);
  const now = p.hour * 60 + p.minute;
  const start = minutesOf(from);
  const end = minutesOf(to);
  const inside = start <= end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return undefined;
  const endsTomorrow = start > end && now >= start;
  return zonedInstant(timezone, p.year, p.month, p.day + (endsTomorrow ? 1 : 0), Math.floor(end / 60), end % 60);
}
