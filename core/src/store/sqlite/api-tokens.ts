// Admin API tokens on the store's main SQLite connection: one statement per method, each atomic on its own.
import type Database from 'better-sqlite3';
import { toStored, type ApiTokenRow as Row } from '../api-token-rows.ts';
import type { ApiTokenStore } from '../types.ts';

export function createSqliteApiTokens(sqlite: Database.Database): ApiTokenStore {
  // Prepared on first use: before migrate() the table does not exist.
  let statements: ReturnType<typeof prepare> | undefined;
  const s = () => (statements ??= prepare(sqlite));
  return {
    async create(token) {
      const { id, role, tenantId, vendorId, label, hash } = token;
      return toStored(s().insert.get({ id, role, tenantId, vendorId, label, hash, createdAt: Date.now() }) as Row);
    },
    async get(id) {
      const row = s().get.get({ id }) as Row | undefined;
      return row && toStored(row);
    },
    async list(filter = {}) {
      return (s().list.all({ tenantId: filter.tenantId ?? null, vendorId: filter.vendorId ?? null }) as Row[]).map(toStored);
    },
    async revoke(id, at) {
      const row = s().revoke.get({ id, at }) as Row | undefined;
      return row && toStored(row);
    },
  };
}

function prepare(sqlite: Database.Database) {
  return {
    insert: sqlite.prepare(
      `INSERT INTO api_tokens (id, role, tenant_id, vendor_id, label, hash, created_at)
       VALUES (@id, @role, @tenantId, @vendorId, @label, @hash, @createdAt) RETURNING *`,
    ),
    get: sqlite.prepare('SELECT * FROM api_tokens WHERE id = @id'),
    list: sqlite.prepare(
      `SELECT * FROM api_tokens WHERE (@tenantId IS NULL OR tenant_id = @tenantId) AND (@vendorId IS NULL OR vendor_id = @vendorId)
       ORDER BY created_at DESC, id DESC`,
    ),
    // coalesce keeps the first revocation's time; the row comes back either way, so revoking twice is harmless.
    revoke: sqlite.prepare('UPDATE api_tokens SET revoked_at = coalesce(revoked_at, @at) WHERE id = @id RETURNING *'),
  };
}
