// An api_tokens row as either dialect returns it, and the token the store answers with.
import type { ApiRole, StoredApiToken } from './types.ts';

export interface ApiTokenRow {
  id: string;
  role: ApiRole;
  tenant_id: string | null;
  vendor_id: string | null;
  label: string;
  hash: string;
  /** Milliseconds; PostgreSQL's bigint arrives as a string. */
  created_at: number | string;
  revoked_at: number | string | null;
}

export const toStored = (row: ApiTokenRow): StoredApiToken => ({
  id: row.id, role: row.role, tenantId: row.tenant_id, vendorId: row.vendor_id, label: row.label, hash: row.hash,
  createdAt: new Date(Number(row.created_at)).toISOString(),
  revokedAt: row.revoked_at === null ? null : new Date(Number(row.revoked_at)).toISOString(),
});
