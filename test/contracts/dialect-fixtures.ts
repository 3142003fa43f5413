// A fresh store per test for each dialect, shared by every contract suite (store, capabilities).
import { createPgStore } from '../../core/src/store/pg/store.ts';
import { createSqliteStore } from '../../core/src/store/sqlite/store.ts';
import type { Store } from '../../core/src/store/types.ts';
import { freshPostgresDatabase } from '../support/postgres.ts';
import { freshTempDir } from '../support/tmp.ts';

export interface StoreFixture {
  store: Store;
  /** A second store on the same database, as after a restart. */
  reopen(): Store;
  cleanup(): Promise<void>;
}

/** A real SQLite file in a fresh temporary directory. */
export async function sqliteFixture(): Promise<StoreFixture> {
  const dir = await freshTempDir();
  const file = dir.file('lianjie.db');
  const store = createSqliteStore({ file, synchronous: 'FULL' });
  return {
    store,
    reopen: () => createSqliteStore({ file, synchronous: 'FULL' }),
    async cleanup() {
      await store.close();
      await dir.remove();
    },
  };
}

/** A fresh PostgreSQL database (DATABASE_URL must be set), dropped afterwards. */
export async function postgresFixture(): Promise<StoreFixture> {
  const database = await freshPostgresDatabase();
  const store = createPgStore({ url: database.url });
  return {
    store,
    reopen: () => createPgStore({ url: database.url }),
    async cleanup() {
      await store.close();
      await database.drop();
    },
  };
}
