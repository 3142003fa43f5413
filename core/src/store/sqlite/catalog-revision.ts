// Placeholder until implemented.
import type Database from 'better-sqlite3';
import type { CatalogRevision } from '../types.ts';

export function createSqliteCatalogRevision(_db: Database.Database): CatalogRevision {
  throw new Error('not implemented');
}
