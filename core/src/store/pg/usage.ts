// Placeholder until implemented.
import type pg from 'pg';
import type { UsageStore } from '../types.ts';

export function createPgUsage(_db: pg.Pool): UsageStore {
  throw new Error('not implemented');
}
