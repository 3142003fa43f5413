// The catalog revision on PostgreSQL: one row, moved by one upsert. Racing bumps wait for each other's row lock (or,
// before the row exists, for each other's insert) and each answers a value of its own.
import type pg from 'pg';
import type { CatalogRevision } from '../types.ts';

const currentSql = 'SELECT revision FROM catalog_revision WHERE id = 1';

const bumpSql = `INSERT INTO catalog_revision (id, revision) VALUES (1, 1)
  ON CONFLICT (id) DO UPDATE SET revision = catalog_revision.revision + 1 RETURNING revision`;

export function createPgCatalogRevision(pool: pg.Pool): CatalogRevision {
  return {
    async current() {
      const { rows } = await pool.query<{ revision: string }>({ name: 'lianjie_catalog_revision_current', text: currentSql });
      return rows[0] ? Number(rows[0].revision) : 0;
    },
    async bump() {
      const { rows } = await pool.query<{ revision: string }>({ name: 'lianjie_catalog_revision_bump', text: bumpSql });
      return Number(rows[0]!.revision);
    },
  };
}
