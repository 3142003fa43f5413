// Metering on the store's main SQLite connection: a batch of deltas is one IMMEDIATE transaction of per-key upserts.
import type Database from 'better-sqlite3';
import type { UsageStore } from '../types.ts';
import { toUsageRecord, usageWrites, type UsageRow, type UsageWrite } from '../usage-rows.ts';

export function createSqliteUsage(sqlite: Database.Database): UsageStore {
  // Prepared on first use: before migrate() the tables do not exist.
  let statements: ReturnType<typeof prepare> | undefined;
  const s = () => (statements ??= prepare(sqlite));
  // SQLite has one writer at a time, so another process's record waits for the lock (busy_timeout) and then adds to
  // the committed counters: no key order is needed here.
  let writeAll: ((writes: UsageWrite[]) => void) | undefined;
  const write = () => (writeAll ??= sqlite.transaction((writes: UsageWrite[]) => {
    for (const w of writes) {
      const key = { tenantId: w.tenantId, pluginId: w.pluginId, installId: w.installId, month: w.month };
      s().counters.run({ ...key, invocations: w.invocations, cpuMs: w.cpuMs, wecomCalls: w.wecomCalls, effects: w.effects });
      for (const subject of w.staff) s().subject.run({ ...key, kind: 'staff', subject });
      for (const subject of w.contacts) s().subject.run({ ...key, kind: 'contact', subject });
    }
  }).immediate);
  return {
    async record(deltas) {
      const writes = usageWrites(deltas);
      if (writes.length > 0) write()(writes);
    },
    async list(filter = {}) {
      if (filter.pluginIds?.length === 0) return [];
      const rows = s().list.all({
        tenantId: filter.tenantId ?? null, pluginIds: filter.pluginIds ? JSON.stringify(filter.pluginIds) : null,
        installId: filter.installId ?? null, month: filter.month ?? null, fromMonth: filter.fromMonth ?? null, toMonth: filter.toMonth ?? null,
      }) as UsageRow[];
      return rows.map(toUsageRecord);
    },
  };
}

function prepare(sqlite: Database.Database) {
  const subjects = (kind: string) => `(SELECT count(*) FROM usage_subjects s
      WHERE s.tenant_id = c.tenant_id AND s.plugin_id = c.plugin_id AND s.install_id = c.install_id AND s.month = c.month AND s.kind = '${kind}')`;
  return {
    counters: sqlite.prepare(
      `INSERT INTO usage_counters (tenant_id, plugin_id, install_id, month, invocations, cpu_ms, wecom_calls, effects)
       VALUES (@tenantId, @pluginId, @installId, @month, @invocations, @cpuMs, @wecomCalls, @effects)
       ON CONFLICT (tenant_id, plugin_id, install_id, month) DO UPDATE SET
         invocations = invocations + excluded.invocations, cpu_ms = cpu_ms + excluded.cpu_ms,
         wecom_calls = wecom_calls + excluded.wecom_calls, effects = effects + excluded.effects`,
    ),
    subject: sqlite.prepare(
      `INSERT INTO usage_subjects (tenant_id, plugin_id, install_id, month, kind, subject)
       VALUES (@tenantId, @pluginId, @installId, @month, @kind, @subject) ON CONFLICT DO NOTHING`,
    ),
    // BINARY collation compares UTF-8 bytes: code-point order, as PostgreSQL's COLLATE "C" does.
    list: sqlite.prepare(
      `SELECT c.tenant_id, c.plugin_id, c.install_id, c.month, c.invocations, c.cpu_ms, c.wecom_calls, c.effects,
         ${subjects('staff')} AS staff, ${subjects('contact')} AS contacts
       FROM usage_counters c
       WHERE (@tenantId IS NULL OR c.tenant_id = @tenantId)
         AND (@pluginIds IS NULL OR c.plugin_id IN (SELECT value FROM json_each(@pluginIds)))
         AND (@installId IS NULL OR c.install_id = @installId) AND (@month IS NULL OR c.month = @month)
         AND (@fromMonth IS NULL OR c.month >= @fromMonth) AND (@toMonth IS NULL OR c.month <= @toMonth)
       ORDER BY c.month DESC, c.tenant_id, c.plugin_id, c.install_id`,
    ),
  };
}
