// Runs the capabilities contract on a fresh PostgreSQL database per test (skipped unless DATABASE_URL is set).
import { describe } from 'vitest';
import { createPgStore } from '../../core/src/store/pg/store.ts';
import { freshPostgresDatabase, postgresUrl } from '../support/postgres.ts';
import { capabilitiesContract } from './capabilities.contract.ts';

describe.skipIf(!postgresUrl)('postgres', () => {
  capabilitiesContract('postgres', async () => {
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
  });
});
