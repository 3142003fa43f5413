// Workflow versions on the store's main SQLite connection; applying reads the latest and inserts in one IMMEDIATE transaction.
import type Database from 'better-sqlite3';
import type { StoredWorkflow, WorkflowRepository } from '../types.ts';

interface Row {
  tenant_id: string;
  workflow_id: string;
  version: number;
  definition: string;
  created_at: number;
}

const toStored = (row: Row): StoredWorkflow => ({
  tenantId: row.tenant_id, workflowId: row.workflow_id, version: row.version, definition: row.definition, createdAt: new Date(row.created_at).toISOString(),
});

export function createSqliteWorkflows(sqlite: Database.Database): WorkflowRepository {
  // Prepared on first use: before migrate() the table does not exist.
  let statements: ReturnType<typeof prepare> | undefined;
  const s = () => (statements ??= prepare(sqlite));

  const applyLocked = sqlite.transaction((tenantId: string, workflowId: string, definition: string) => {
    const latest = s().latest.get({ tenantId, workflowId }) as Row | undefined;
    if (latest && latest.definition === definition) return { version: latest.version, created: false };
    const version = (latest?.version ?? 0) + 1;
    s().insert.run({ tenantId, workflowId, version, definition, createdAt: Date.now() });
    return { version, created: true };
  });

  return {
    async apply(tenantId, workflowId, definition) {
      return applyLocked.immediate(tenantId, workflowId, definition);
    },
    async get(tenantId, workflowId, version) {
      const row = (version === undefined ? s().latest.get({ tenantId, workflowId }) : s().version.get({ tenantId, workflowId, version })) as Row | undefined;
      return row && toStored(row);
    },
    async listLatest(tenantId) {
      return (s().listLatest.all({ tenantId: tenantId ?? null }) as Row[]).map(toStored);
    },
  };
}

function prepare(sqlite: Database.Database) {
  return {
    latest: sqlite.prepare('SELECT * FROM workflows WHERE tenant_id = @tenantId AND workflow_id = @workflowId ORDER BY version DESC LIMIT 1'),
    version: sqlite.prepare('SELECT * FROM workflows WHERE tenant_id = @tenantId AND workflow_id = @workflowId AND version = @version'),
    insert: sqlite.prepare(
      'INSERT INTO workflows (tenant_id, workflow_id, version, definition, created_at) VALUES (@tenantId, @workflowId, @version, @definition, @createdAt)',
    ),
    listLatest: sqlite.prepare(
      `SELECT w.* FROM workflows w
       WHERE (@tenantId IS NULL OR w.tenant_id = @tenantId)
         AND w.version = (SELECT max(version) FROM workflows v WHERE v.tenant_id = w.tenant_id AND v.workflow_id = w.workflow_id)
       ORDER BY w.tenant_id, w.workflow_id`,
    ),
  };
}
