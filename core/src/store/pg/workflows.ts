// Workflow versions on PostgreSQL: applying locks the workflow, reads its latest version and inserts in one transaction.
import type pg from 'pg';
import type { StoredWorkflow, WorkflowRepository } from '../types.ts';
import { inTransaction } from './transaction.ts';

interface Row {
  tenant_id: string;
  workflow_id: string;
  version: number;
  definition: string;
  created_at: string;
}

const toStored = (row: Row): StoredWorkflow => ({
  tenantId: row.tenant_id, workflowId: row.workflow_id, version: row.version, definition: row.definition, createdAt: new Date(Number(row.created_at)).toISOString(),
});

// Two host processes applying the same workflow at once would both read version n and both insert n + 1; the
// transaction-scoped advisory lock on (tenant, workflow) makes them take turns.
const lockSql = "SELECT pg_advisory_xact_lock(hashtext('lianjie.workflows'), hashtext($1 || '/' || $2))";
const latestSql = 'SELECT * FROM workflows WHERE tenant_id = $1 AND workflow_id = $2 ORDER BY version DESC LIMIT 1';

export function createPgWorkflows(pool: pg.Pool): WorkflowRepository {
  return {
    async apply(tenantId, workflowId, definition) {
      return inTransaction(pool, async (client) => {
        await client.query(lockSql, [tenantId, workflowId]);
        const latest = (await client.query<Row>(latestSql, [tenantId, workflowId])).rows[0];
        if (latest && latest.definition === definition) return { version: latest.version, created: false };
        const version = (latest?.version ?? 0) + 1;
        await client.query('INSERT INTO workflows (tenant_id, workflow_id, version, definition, created_at) VALUES ($1, $2, $3, $4, $5)', [
          tenantId, workflowId, version, definition, Date.now(),
        ]);
        return { version, created: true };
      });
    },

    async get(tenantId, workflowId, version) {
      const { rows } = version === undefined
        ? await pool.query<Row>(latestSql, [tenantId, workflowId])
        : await pool.query<Row>('SELECT * FROM workflows WHERE tenant_id = $1 AND workflow_id = $2 AND version = $3', [tenantId, workflowId, version]);
      return rows[0] && toStored(rows[0]);
    },

    async listLatest(tenantId) {
      const { rows } = await pool.query<Row>(
        // COLLATE "C" orders by code point, as SQLite's BINARY does.
        `SELECT * FROM (
           SELECT DISTINCT ON (tenant_id, workflow_id) * FROM workflows WHERE ($1::text IS NULL OR tenant_id = $1)
           ORDER BY tenant_id, workflow_id, version DESC
         ) latest ORDER BY tenant_id COLLATE "C", workflow_id COLLATE "C"`,
        [tenantId ?? null],
      );
      return rows.map(toStored);
    },
  };
}
