// What a batch of usage deltas writes, worked out once for both dialects, and a usage row as either dialect returns it.
import type { UsageDelta, UsageRecord } from './types.ts';

/** One (tenant, plugin, install, month)'s share of a batch: its deltas' counters summed, its subjects once each. */
export type UsageWrite = Omit<UsageDelta, 'staff' | 'contacts'> & { staff: string[]; contacts: string[] };

const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;

const count = (delta: UsageDelta, field: 'invocations' | 'wecomCalls' | 'effects'): number => {
  const n = delta[field];
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`usage delta ${field} must be a whole number ≥ 0, got ${n}`);
  return n;
};

/**
 * Every delta is checked before anything is written, so one bad delta fails the whole call and writes nothing: the
 * month must be YYYY-MM (list's month ranges compare it as a string), counts whole and ≥ 0, cpuMs finite and ≥ 0.
 *
 * CPU time is measured fractionally but kept in whole milliseconds: each delta's cpuMs is rounded to the nearest
 * millisecond (halves up) on its own, before it is added, so a total never depends on how deltas were batched. The
 * price is that a call under half a millisecond adds nothing.
 *
 * A delta that adds nothing (counters all 0 after rounding, no subjects) is dropped. Any other one makes its key's
 * counter row exist, even when its counters are all 0: list() reads subjects through the counter rows.
 */
export function usageWrites(deltas: readonly UsageDelta[]): UsageWrite[] {
  const writes = new Map<string, { write: UsageWrite; staff: Set<string>; contacts: Set<string> }>();
  for (const delta of deltas) {
    if (!monthPattern.test(delta.month)) throw new RangeError(`usage delta month must be YYYY-MM, got ${JSON.stringify(delta.month)}`);
    const invocations = count(delta, 'invocations');
    const wecomCalls = count(delta, 'wecomCalls');
    const effects = count(delta, 'effects');
    if (!Number.isFinite(delta.cpuMs) || delta.cpuMs < 0) throw new RangeError(`usage delta cpuMs must be finite and ≥ 0, got ${delta.cpuMs}`);
    const cpuMs = Math.round(delta.cpuMs);
    if (invocations + cpuMs + wecomCalls + effects === 0 && delta.staff.length === 0 && delta.contacts.length === 0) continue;
    const key = JSON.stringify([delta.tenantId, delta.pluginId, delta.installId, delta.month]);
    let entry = writes.get(key);
    if (!entry) {
      entry = {
        write: {
          tenantId: delta.tenantId, pluginId: delta.pluginId, installId: delta.installId, month: delta.month,
          invocations: 0, cpuMs: 0, wecomCalls: 0, effects: 0, staff: [], contacts: [],
        },
        staff: new Set(), contacts: new Set(),
      };
      writes.set(key, entry);
    }
    entry.write.invocations += invocations;
    entry.write.cpuMs += cpuMs;
    entry.write.wecomCalls += wecomCalls;
    entry.write.effects += effects;
    for (const id of delta.staff) entry.staff.add(id);
    for (const id of delta.contacts) entry.contacts.add(id);
  }
  return [...writes.values()].map(({ write, staff, contacts }) => ({ ...write, staff: [...staff], contacts: [...contacts] }));
}

/** A usage_counters row with its subject counts; PostgreSQL's bigint and count(*) arrive as strings. */
export interface UsageRow {
  tenant_id: string;
  plugin_id: string;
  install_id: string;
  month: string;
  invocations: number | string;
  cpu_ms: number | string;
  wecom_calls: number | string;
  effects: number | string;
  staff: number | string;
  contacts: number | string;
}

export const toUsageRecord = (row: UsageRow): UsageRecord => ({
  tenantId: row.tenant_id, pluginId: row.plugin_id, installId: row.install_id, month: row.month,
  invocations: Number(row.invocations), cpuMs: Number(row.cpu_ms), wecomCalls: Number(row.wecom_calls), effects: Number(row.effects),
  staff: Number(row.staff), contacts: Number(row.contacts),
});
