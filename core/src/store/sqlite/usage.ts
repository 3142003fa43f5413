// Placeholder until implemented.
import type Database from 'better-sqlite3';
import type { UsageStore } from '../types.ts';

export function createSqliteUsage(_db: Database.Database): UsageStore {
  throw new Error('not implemented');
}
