// The effects ledger on PostgreSQL: insert unless the key is taken, then read what is there.
import type pg from 'pg';
import type { EffectLedger, RecordedEffect } from '../types.ts';

interface Row {
  key: string;
  tenant_id: string;
  effect: string;
  result: string;
  recorded_at: string;
}

const toRecorded = (row: Row): RecordedEffect => ({
  key: row.key, tenantId: row.tenant_id, effect: row.effect, result: row.result, recordedAt: new Date(Number(row.recorded_at)).toISOString(),
});

const findSql = 'SELECT * FROM effects WHERE key = $1';
const insertSql = `INSERT INTO effects (key, tenant_id, effect, result, recorded_at) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (key) DO NOTHING`;

export function createPgEffects(pool: pg.Pool): EffectLedger {
  return {
    async find(key) {
      const { rows } = await pool.query<Row>({ name: 'lianjie_effects_find', text: findSql, values: [key] });
      return rows[0] && toRecorded(rows[0]);
    },
    async record(effect) {
      const { rowCount } = await pool.query({
        name: 'lianjie_effects_insert', text: insertSql, values: [effect.key, effect.tenantId, effect.effect, effect.result, Date.now()],
      });
      // Read after the insert: a concurrent first record is committed by the time ours conflicted with it.
      const { rows } = await pool.query<Row>({ name: 'lianjie_effects_find', text: findSql, values: [effect.key] });
      return { recorded: (rowCount ?? 0) > 0, effect: toRecorded(rows[0]!) };
    },
  };
}
