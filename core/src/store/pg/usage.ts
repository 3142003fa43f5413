// Metering on PostgreSQL: a batch of deltas, summed per key first, is two statements in one transaction whatever its
// size: one multi-row upsert of the counters and one multi-row insert of the subjects, each row set passed as arrays
// through unnest().
import type pg from 'pg';
import type { UsageStore } from '../types.ts';
import { toUsageRecord, usageWrites, type UsageRow } from '../usage-rows.ts';
import { inTransaction } from './transaction.ts';

// An upsert adds to the committed row: a concurrent record of the same key waits for its row lock, then adds to what
// the first committed, so no update is lost. Rows are locked in key order, the same in every transaction, so two
// batches sharing keys wait for each other at their first shared key and cannot deadlock.
const countersSql = `INSERT INTO usage_counters (tenant_id, plugin_id, install_id, month, invocations, cpu_ms, wecom_calls, effects)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
    AS u(tenant_id, plugin_id, install_id, month, invocations, cpu_ms, wecom_calls, effects)
  ORDER BY tenant_id, plugin_id, install_id, month
  ON CONFLICT (tenant_id, plugin_id, install_id, month) DO UPDATE SET
    invocations = usage_counters.invocations + excluded.invocations, cpu_ms = usage_counters.cpu_ms + excluded.cpu_ms,
    wecom_calls = usage_counters.wecom_calls + excluded.wecom_calls, effects = usage_counters.effects + excluded.effects`;

// Runs after the counters: this transaction then holds the counter row of every key it names subjects of, and any
// other record naming subjects of those keys has committed or waits for that row, so this insert never waits on one.
const subjectsSql = `INSERT INTO usage_subjects (tenant_id, plugin_id, install_id, month, kind, subject)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
  ON CONFLICT DO NOTHING`;

const subjectCount = (kind: string) => `(SELECT count(*) FROM usage_subjects s
    WHERE s.tenant_id = c.tenant_id AND s.plugin_id = c.plugin_id AND s.install_id = c.install_id AND s.month = c.month AND s.kind = '${kind}')`;

// COLLATE "C" orders by code point whatever the database's collation, as SQLite's BINARY does.
const listSql = `SELECT c.tenant_id, c.plugin_id, c.install_id, c.month, c.invocations, c.cpu_ms, c.wecom_calls, c.effects,
    ${subjectCount('staff')} AS staff, ${subjectCount('contact')} AS contacts
  FROM usage_counters c
  WHERE ($1::text IS NULL OR c.tenant_id = $1) AND ($2::text[] IS NULL OR c.plugin_id = ANY($2::text[]))
    AND ($3::text IS NULL OR c.install_id = $3) AND ($4::text IS NULL OR c.month = $4)
    AND ($5::text IS NULL OR c.month >= $5) AND ($6::text IS NULL OR c.month <= $6)
  ORDER BY c.month COLLATE "C" DESC, c.tenant_id COLLATE "C", c.plugin_id COLLATE "C", c.install_id COLLATE "C"`;

export function createPgUsage(pool: pg.Pool): UsageStore {
  return {
    async record(deltas) {
      const writes = usageWrites(deltas);
      if (writes.length === 0) return;
      const subjects: string[][] = [[], [], [], [], [], []];
      for (const w of writes) {
        for (const [kind, ids] of [['staff', w.staff], ['contact', w.contacts]] as const) {
          for (const id of ids) {
            subjects[0]!.push(w.tenantId); subjects[1]!.push(w.pluginId); subjects[2]!.push(w.installId);
            subjects[3]!.push(w.month); subjects[4]!.push(kind); subjects[5]!.push(id);
          }
        }
      }
      await inTransaction(pool, async (client) => {
        await client.query({
          name: 'lianjie_usage_counters', text: countersSql,
          values: [
            writes.map((w) => w.tenantId), writes.map((w) => w.pluginId), writes.map((w) => w.installId), writes.map((w) => w.month),
            writes.map((w) => w.invocations), writes.map((w) => w.cpuMs), writes.map((w) => w.wecomCalls), writes.map((w) => w.effects),
          ],
        });
        if (subjects[0]!.length > 0) await client.query({ name: 'lianjie_usage_subjects', text: subjectsSql, values: subjects });
      });
    },
    async list(filter = {}) {
      if (filter.pluginIds?.length === 0) return [];
      const { rows } = await pool.query<UsageRow>({
        name: 'lianjie_usage_list', text: listSql,
        values: [
          filter.tenantId ?? null, filter.pluginIds ?? null, filter.installId ?? null, filter.month ?? null,
          filter.fromMonth ?? null, filter.toMonth ?? null,
        ],
      });
      return rows.map(toUsageRecord);
    },
  };
}
