import type { ActionOf } from '@lianjie/sdk';
import { isCalendarMonthDay, refuse } from '../dates.ts';
import type { PluginTypes } from '../plugin-types.ts';
import { replaceCustomer, type Entry } from '../records.ts';

/**
 * Files the customer's birthday and anniversaries under their days of the year, replacing what was remembered for
 * this customer before (so running it again with the same input changes nothing). 02-29 is kept as 02-29; the
 * due-today trigger decides which day it falls on in other years.
 */
export const remember: ActionOf<PluginTypes, 'remember'> = async (input, ctx) => {
  const base = { customerId: input.customerId, staffUserId: input.staffUserId, ...(input.name ? { name: input.name } : {}) };
  const entries: { md: string; entry: Entry }[] = [];
  if (input.birthday) entries.push({ md: input.birthday, entry: { ...base, occasion: 'birthday' } });
  for (const a of input.anniversaries ?? []) {
    entries.push({ md: a.date, entry: { ...base, occasion: 'anniversary', label: a.label, ...(a.year !== undefined ? { year: a.year } : {}) } });
  }
  if (entries.length === 0) refuse('nothing_to_remember', 'give a birthday or at least one anniversary (use forget to remove a customer)');
  const impossible = entries.find((e) => !isCalendarMonthDay(e.md));
  if (impossible) refuse('invalid_date', `${impossible.md} is not a day of the year`);
  const before = await replaceCustomer(ctx, input.customerId, entries);
  return { customerId: input.customerId, dates: [...new Set(entries.map((e) => e.md))].sort(), replaced: before !== undefined };
};
