// The host's plugin engine API version, and the check that a plugin's declared `engine` range includes it.
import semver from 'semver';
import { LianjieError } from '../errors.ts';

/** The version of the API plugins run against (handlers, ctx, capabilities), not the host package's version. */
export const engineVersion = '1.0.0';

/** Throws engine.incompatible at /engine when `range` is not a semver range or does not include `engineVersion`. */
export function checkEngine(range: string): void {
  // validRange('') is '*'; an empty range is the schema's to refuse (minLength), not a wildcard.
  if (range.trim() === '' || semver.validRange(range) === null) {
    throw new LianjieError('engine.incompatible', `engine "${range}" is not a semver range such as ^1`, [
      { pointer: '/engine', message: 'is not a semver range such as ^1' },
    ]);
  }
  if (!semver.satisfies(engineVersion, range)) {
    throw new LianjieError('engine.incompatible', `the plugin needs engine ${range}; this host runs engine ${engineVersion}`, [
      { pointer: '/engine', message: `does not include this host's engine ${engineVersion}` },
    ]);
  }
}
