// Placeholder until implemented.
import type pg from 'pg';
import type { TenantStore } from '../types.ts';

export function createPgTenants(_db: pg.Pool): TenantStore {
  throw new Error('not implemented');
}
