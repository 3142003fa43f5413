// A plugin's declared `engine` range checked against the engine this host runs (sdk/src/manifest/engine.ts, which
// lianjie-plugin validate checks against too), as the host's engine.incompatible error.
import { LianjieError } from '../errors.ts';
import { engineMessages, engineMismatch, engineVersion } from '../../../sdk/src/manifest/engine.ts';

export { engineVersion };

/** Throws engine.incompatible at /engine when `range` is not a semver range or does not include `engineVersion`. */
export function checkEngine(range: string): void {
  const mismatch = engineMismatch(range);
  if (mismatch === undefined) return;
  const message = mismatch === 'not_a_range' ? `engine "${range}" is not a semver range such as ^1` : `the plugin needs engine ${range}; this host runs engine ${engineVersion}`;
  throw new LianjieError('engine.incompatible', message, [{ pointer: '/engine', message: engineMessages[mismatch] }]);
}
