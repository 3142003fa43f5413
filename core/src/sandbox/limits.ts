// Resource limits of one invocation: defaults, what the manifest asks for, and the operator's maxima.
import { LianjieError, type ErrorDetail } from '../errors.ts';
import type { PluginManifest } from '../generated/plugin-manifest.ts';

export interface Limits {
  memoryMb: number;
  timeoutMs: number;
  cpuMs: number;
  outputKb: number;
}

/** DESIGN.md §4: 32 MB heap, 2 s wall time, 100 ms CPU; output capped at 256 KB. */
export const defaultLimits: Limits = { memoryMb: 32, timeoutMs: 2000, cpuMs: 100, outputKb: 256 };

/** What an operator allows a manifest to ask for unless the host config says otherwise. */
export const defaultMaxima: Limits = { memoryMb: 256, timeoutMs: 30_000, cpuMs: 10_000, outputKb: 4096 };

/**
 * The plugin's limits; an action's own `timeoutMs` narrows the wall time. A manifest asking for more than
 * the operator allows cannot be honoured, so it is refused rather than silently cut down.
 */
export function resolveLimits(manifest: PluginManifest, maxima: Limits): Limits {
  const asked = manifest.limits ?? {};
  const details: ErrorDetail[] = [];
  const limits = { ...defaultLimits };
  for (const key of Object.keys(defaultLimits) as (keyof Limits)[]) {
    const value = asked[key];
    if (value === undefined) continue;
    if (value > maxima[key]) details.push({ pointer: `/limits/${key}`, message: `asks for ${value}; this host allows at most ${maxima[key]}` });
    limits[key] = value;
  }
  for (const [i, action] of manifest.actions.entries()) {
    if (action.timeoutMs !== undefined && action.timeoutMs > limits.timeoutMs) {
      details.push({ pointer: `/actions/${i}/timeoutMs`, message: `must not exceed the plugin's timeoutMs (${limits.timeoutMs})` });
    }
  }
  if (details.length) {
    throw new LianjieError('manifest.invalid', `plugin ${manifest.id}@${manifest.version} asks for more than this host allows: ${details[0]!.pointer} ${details[0]!.message}`, details);
  }
  return limits;
}
