// Helpers for the subcommands that read the store; kept apart from command.ts so `lianjie --help` loads no store code.
import { loadConfig } from '../config/load.ts';
import { openStore } from '../store/open.ts';
import type { HostConfig } from '../config/types.ts';
import type { Store } from '../store/types.ts';

/** `--limit`: a positive whole number, 50 when not given. */
export function parseLimit(value: string | undefined): number {
  const limit = value === undefined ? 50 : Number(value);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit must be a positive integer, got "${value}"`);
  return limit;
}

/** Runs `work` on the configured store, migrated, and closes the store afterwards whatever happens. */
export async function withStore<T>(configFile: string | undefined, work: (store: Store, config: HostConfig) => Promise<T>): Promise<T> {
  const { config } = loadConfig(configFile);
  const store = openStore(config.database, { synchronous: config.sqlite.synchronous });
  try {
    await store.migrate();
    return await work(store, config);
  } finally {
    await store.close();
  }
}
