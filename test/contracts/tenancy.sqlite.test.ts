// Runs the tenancy contract on a real SQLite file in a fresh temporary directory, with a connection of its own for the
// contract's plain SQL.
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../core/src/store/sqlite/store.ts';
import { freshTempDir } from '../support/tmp.ts';
import { tenancyContract, type TenancyHandle } from './tenancy.contract.ts';

async function sqliteTenancyFixture(): Promise<TenancyHandle> {
  const dir = await freshTempDir();
  const file = dir.file('lianjie.db');
  const store = createSqliteStore({ file, synchronous: 'FULL' });
  let raw: Database.Database | undefined;
  const db = () => {
    if (raw) return raw;
    raw = new Database(file);
    raw.pragma('busy_timeout = 5000');
    return raw;
  };
  return {
    store,
    reopen: () => createSqliteStore({ file, synchronous: 'FULL' }),
    async exec(sql) {
      db().prepare(sql).run();
    },
    async count(sql) {
      return Number(db().prepare(sql).pluck().get());
    },
    async tablesWith(column) {
      return db().prepare(
        "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = ? ORDER BY m.name",
      ).pluck().all(column) as string[];
    },
    async cleanup() {
      raw?.close();
      await store.close();
      await dir.remove();
    },
  };
}

tenancyContract('sqlite (file, synchronous FULL)', sqliteTenancyFixture);
