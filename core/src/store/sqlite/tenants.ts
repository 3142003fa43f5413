// Placeholder until implemented.
import type Database from 'better-sqlite3';
import type { TenantStore } from '../types.ts';

export function createSqliteTenants(_db: Database.Database): TenantStore {
  throw new Error('not implemented');
}
