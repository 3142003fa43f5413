// Reading request fields the lenient way WeCom does: a wrong type counts as absent, numbers may arrive as strings.

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

export function strList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const s = str(item);
    return s === undefined ? [] : [s];
  });
}

export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Length in characters as WeCom counts them ("最多20个字符"): code points, so a Chinese character is one. */
export function chars(value: string): number {
  return [...value].length;
}

/** A page of `items` from an opaque cursor (the offset, as WeCom's cursors are opaque strings). */
export function page<T>(items: readonly T[], cursor: unknown, limit: number): { items: T[]; nextCursor: string } {
  const start = Math.max(0, Number.parseInt(str(cursor) ?? '0', 10) || 0);
  const end = start + limit;
  return { items: items.slice(start, end), nextCursor: end < items.length ? String(end) : '' };
}
