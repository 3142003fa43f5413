// Admin API tokens on PostgreSQL: one statement per method, each atomic on its own.
import type pg from 'pg';
import { toStored, type ApiTokenRow as Row } from '../api-token-rows.ts';
import type { ApiTokenStore } from '../types.ts';

const columns = 'id, role, tenant_id, vendor_id, label, hash, created_at, revoked_at';

const insertSql = `INSERT INTO api_tokens (id, role, tenant_id, vendor_id, label, hash, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${columns}`;

const getSql = `SELECT ${columns} FROM api_tokens WHERE id = $1`;

const listSql = `SELECT ${columns} FROM api_tokens
  WHERE ($1::text IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR vendor_id = $2)
  ORDER BY created_at DESC, id DESC`;

// coalesce keeps the first revocation's time: a concurrent second UPDATE waits for the first's row lock, then
// re-reads the row it committed.
const revokeSql = `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING ${columns}`;

export function createPgApiTokens(pool: pg.Pool): ApiTokenStore {
  return {
    async create(token) {
      const { rows } = await pool.query<Row>({
        name: 'lianjie_api_tokens_insert', text: insertSql,
        values: [token.id, token.role, token.tenantId, token.vendorId, token.label, token.hash, Date.now()],
      });
      return toStored(rows[0]!);
    },
    async get(id) {
      const { rows } = await pool.query<Row>({ name: 'lianjie_api_tokens_get', text: getSql, values: [id] });
      return rows[0] && toStored(rows[0]);
    },
    async list(filter = {}) {
      const { rows } = await pool.query<Row>({
        name: 'lianjie_api_tokens_list', text: listSql, values: [filter.tenantId ?? null, filter.vendorId ?? null],
      });
      return rows.map(toStored);
    },
    async revoke(id, at) {
      const { rows } = await pool.query<Row>({ name: 'lianjie_api_tokens_revoke', text: revokeSql, values: [id, at] });
      return rows[0] && toStored(rows[0]);
    },
  };
}
