// Metering on every Store dialect: counters are summed per (tenant, plugin, install, month) across calls and within
// one, subjects count once per kind in each of those, CPU time is rounded per delta, listings filter and come newest
// month first, a bad delta writes nothing, and records from two stores on one database at once lose nothing.
import { describe, expect, it } from 'vitest';
import type { UsageDelta, UsageRecord, UsageStore } from '../../core/src/store/types.ts';
import { useMigratedStore, type StoreHandle } from './store.fixtures.ts';

const delta = (overrides: Partial<UsageDelta> = {}): UsageDelta => ({
  tenantId: 'corp_a', pluginId: 'crm-sync', installId: 'ins_1', month: '2025-01',
  invocations: 0, cpuMs: 0, wecomCalls: 0, effects: 0, staff: [], contacts: [],
  ...overrides,
});

const row = (overrides: Partial<UsageRecord> = {}): UsageRecord => ({
  tenantId: 'corp_a', pluginId: 'crm-sync', installId: 'ins_1', month: '2025-01',
  invocations: 0, cpuMs: 0, wecomCalls: 0, effects: 0, staff: 0, contacts: 0,
  ...overrides,
});

export function usageContract(name: string, makeStore: () => Promise<StoreHandle>): void {
  describe(`usage contract: ${name}`, () => {
    const current = useMigratedStore(makeStore);

    it('is the same object on every call', () => {
      expect(current.store.usage()).toBe(current.store.usage());
    });

    it('lists nothing before anything is recorded; an empty batch writes nothing', async () => {
      const usage = current.store.usage();
      expect(await usage.list()).toEqual([]);
      await usage.record([]);
      expect(await usage.list()).toEqual([]);
    });

    it('sums counters across calls and within one call', async () => {
      const usage = current.store.usage();
      await usage.record([delta({ invocations: 1, cpuMs: 10, wecomCalls: 2, effects: 1 })]);
      await usage.record([
        delta({ invocations: 1, cpuMs: 5 }),
        delta({ wecomCalls: 3 }),
        delta({ installId: 'ins_2', invocations: 7 }),
        delta({ invocations: 1, effects: 4 }),
      ]);
      await usage.record(Array.from({ length: 50 }, () => delta({ invocations: 1, cpuMs: 2, wecomCalls: 1, effects: 1 })));
      expect(await usage.list()).toEqual([
        row({ invocations: 53, cpuMs: 115, wecomCalls: 55, effects: 55 }),
        row({ installId: 'ins_2', invocations: 7 }),
      ]);
    });

    it('keeps totals past 32 bits', async () => {
      const usage = current.store.usage();
      await usage.record([delta({ invocations: 1, cpuMs: 3_000_000_000 }), delta({ invocations: 1, cpuMs: 3_000_000_000 })]);
      await usage.record([delta({ wecomCalls: 2 ** 40 })]);
      expect(await usage.list()).toEqual([row({ invocations: 2, cpuMs: 6_000_000_000, wecomCalls: 2 ** 40 })]);
    });

    it('counts each subject once per kind, install and month, across calls and within one', async () => {
      const usage = current.store.usage();
      await usage.record([delta({ invocations: 1, staff: ['zhangsan'], contacts: ['wm_c1', 'wm_c2', 'wm_c1'] })]);
      await usage.record([
        // The same contact again counts once; the same id as staff counts among the staff too.
        delta({ invocations: 1, contacts: ['wm_c1'] }),
        delta({ staff: ['wm_c1', 'lisi', 'zhangsan'] }),
        // The same contact in another month, or another install, counts there.
        delta({ month: '2025-02', contacts: ['wm_c1'] }),
        delta({ installId: 'ins_2', contacts: ['wm_c1', 'wm_c2'] }),
      ]);
      await usage.record([delta({ staff: ['lisi'], contacts: ['wm_c2', 'wm_c3'] })]);
      expect(await usage.list()).toEqual([
        row({ month: '2025-02', contacts: 1 }),
        row({ invocations: 2, staff: 3, contacts: 3 }),
        row({ installId: 'ins_2', contacts: 2 }),
      ]);
    });

    it('writes a counter row for a delta with subjects only, and nothing for a delta that adds nothing', async () => {
      const usage = current.store.usage();
      await usage.record([delta(), delta({ installId: 'ins_2' }), delta({ month: '2025-03', cpuMs: 0.4 })]);
      expect(await usage.list()).toEqual([]);
      await usage.record([delta({ staff: ['zhangsan'] }), delta({ installId: 'ins_2' }), delta({ installId: 'ins_3', contacts: ['wm_c1'] })]);
      expect(await usage.list()).toEqual([row({ staff: 1 }), row({ installId: 'ins_3', contacts: 1 })]);
    });

    it('rounds each delta\'s CPU time to the nearest millisecond before adding it', async () => {
      const usage = current.store.usage();
      // 1.5 → 2, 2.4 → 2, 0.5 → 1, 2.6 → 3, 0.49 → 0: 8, where the unrounded sum would round to 7.
      await usage.record([delta({ invocations: 1, cpuMs: 1.5 }), delta({ invocations: 1, cpuMs: 2.4 })]);
      await usage.record([delta({ invocations: 1, cpuMs: 0.5 }), delta({ invocations: 1, cpuMs: 2.6 }), delta({ invocations: 1, cpuMs: 0.49 })]);
      expect(await usage.list()).toEqual([row({ invocations: 5, cpuMs: 8 })]);
    });

    it('refuses a bad delta before writing any of its batch', async () => {
      const usage = current.store.usage();
      const good = delta({ invocations: 1, staff: ['zhangsan'] });
      for (const bad of [
        delta({ invocations: -1 }), delta({ invocations: 1.5 }), delta({ wecomCalls: Number.NaN }), delta({ effects: Number.MAX_SAFE_INTEGER + 1 }),
        delta({ cpuMs: -0.1 }), delta({ cpuMs: Number.POSITIVE_INFINITY }), delta({ cpuMs: Number.NaN }),
        delta({ month: '2025-1' }), delta({ month: '2025-13' }), delta({ month: '2025-01-02' }), delta({ month: '' }),
      ]) {
        await expect(usage.record([good, bad])).rejects.toThrow(RangeError);
      }
      expect(await usage.list()).toEqual([]);
    });

    it('lists newest month first then by tenant, plugin and install, filtered', async () => {
      const usage = current.store.usage();
      await usage.record([
        delta({ tenantId: 'corp_b', pluginId: 'notes', installId: 'ins_5', month: '2024-12', invocations: 1 }),
        delta({ tenantId: 'corp_a', pluginId: 'notes', installId: 'ins_4', month: '2025-02', invocations: 2 }),
        delta({ tenantId: 'corp_b', pluginId: 'crm-sync', installId: 'ins_3', month: '2025-02', invocations: 3 }),
        delta({ tenantId: 'corp_a', pluginId: 'crm-sync', installId: 'ins_1', month: '2025-01', invocations: 4, contacts: ['wm_c1'] }),
        delta({ tenantId: 'corp_a', pluginId: 'crm-sync', installId: 'ins_1', month: '2025-02', invocations: 5 }),
        delta({ tenantId: 'corp_a', pluginId: 'crm-sync', installId: 'ins_0', month: '2025-02', invocations: 6 }),
        delta({ tenantId: 'corp_b', pluginId: 'greeter', installId: 'ins_6', month: '2025-01', invocations: 7, staff: ['zhangsan'] }),
        // Code-point order: upper case before lower case, ASCII before CJK.
        delta({ tenantId: 'Corp_Z', pluginId: 'zz', installId: 'ins_7', month: '2025-01', invocations: 8 }),
        delta({ tenantId: '企业', pluginId: 'aa', installId: 'ins_8', month: '2025-01', invocations: 9 }),
      ]);
      const ids = async (filter?: Parameters<UsageStore['list']>[0]) =>
        (await usage.list(filter)).map((r) => r.invocations);
      expect(await ids()).toEqual([6, 5, 2, 3, 8, 4, 7, 9, 1]);
      expect((await usage.list())[5]).toEqual(row({ invocations: 4, contacts: 1 }));
      expect(await ids({ tenantId: 'corp_a' })).toEqual([6, 5, 2, 4]);
      expect(await ids({ tenantId: 'corp_A' })).toEqual([]);
      expect(await ids({ pluginIds: ['crm-sync'] })).toEqual([6, 5, 3, 4]);
      expect(await ids({ pluginIds: ['notes', 'greeter', 'missing'] })).toEqual([2, 7, 1]);
      expect(await ids({ pluginIds: [] })).toEqual([]);
      expect(await ids({ tenantId: 'corp_b', pluginIds: [] })).toEqual([]);
      expect(await ids({ installId: 'ins_1' })).toEqual([5, 4]);
      expect(await ids({ month: '2025-01' })).toEqual([8, 4, 7, 9]);
      expect(await ids({ month: '2025' })).toEqual([]);
      expect(await ids({ fromMonth: '2025-01' })).toEqual([6, 5, 2, 3, 8, 4, 7, 9]);
      expect(await ids({ toMonth: '2025-01' })).toEqual([8, 4, 7, 9, 1]);
      expect(await ids({ fromMonth: '2025-01', toMonth: '2025-01' })).toEqual([8, 4, 7, 9]);
      expect(await ids({ fromMonth: '2024-12', toMonth: '2025-02' })).toEqual([6, 5, 2, 3, 8, 4, 7, 9, 1]);
      expect(await ids({ fromMonth: '2025-02', toMonth: '2025-01' })).toEqual([]);
      expect(await ids({ tenantId: 'corp_a', pluginIds: ['crm-sync', 'notes'], fromMonth: '2025-02' })).toEqual([6, 5, 2]);
      expect(await ids({ tenantId: 'corp_b', installId: 'ins_6', month: '2025-01' })).toEqual([7]);
      expect(await ids({ tenantId: 'corp_b', installId: 'ins_6', month: '2025-02' })).toEqual([]);
    });

    it('keeps usage across a reopen, and the reopened store adds to it', async () => {
      await current.store.usage().record([delta({ invocations: 2, cpuMs: 10, staff: ['zhangsan'], contacts: ['wm_c1'] })]);
      const other = current.handle.reopen();
      try {
        await other.migrate();
        expect(await other.usage().list()).toEqual([row({ invocations: 2, cpuMs: 10, staff: 1, contacts: 1 })]);
        await other.usage().record([delta({ invocations: 1, staff: ['zhangsan', 'lisi'], contacts: ['wm_c1'] })]);
        expect(await current.store.usage().list()).toEqual([row({ invocations: 3, cpuMs: 10, staff: 2, contacts: 1 })]);
      } finally {
        await other.close();
      }
    });

    it('loses nothing when two stores on one database record at once', async () => {
      const other = current.handle.reopen();
      try {
        await other.migrate();
        const stores = [current.store, other];
        const installs = ['ins_1', 'ins_2', 'ins_3', 'ins_4'];
        // Each call names every install, in an order that differs from call to call, with new and repeated subjects.
        const call = (i: number): UsageDelta[] => installs.map((_, j) => delta({
          installId: installs[(i + j) % installs.length]!, invocations: 1, cpuMs: 3, wecomCalls: i % 3, effects: 1,
          staff: [`staff_${i % 5}`], contacts: [`c_${i}`, 'c_shared'],
        })).concat(i % 2 ? [] : [delta({ installId: 'ins_1', invocations: 1, month: '2025-02', contacts: [`c_${i}`] })]);
        const calls = Array.from({ length: 40 }, (_, i) => i);
        await Promise.all(calls.map((i) => stores[i % 2]!.usage().record(call(i))));
        const wecomCalls = calls.reduce((sum, i) => sum + (i % 3), 0);
        const each = { invocations: 40, cpuMs: 120, wecomCalls, effects: 40, staff: 5, contacts: 41 };
        expect(await current.store.usage().list()).toEqual([
          row({ installId: 'ins_1', month: '2025-02', invocations: 20, contacts: 20 }),
          ...installs.map((installId) => row({ installId, ...each })),
        ]);
      } finally {
        await other.close();
      }
    });

    it('records a large batch over many keys', async () => {
      const usage = current.store.usage();
      const deltas = Array.from({ length: 3000 }, (_, i) => delta({
        installId: `ins_${i % 60}`, month: i % 2 ? '2025-01' : '2025-02', invocations: 1, cpuMs: 1.25,
        staff: [`staff_${i % 7}`], contacts: [`c_${i}`],
      }));
      await usage.record(deltas);
      const rows = await usage.list();
      expect(rows).toHaveLength(60);
      for (const r of rows) expect(r).toMatchObject({ invocations: 50, cpuMs: 50, staff: 7, contacts: 50 });
      expect(rows.map((r) => r.month)).toEqual([...Array(30).fill('2025-02'), ...Array(30).fill('2025-01')]);
    });
  });
}
