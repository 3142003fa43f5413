// The plugin engine API version (handlers, ctx, capabilities) this SDK builds for and a host of this version runs,
// and whether a plugin.json's `engine` range includes it.
import semver from 'semver';
import type { SchemaProblem } from '../schema-details.ts';
import { field } from './embedded-schemas.ts';

/** Not the SDK's or the host's package version: both move without changing what a plugin may rely on. */
export const engineVersion = '1.0.0';

/** Why `range` cannot run on `engineVersion`, or undefined when it can. */
export function engineMismatch(range: string): 'not_a_range' | 'excludes' | undefined {
  // validRange('') is '*'; an empty range is the schema's to refuse (minLength), not a wildcard.
  if (range.trim() === '' || semver.validRange(range) === null) return 'not_a_range';
  return semver.satisfies(engineVersion, range) ? undefined : 'excludes';
}

export const engineMessages = {
  not_a_range: 'is not a semver range such as ^1',
  excludes: `does not include engine ${engineVersion}`,
} as const;

/** The problem at /engine, if any; an `engine` that is not a string is the manifest schema's to report. */
export function engineProblems(manifest: unknown): SchemaProblem[] {
  const range = field(manifest, 'engine');
  const mismatch = typeof range === 'string' ? engineMismatch(range) : undefined;
  return mismatch ? [{ pointer: '/engine', message: engineMessages[mismatch] }] : [];
}
