// The installs a host serves change at run time (the admin API, suite authorisations), so the engine asks for the
// current list each time and this keeps what it derives from one list until the list is replaced.

/** Where the engine finds the installs of every tenant it serves: the current list, replaced whole on every change. */
export type InstallSource<T> = () => readonly T[];

/** `derive` applied to the source's current list, recomputed only when the source hands out another list. */
export function derivedFrom<T, D>(source: InstallSource<T>, derive: (installs: readonly T[]) => D): () => D {
  let from: readonly T[] | undefined;
  let value: D;
  return () => {
    const current = source();
    if (current !== from) {
      value = derive(current);
      from = current;
    }
    return value;
  };
}
