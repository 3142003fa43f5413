// Placeholder until implemented.
import type pg from 'pg';
import type { InstallStore } from '../types.ts';

export function createPgInstalls(_db: pg.Pool): InstallStore {
  throw new Error('not implemented');
}
