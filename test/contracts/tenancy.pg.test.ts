// Runs the tenancy contract on a fresh PostgreSQL database per test (skipped unless DATABASE_URL is set), with a pool of
// its own for the contract's plain SQL.
import pg from 'pg';
import { describe } from 'vitest';
import { createPgStore } from '../../core/src/store/pg/store.ts';
import { freshPostgresDatabase, postgresUrl } from '../support/postgres.ts';
import { tenancyContract, type TenancyHandle } from './tenancy.contract.ts';

async function postgresTenancyFixture(): Promise<TenancyHandle> {
  const database = await freshPostgresDatabase();
  const store = createPgStore({ url: database.url });
  const raw = new pg.Pool({ connectionString: database.url, max: 2 });
  return {
    store,
    reopen: () => createPgStore({ url: database.url }),
    async exec(sql) {
      await raw.query(sql);
    },
    async count(sql) {
      const { rows } = await raw.query<Record<string, unknown>>(sql);
      return Number(Object.values(rows[0]!)[0]);
    },
    async tablesWith(column) {
      const { rows } = await raw.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = $1 ORDER BY table_name', [column],
      );
      return rows.map((row) => row.table_name);
    },
    async cleanup() {
      await raw.end();
      await store.close();
      await database.drop();
    },
  };
}

describe.skipIf(!postgresUrl)('postgres', () => {
  tenancyContract('postgres', postgresTenancyFixture);
});
