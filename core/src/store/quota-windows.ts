// The contact quota's arithmetic over one customer's recorded sends, shared by both dialects' stores.
import type { QuotaVerdict, QuotaWindow } from './types.ts';

/** The earliest `since`, or null with no windows (then only the key is looked up). */
export function oldest(windows: readonly QuotaWindow[]): number | null {
  return windows.length === 0 ? null : Math.min(...windows.map((w) => w.since));
}

/** The first window, in the given order, that the recorded sends already fill. */
export function firstFull(sentAt: readonly number[], windows: readonly QuotaWindow[]): QuotaVerdict | undefined {
  for (const w of windows) {
    const count = sentAt.filter((t) => t >= w.since).length;
    if (count >= w.limit) return { ok: false, window: w.name, count, limit: w.limit };
  }
  return undefined;
}
