// The effects ledger on the store's main SQLite connection: insert unless the key is taken, then read what is there.
import type Database from 'better-sqlite3';
import type { EffectLedger, RecordedEffect } from '../types.ts';

interface Row {
  key: string;
  tenant_id: string;
  effect: string;
  result: string;
  recorded_at: number;
}

const toRecorded = (row: Row): RecordedEffect => ({
  key: row.key, tenantId: row.tenant_id, effect: row.effect, result: row.result, recordedAt: new Date(row.recorded_at).toISOString(),
});

export function createSqliteEffects(sqlite: Database.Database): EffectLedger {
  // Prepared on first use: before migrate() the table does not exist.
  let statements: ReturnType<typeof prepare> | undefined;
  const s = () => (statements ??= prepare(sqlite));
  return {
    async find(key) {
      const row = s().find.get({ key }) as Row | undefined;
      return row && toRecorded(row);
    },
    async record(effect) {
      const recorded = s().insert.run({ ...effect, recordedAt: Date.now() }).changes > 0;
      return { recorded, effect: toRecorded(s().find.get({ key: effect.key }) as Row) };
    },
  };
}

function prepare(sqlite: Database.Database) {
  return {
    find: sqlite.prepare('SELECT * FROM effects WHERE key = @key'),
    insert: sqlite.prepare(
      'INSERT INTO effects (key, tenant_id, effect, result, recorded_at) VALUES (@key, @tenantId, @effect, @result, @recordedAt) ON CONFLICT (key) DO NOTHING',
    ),
  };
}
