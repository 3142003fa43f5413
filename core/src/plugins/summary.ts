// Error details folded into the one-line message of a LianjieError.
import type { ErrorDetail } from '../errors.ts';

/** `/a is required; /b must be string; and 3 more`: the first few details, so the line stays short. */
export function summarize(details: readonly ErrorDetail[], max = 3): string {
  const shown = details.slice(0, max).map((d) => `${d.pointer} ${d.message}`);
  if (details.length > max) shown.push(`and ${details.length - max} more`);
  return shown.join('; ');
}
