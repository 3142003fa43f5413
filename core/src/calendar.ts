// Dates as people write them: Date.parse rolls a day the month does not have over into the next month
// (2026-02-30 becomes March 2) instead of refusing it.

/** True when YYYY-MM-DD names a day that exists: parsed and printed again, it comes back unchanged. */
export function isCalendarDate(date: string): boolean {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === date;
}
