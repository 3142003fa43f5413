// The install's store, laid out so that one day's occasions are one read and a customer's are two:
//
//   day:MM-DD        → Entry[]: every occasion remembered on that day of the year (at most 366 keys)
//   customers:XX     → { [customerId]: ["MM-DD", …] }: the days each customer is filed under, in 64 buckets by a hash
//                      of the id (XX is 00–3f), so that remembering again or forgetting finds the old days
//
// The store has no transactions: `remember` and `forget` read, change and write these values, so two of them for
// customers sharing a day or a bucket must not run at the same moment (import with a forEach of concurrency 1).
import type { PluginContext } from '@lianjie/sdk';

export interface Entry {
  customerId: string;
  name?: string | null;
  staffUserId: string;
  occasion: 'birthday' | 'anniversary';
  label?: string;
  /** The anniversary's first year. */
  year?: number;
}

type Store = Pick<PluginContext, 'store'>;

export const dayKey = (md: string) => `day:${md}`;

/** FNV-1a over the UTF-16 code units, into 64 buckets. */
export function bucketKey(customerId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < customerId.length; i++) {
    h ^= customerId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `customers:${(h & 63).toString(16).padStart(2, '0')}`;
}

export async function readDay(ctx: Store, md: string): Promise<Entry[]> {
  const got = await ctx.store.get({ key: dayKey(md) });
  return got.found && Array.isArray(got.value) ? (got.value as Entry[]) : [];
}

async function writeOrDelete(ctx: Store, key: string, value: unknown, empty: boolean): Promise<void> {
  if (empty) await ctx.store.delete({ key });
  else await ctx.store.set({ key, value });
}

/** Each customer's days, as a Map: a customer id such as "__proto__" is a key like any other. */
async function readBucket(ctx: Store, key: string): Promise<Map<string, string[]>> {
  const got = await ctx.store.get({ key });
  const value = got.found && got.value !== null && typeof got.value === 'object' ? (got.value as Record<string, string[]>) : {};
  return new Map(Object.entries(value));
}

/**
 * Files `entries` (all of one customer) under their days, in place of whatever that customer had: days the customer
 * no longer has lose their entries. Answers the customer's previous days, or undefined when there were none.
 */
export async function replaceCustomer(ctx: Store, customerId: string, entries: { md: string; entry: Entry }[]): Promise<string[] | undefined> {
  const bucket = bucketKey(customerId);
  const customers = await readBucket(ctx, bucket);
  const before = customers.get(customerId);
  const after = [...new Set(entries.map((e) => e.md))].sort();
  for (const md of [...new Set([...(before ?? []), ...after])].sort()) {
    const kept = (await readDay(ctx, md)).filter((e) => e.customerId !== customerId);
    const added = entries.filter((e) => e.md === md).map((e) => e.entry);
    const day = [...kept, ...added];
    await writeOrDelete(ctx, dayKey(md), day, day.length === 0);
  }
  if (after.length > 0) customers.set(customerId, after);
  else customers.delete(customerId);
  await writeOrDelete(ctx, bucket, Object.fromEntries(customers), customers.size === 0);
  return before;
}
