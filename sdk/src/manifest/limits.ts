// Resource limits a plugin.json asks for: the defaults it starts from, the maxima a host allows unless its operator
// configures others (sandbox.maxima), and the manifest's problems against both.
import type { SchemaProblem } from '../schema-details.ts';
import { field, items } from './embedded-schemas.ts';

export interface Limits {
  memoryMb: number;
  timeoutMs: number;
  cpuMs: number;
  outputKb: number;
}

/** DESIGN.md §4: 32 MB heap, 2 s wall time, 100 ms CPU; output capped at 256 KB. */
export const defaultLimits: Limits = { memoryMb: 32, timeoutMs: 2000, cpuMs: 100, outputKb: 256 };

/** What a host allows a manifest to ask for unless its config says otherwise. */
export const defaultMaxima: Limits = { memoryMb: 256, timeoutMs: 30_000, cpuMs: 10_000, outputKb: 4096 };

const keys = Object.keys(defaultLimits) as (keyof Limits)[];

/** The defaults with what the manifest asks for in their place, whether or not a host allows that much. */
export function askedLimits(manifest: unknown): Limits {
  const limits = { ...defaultLimits };
  for (const key of keys) {
    const value = field(field(manifest, 'limits'), key);
    if (typeof value === 'number') limits[key] = value;
  }
  return limits;
}

/**
 * A limit above `maxima` (the host cannot honour it, so refuses it rather than cut it down silently), and an
 * action's `timeoutMs` above the plugin's wall time. `allowedBy` names whose maxima they are in the message.
 * Reads `manifest` defensively, so it also runs on one that failed its schema.
 */
export function limitProblems(manifest: unknown, maxima: Limits, allowedBy = 'this host'): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const limits = askedLimits(manifest);
  for (const key of keys) {
    if (limits[key] > maxima[key]) problems.push({ pointer: `/limits/${key}`, message: `asks for ${limits[key]}; ${allowedBy} allows at most ${maxima[key]}` });
  }
  items(manifest, 'actions').forEach((action, i) => {
    const timeoutMs = field(action, 'timeoutMs');
    if (typeof timeoutMs === 'number' && timeoutMs > limits.timeoutMs) {
      problems.push({ pointer: `/actions/${i}/timeoutMs`, message: `must not exceed the plugin's timeoutMs (${limits.timeoutMs})` });
    }
  });
  return problems;
}
