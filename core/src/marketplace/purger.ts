// Hourly housekeeping, in every host process, the first round shortly after the start (a host restarted more often
// than hourly still does it): what has outlived its retention is deleted (disabled tenants past their purgeAfter, as a
// suite's cancel_auth asks; uninstalled installs past their retainUntil), with everything the host kept under them;
// and installs are moved to the versions approved for them that they have not moved to yet. The store lets two
// processes doing this at once split the work.
import type { Catalog } from '../catalog/catalog.ts';
import type { Logger } from '../ops/logger.ts';
import type { Store } from '../store/types.ts';

const everyMs = 3_600_000;
const firstMs = 10_000;

export interface PurgerDeps {
  store: Store;
  catalog: Catalog;
  /** Moves installs to the approved versions due to them (install-admin.ts catchUp). */
  catchUp(): Promise<unknown>;
  logger: Pick<Logger, 'info' | 'error'>;
  now?: () => number;
}

export function createPurger(deps: PurgerDeps) {
  const now = deps.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function purgeDue(): Promise<{ tenants: string[]; installs: string[] }> {
    const tenants = await deps.store.tenants().purgeDue(now());
    const installs = await deps.store.installs().purgeDue(now());
    if (tenants.length > 0 || installs.length > 0) {
      deps.logger.info({ tenants, installs }, 'purged data past its retention');
      await deps.catalog.changed();
    }
    return { tenants, installs };
  }

  async function round(): Promise<void> {
    for (const [what, task] of [['purging', purgeDue], ['catching installs up', deps.catchUp]] as const) {
      try {
        await task();
      } catch (error) {
        deps.logger.error({ err: error }, `${what} failed; it is tried again in an hour`);
      }
    }
  }

  return {
    purgeDue,
    start() {
      const next = (ms: number) => {
        timer = setTimeout(() => {
          running = round().finally(() => timer && next(everyMs));
        }, ms);
        timer.unref();
      };
      // Spread over a few seconds, so that host processes started together do not all go at once.
      next(firstMs + Math.floor(Math.random() * firstMs));
    },
    /** Stops the timer and waits for a round in progress, so that the store is not closed under it. */
    async stop() {
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
