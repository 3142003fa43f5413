// Placeholder until implemented.
import type Database from 'better-sqlite3';
import type { InstallStore } from '../types.ts';

export function createSqliteInstalls(_db: Database.Database): InstallStore {
  throw new Error('not implemented');
}
