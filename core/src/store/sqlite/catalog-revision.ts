// The catalog revision on the store's main SQLite connection: one row, moved by one upsert, so a bump is atomic
// whichever process on the file makes it.
import type Database from 'better-sqlite3';
import type { CatalogRevision } from '../types.ts';

export function createSqliteCatalogRevision(sqlite: Database.Database): CatalogRevision {
  // Prepared on first use: before migrate() the table does not exist.
  let statements: ReturnType<typeof prepare> | undefined;
  const s = () => (statements ??= prepare(sqlite));
  return {
    async current() {
      return (s().current.get() as number | undefined) ?? 0;
    },
    async bump() {
      return s().bump.get() as number;
    },
  };
}

function prepare(sqlite: Database.Database) {
  return {
    current: sqlite.prepare('SELECT revision FROM catalog_revision WHERE id = 1').pluck(),
    // The row exists only after the first bump.
    bump: sqlite.prepare(
      `INSERT INTO catalog_revision (id, revision) VALUES (1, 1)
       ON CONFLICT (id) DO UPDATE SET revision = catalog_revision.revision + 1 RETURNING revision`,
    ).pluck(),
  };
}
