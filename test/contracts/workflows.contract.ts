// The workflow repository on every Store dialect: versions, idempotent apply, concurrent apply from two stores.
import { describe, expect, it } from 'vitest';
import { useMigratedStore, type StoreHandle } from './store.fixtures.ts';

const definition = (text: string) => JSON.stringify({ id: 'welcome', name: text, steps: [] });

export function workflowsContract(name: string, makeStore: () => Promise<StoreHandle>): void {
  describe(`workflow repository contract: ${name}`, () => {
    const current = useMigratedStore(makeStore);

    it('numbers versions from 1, keeps every version, and reads the latest by default', async () => {
      const repo = current.store.workflows();
      expect(await repo.get('acme', 'welcome')).toBeUndefined();
      expect(await repo.apply('acme', 'welcome', definition('v1'))).toEqual({ version: 1, created: true });
      expect(await repo.apply('acme', 'welcome', definition('v2'))).toEqual({ version: 2, created: true });
      expect((await repo.get('acme', 'welcome'))?.definition).toBe(definition('v2'));
      expect(await repo.get('acme', 'welcome', 1)).toMatchObject({ tenantId: 'acme', workflowId: 'welcome', version: 1, definition: definition('v1') });
      expect(await repo.get('acme', 'welcome', 3)).toBeUndefined();
      expect(new Date((await repo.get('acme', 'welcome'))!.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    });

    it('applying the latest text again stores nothing', async () => {
      const repo = current.store.workflows();
      await repo.apply('acme', 'welcome', definition('v1'));
      expect(await repo.apply('acme', 'welcome', definition('v1'))).toEqual({ version: 1, created: false });
      await repo.apply('acme', 'welcome', definition('v2'));
      // Going back to an older text is a change: it becomes version 3.
      expect(await repo.apply('acme', 'welcome', definition('v1'))).toEqual({ version: 3, created: true });
    });

    it('lists the latest version of each workflow, per tenant or all, tenants kept apart', async () => {
      const repo = current.store.workflows();
      await repo.apply('acme', 'welcome', definition('a1'));
      await repo.apply('acme', 'welcome', definition('a2'));
      await repo.apply('acme', 'birthday', definition('b1'));
      await repo.apply('zeta', 'welcome', definition('z1'));
      const acme = await repo.listLatest('acme');
      expect(acme.map((w) => [w.workflowId, w.version])).toEqual([['birthday', 1], ['welcome', 2]]);
      expect((await repo.listLatest()).map((w) => `${w.tenantId}/${w.workflowId}@${w.version}`)).toEqual(['acme/birthday@1', 'acme/welcome@2', 'zeta/welcome@1']);
      expect(await repo.get('zeta', 'birthday')).toBeUndefined();
    });

    it('two stores applying different texts at once get distinct versions, none lost', async () => {
      const other = current.handle.reopen();
      try {
        await other.migrate();
        const texts = Array.from({ length: 10 }, (_, i) => definition(`concurrent-${i}`));
        const results = await Promise.all(texts.map((text, i) => (i % 2 ? other : current.store).workflows().apply('acme', 'race', text)));
        expect(results.map((r) => r.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        const stored = await Promise.all(results.map((r) => current.store.workflows().get('acme', 'race', r.version)));
        expect(new Set(stored.map((w) => w?.definition))).toEqual(new Set(texts));
      } finally {
        await other.close();
      }
    });
  });
}
