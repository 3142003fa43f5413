// Placeholder until implemented.
import type pg from 'pg';
import type { CatalogRevision } from '../types.ts';

export function createPgCatalogRevision(_db: pg.Pool): CatalogRevision {
  throw new Error('not implemented');
}
