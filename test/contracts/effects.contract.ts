// The effects ledger on every Store dialect: the first record of a key wins, everyone reads it back.
import { describe, expect, it } from 'vitest';
import { useMigratedStore, type StoreHandle } from './store.fixtures.ts';

export function effectsContract(name: string, makeStore: () => Promise<StoreHandle>): void {
  describe(`effects ledger contract: ${name}`, () => {
    const current = useMigratedStore(makeStore);

    it('records an effect once: a repeat of the key answers the first record', async () => {
      const ledger = current.store.effects();
      expect(await ledger.find('run_1:welcome#0')).toBeUndefined();
      const first = await ledger.record({ key: 'run_1:welcome#0', tenantId: 'acme', effect: 'wecom.sendWelcomeMessage', result: '{"errcode":0}' });
      expect(first).toMatchObject({ recorded: true, effect: { key: 'run_1:welcome#0', tenantId: 'acme', effect: 'wecom.sendWelcomeMessage', result: '{"errcode":0}' } });
      const again = await ledger.record({ key: 'run_1:welcome#0', tenantId: 'acme', effect: 'wecom.sendWelcomeMessage', result: '{"errcode":41051}' });
      expect(again).toEqual({ recorded: false, effect: first.effect });
      expect(await ledger.find('run_1:welcome#0')).toEqual(first.effect);
      expect(new Date(first.effect.recordedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    });

    it('two stores racing on the same keys: each key recorded exactly once, both read the winner', async () => {
      const other = current.handle.reopen();
      try {
        await other.migrate();
        const keys = Array.from({ length: 20 }, (_, i) => `run_race:step#${i}`);
        const attempts = keys.flatMap((key) => [current.store, other].map((s, j) => s.effects().record({ key, tenantId: 'acme', effect: 'http.fetch', result: `"from ${j}"` })));
        const results = await Promise.all(attempts);
        for (const [i, key] of keys.entries()) {
          const pair = results.slice(i * 2, i * 2 + 2);
          expect(pair.filter((r) => r.recorded), key).toHaveLength(1);
          expect(pair[0]!.effect).toEqual(pair[1]!.effect);
        }
      } finally {
        await other.close();
      }
    });
  });
}
