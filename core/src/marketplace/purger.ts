// Deletes what has outlived its retention: disabled tenants past their purgeAfter (a suite's cancel_auth asks for
// this) and uninstalled installs past their retainUntil, with everything the host kept under them. Hourly, in every
// host process; the store lets two processes purging at once split the work.
import type { Catalog } from '../catalog/catalog.ts';
import type { Logger } from '../ops/logger.ts';
import type { Store } from '../store/types.ts';

const everyMs = 3_600_000;

export function createPurger(deps: { store: Store; catalog: Catalog; logger: Pick<Logger, 'info' | 'error'>; now?: () => number }) {
  const now = deps.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;

  async function purgeDue(): Promise<{ tenants: string[]; installs: string[] }> {
    const tenants = await deps.store.tenants().purgeDue(now());
    const installs = await deps.store.installs().purgeDue(now());
    if (tenants.length > 0 || installs.length > 0) {
      deps.logger.info({ tenants, installs }, 'purged data past its retention');
      await deps.catalog.changed();
    }
    return { tenants, installs };
  }

  return {
    purgeDue,
    start() {
      const tick = () => {
        timer = setTimeout(() => void purgeDue().catch((error: unknown) => deps.logger.error({ err: error }, 'purging failed; it is tried again in an hour')).finally(() => timer && tick()), everyMs);
        timer.unref();
      };
      tick();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
