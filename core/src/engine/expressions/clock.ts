// $now() and $millis() read the scope's `now`, so that every expression of an evaluation sees one instant and a
// run replayed with its recorded `now` evaluates the same. JSONata's own read a timestamp that each evaluate()
// call of a compiled expression overwrites, which concurrent runs share.
import { guarded } from './builtins.ts';
import { originals, type Builtin, type Focus } from './originals.ts';

/** The bindings that pin $now and $millis to `epochMs` for one evaluation. */
export function clockBindings(epochMs: number): Record<string, Builtin> {
  return {
    now: guarded(originals.now, function now(this: Focus, picture?: string, timezone?: string) {
      return originals.fromMillis.implementation.call(this, epochMs as never, picture as never, timezone as never);
    }),
    millis: guarded(originals.millis, () => epochMs),
  };
}
