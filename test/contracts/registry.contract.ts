// The plugin registry on every Store dialect: versions are immutable and a plugin id belongs to the first vendor that
// published it (even when two vendors race on a new id), listings filter and come newest first without bundles unless
// asked, and a review moves a version only along submitted → approved | rejected and approved → yanked.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PluginRegistry, PluginVersionFilter } from '../../core/src/store/types.ts';
import { iso, t0, useMigratedStore, type StoreHandle } from './store.fixtures.ts';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

type Submission = Parameters<PluginRegistry['submit']>[0];

const submission = (pluginId: string, version: string, vendorId: string, extra: Partial<Submission> = {}): Submission => {
  const bundle = extra.bundle ?? `export default { id: ${JSON.stringify(pluginId)}, version: ${JSON.stringify(version)} };`;
  return {
    pluginId, version, vendorId,
    manifest: JSON.stringify({ id: pluginId, version, name: `Plugin ${pluginId}`, description: `does ${pluginId} things` }),
    bundle, sha256: sha256(bundle), readme: `# ${pluginId}`, categories: ['crm'], permissions: ['contacts.read'], at: t0,
    ...extra,
  };
};

export function registryContract(name: string, makeStore: () => Promise<StoreHandle>): void {
  describe(`plugin registry contract: ${name}`, () => {
    const current = useMigratedStore(makeStore);

    it('is the same object on every call', () => {
      expect(current.store.registry()).toBe(current.store.registry());
    });

    it('submits a version as submitted and gets it back whole; an unknown version is undefined', async () => {
      const registry = current.store.registry();
      const manifest = JSON.stringify({ id: 'crm-sync', name: '客户同步 — “CRM” 😀', description: 'syncs' });
      const bundle = 'export default () => "💡 \\u0000 \'quoted\'";\n'.repeat(50);
      const answer = await registry.submit({
        ...submission('crm-sync', '1.0.0', 'v_one'), manifest, bundle, sha256: sha256(bundle), readme: null,
        categories: ['crm', '销售'], permissions: ['contacts.read', 'messages.send'],
      });
      const expected = {
        pluginId: 'crm-sync', version: '1.0.0', vendorId: 'v_one', manifest, bundle, sha256: sha256(bundle), readme: null,
        categories: ['crm', '销售'], permissions: ['contacts.read', 'messages.send'], status: 'submitted', reason: null,
        submittedAt: iso(t0), reviewedAt: null, reviewedBy: null,
      };
      expect(answer).toEqual({ ok: true, version: expected });
      expect(await registry.get('crm-sync', '1.0.0')).toEqual(expected);
      expect(await registry.get('crm-sync', '1.0.1')).toBeUndefined();
      expect(await registry.get('CRM-SYNC', '1.0.0')).toBeUndefined();
      expect(await registry.get('nope', '1.0.0')).toBeUndefined();
      // Empty arrays and a readme come back as given.
      await registry.submit({ ...submission('bare', '0.1.0', 'v_one'), categories: [], permissions: [], readme: '' });
      expect(await registry.get('bare', '0.1.0')).toMatchObject({ categories: [], permissions: [], readme: '' });
    });

    it('keeps versions immutable: a taken (plugin id, version) answers exists and changes nothing', async () => {
      const registry = current.store.registry();
      const first = await registry.submit(submission('crm-sync', '1.0.0', 'v_one'));
      expect(first.ok).toBe(true);
      expect(await registry.submit(submission('crm-sync', '1.0.0', 'v_one', { bundle: 'changed', at: t0 + 1 }))).toEqual({ ok: false, reason: 'exists' });
      expect(await registry.get('crm-sync', '1.0.0')).toEqual(first.ok && first.version);
      // A new version of the same plugin by the same vendor is fine.
      expect(await registry.submit(submission('crm-sync', '1.0.1', 'v_one'))).toMatchObject({ ok: true, version: { version: '1.0.1' } });
      expect((await registry.list()).map((v) => v.version).sort()).toEqual(['1.0.0', '1.0.1']);
    });

    it('refuses another vendor on a published plugin id, naming the owner, whatever the version', async () => {
      const registry = current.store.registry();
      await registry.submit(submission('crm-sync', '1.0.0', 'v_one'));
      expect(await registry.submit(submission('crm-sync', '2.0.0', 'v_two'))).toEqual({ ok: false, reason: 'owned', vendorId: 'v_one' });
      expect(await registry.submit(submission('crm-sync', '1.0.0', 'v_two'))).toEqual({ ok: false, reason: 'owned', vendorId: 'v_one' });
      // Still owned after the only version is rejected.
      await registry.review('crm-sync', '1.0.0', { status: 'rejected', reason: 'no', by: 'ops', at: t0 });
      expect(await registry.submit(submission('crm-sync', '3.0.0', 'v_two'))).toEqual({ ok: false, reason: 'owned', vendorId: 'v_one' });
      expect(await registry.list({ pluginId: 'crm-sync' })).toHaveLength(1);
      expect(await registry.list({ vendorId: 'v_two' })).toEqual([]);
    });

    it('two vendors racing on a new plugin id: exactly one wins, across stores on the database', async () => {
      const other = current.handle.reopen();
      try {
        await other.migrate();
        const stores = [current.store, other];
        for (let round = 0; round < 5; round++) {
          const pluginId = `race-${round}`;
          const answers = await Promise.all(Array.from({ length: 8 }, (_, i) =>
            stores[i % 2]!.registry().submit(submission(pluginId, `1.0.${i}`, `v_${i % 4}`))));
          const winners = answers.filter((a) => a.ok);
          const stored = await current.store.registry().list({ pluginId });
          const owner = stored[0]!.vendorId;
          expect(stored.every((v) => v.vendorId === owner)).toBe(true);
          expect(winners.length).toBe(stored.length);
          expect(winners.length).toBeGreaterThanOrEqual(1);
          // Each vendor submitted two versions: the owner's both went in, everyone else was told who owns it.
          expect(winners.length).toBe(2);
          for (const a of answers) if (!a.ok) expect(a).toEqual({ ok: false, reason: 'owned', vendorId: owner });
        }
      } finally {
        await other.close();
      }
    });

    it('lists newest submitted first, filtered by vendor, status, plugin, category, permission, text and limit', async () => {
      const registry = current.store.registry();
      const made: Submission[] = [
        submission('crm-sync', '1.0.0', 'v_one', { at: t0, categories: ['crm', 'sales'], permissions: ['contacts.read'] }),
        submission('crm-sync', '1.1.0', 'v_one', { at: t0 + 10, categories: ['crm'], permissions: ['contacts.read', 'messages.send'] }),
        submission('greeter', '0.1.0', 'v_two', {
          at: t0 + 20, categories: ['welcome'], permissions: ['messages.send'],
          manifest: JSON.stringify({ id: 'greeter', name: 'Auto Greeter', description: '新客户欢迎语 100%_off' }),
        }),
        submission('notes', '2.0.0', 'v_two', { at: t0 + 30, categories: [], permissions: [] }),
        // Same time as notes: plugin id then version break the tie, descending.
        submission('zeta', '1.0.0', 'v_three', { at: t0 + 30, categories: ['crmx'], permissions: ['contacts.readwrite'] }),
      ];
      for (const m of made) expect((await registry.submit(m)).ok).toBe(true);
      await registry.review('crm-sync', '1.0.0', { status: 'approved', reason: null, by: 'ops', at: t0 + 100 });
      await registry.review('greeter', '0.1.0', { status: 'rejected', reason: 'spam', by: 'ops', at: t0 + 100 });
      const keys = async (filter?: PluginVersionFilter) => (await registry.list(filter)).map((v) => `${v.pluginId}@${v.version}`);
      const all = ['zeta@1.0.0', 'notes@2.0.0', 'greeter@0.1.0', 'crm-sync@1.1.0', 'crm-sync@1.0.0'];
      expect(await keys()).toEqual(all);
      expect(await keys({})).toEqual(all);
      expect(await keys({ vendorId: 'v_two' })).toEqual(['notes@2.0.0', 'greeter@0.1.0']);
      expect(await keys({ status: 'submitted' })).toEqual(['zeta@1.0.0', 'notes@2.0.0', 'crm-sync@1.1.0']);
      expect(await keys({ status: 'approved' })).toEqual(['crm-sync@1.0.0']);
      expect(await keys({ status: 'rejected' })).toEqual(['greeter@0.1.0']);
      expect(await keys({ status: 'yanked' })).toEqual([]);
      expect(await keys({ pluginId: 'crm-sync' })).toEqual(['crm-sync@1.1.0', 'crm-sync@1.0.0']);
      expect(await keys({ pluginId: 'crm' })).toEqual([]);
      // Whole elements only: 'crm' is not 'crmx', 'contacts.read' is not 'contacts.readwrite'.
      expect(await keys({ category: 'crm' })).toEqual(['crm-sync@1.1.0', 'crm-sync@1.0.0']);
      expect(await keys({ category: 'sales' })).toEqual(['crm-sync@1.0.0']);
      expect(await keys({ category: 'cr' })).toEqual([]);
      expect(await keys({ permission: 'contacts.read' })).toEqual(['crm-sync@1.1.0', 'crm-sync@1.0.0']);
      expect(await keys({ permission: 'messages.send' })).toEqual(['greeter@0.1.0', 'crm-sync@1.1.0']);
      // Text: case-insensitive, in the plugin id or the manifest's name or description; % and _ are plain characters.
      expect(await keys({ text: 'CRM' })).toEqual(['crm-sync@1.1.0', 'crm-sync@1.0.0']);
      expect(await keys({ text: 'greeter' })).toEqual(['greeter@0.1.0']);
      expect(await keys({ text: 'auto g' })).toEqual(['greeter@0.1.0']);
      expect(await keys({ text: '欢迎' })).toEqual(['greeter@0.1.0']);
      expect(await keys({ text: '100%_' })).toEqual(['greeter@0.1.0']);
      expect(await keys({ text: '%' })).toEqual(['greeter@0.1.0']);
      expect(await keys({ text: 'THINGS' })).toEqual(['zeta@1.0.0', 'notes@2.0.0', 'crm-sync@1.1.0', 'crm-sync@1.0.0']);
      expect(await keys({ text: 'nothing like it' })).toEqual([]);
      // Limit, alone and with filters.
      expect(await keys({ limit: 2 })).toEqual(['zeta@1.0.0', 'notes@2.0.0']);
      expect(await keys({ limit: 1, vendorId: 'v_one' })).toEqual(['crm-sync@1.1.0']);
      expect(await keys({ limit: 100 })).toEqual(all);
      // Combined filters, and an undefined filter is no filter.
      expect(await keys({ vendorId: 'v_one', status: 'submitted', category: 'crm', permission: 'messages.send', text: 'sync' })).toEqual(['crm-sync@1.1.0']);
      expect(await keys({ vendorId: undefined, status: undefined, text: undefined, limit: undefined })).toEqual(all);
      const listed = await registry.list();
      const times = listed.map((v) => Date.parse(v.submittedAt));
      expect(times).toEqual([...times].sort((x, y) => y - x));
    });

    it('omits the bundle and README from listings unless asked; everything else matches get', async () => {
      const registry = current.store.registry();
      await registry.submit(submission('crm-sync', '1.0.0', 'v_one'));
      await registry.submit(submission('greeter', '0.1.0', 'v_two', { at: t0 + 1 }));
      const full = [await registry.get('greeter', '0.1.0'), await registry.get('crm-sync', '1.0.0')];
      expect(full.every((v) => v!.bundle.length > 0)).toBe(true);
      expect(await registry.list()).toEqual(full.map((v) => ({ ...v, bundle: '', readme: null })));
      expect(await registry.list({ withBundle: false })).toEqual(full.map((v) => ({ ...v, bundle: '', readme: null })));
      expect(await registry.list({ withBundle: true })).toEqual(full);
      expect(await registry.list({ withBundle: true, vendorId: 'v_one' })).toEqual([full[1]]);
    });

    it('reviews along the allowed moves, recording reason, time and reviewer', async () => {
      const registry = current.store.registry();
      const submitted = await registry.submit(submission('crm-sync', '1.0.0', 'v_one'));
      if (!submitted.ok) throw new Error('not submitted');
      await registry.submit(submission('crm-sync', '1.0.1', 'v_one'));
      const approved = await registry.review('crm-sync', '1.0.0', { status: 'approved', reason: null, by: 'ops_a', at: t0 + 1000 });
      expect(approved).toEqual({ ok: true, version: { ...submitted.version, status: 'approved', reason: null, reviewedAt: iso(t0 + 1000), reviewedBy: 'ops_a' } });
      expect(await registry.get('crm-sync', '1.0.0')).toEqual(approved?.ok && approved.version);
      const yanked = await registry.review('crm-sync', '1.0.0', { status: 'yanked', reason: 'leaks tokens', by: 'ops_b', at: t0 + 2000 });
      expect(yanked).toEqual({ ok: true, version: { ...submitted.version, status: 'yanked', reason: 'leaks tokens', reviewedAt: iso(t0 + 2000), reviewedBy: 'ops_b' } });
      expect(await registry.get('crm-sync', '1.0.0')).toEqual(yanked?.ok && yanked.version);
      const rejected = await registry.review('crm-sync', '1.0.1', { status: 'rejected', reason: 'broken', by: 'ops_a', at: t0 + 3000 });
      expect(rejected).toMatchObject({ ok: true, version: { status: 'rejected', reason: 'broken', reviewedAt: iso(t0 + 3000), reviewedBy: 'ops_a' } });
    });

    it('refuses a move the version is not in a state for, answering its status and changing nothing', async () => {
      const registry = current.store.registry();
      await registry.submit(submission('a', '1.0.0', 'v_one'));
      await registry.submit(submission('b', '1.0.0', 'v_one'));
      await registry.submit(submission('c', '1.0.0', 'v_one'));
      const review = (pluginId: string, status: 'approved' | 'rejected' | 'yanked') =>
        registry.review(pluginId, '1.0.0', { status, reason: 'x', by: 'ops_late', at: t0 + 9000 });
      // submitted cannot be yanked.
      expect(await review('a', 'yanked')).toEqual({ ok: false, from: 'submitted' });
      expect(await registry.get('a', '1.0.0')).toMatchObject({ status: 'submitted', reason: null, reviewedAt: null, reviewedBy: null });
      // approved cannot be approved again or rejected.
      await registry.review('b', '1.0.0', { status: 'approved', reason: null, by: 'ops', at: t0 });
      const b = await registry.get('b', '1.0.0');
      expect(await review('b', 'approved')).toEqual({ ok: false, from: 'approved' });
      expect(await review('b', 'rejected')).toEqual({ ok: false, from: 'approved' });
      expect(await registry.get('b', '1.0.0')).toEqual(b);
      // rejected is final.
      await registry.review('c', '1.0.0', { status: 'rejected', reason: 'no', by: 'ops', at: t0 });
      for (const status of ['approved', 'rejected', 'yanked'] as const) expect(await review('c', status)).toEqual({ ok: false, from: 'rejected' });
      // yanked is final.
      await registry.review('b', '1.0.0', { status: 'yanked', reason: 'bad', by: 'ops', at: t0 });
      for (const status of ['approved', 'rejected', 'yanked'] as const) expect(await review('b', status)).toEqual({ ok: false, from: 'yanked' });
      expect(await registry.get('b', '1.0.0')).toMatchObject({ status: 'yanked', reason: 'bad', reviewedBy: 'ops', reviewedAt: iso(t0) });
    });

    it('reviewing an unknown version answers undefined and stores nothing', async () => {
      const registry = current.store.registry();
      await registry.submit(submission('a', '1.0.0', 'v_one'));
      expect(await registry.review('a', '9.9.9', { status: 'approved', reason: null, by: 'ops', at: t0 })).toBeUndefined();
      expect(await registry.review('nope', '1.0.0', { status: 'yanked', reason: null, by: 'ops', at: t0 })).toBeUndefined();
      expect(await registry.get('a', '9.9.9')).toBeUndefined();
      expect((await registry.list()).map((v) => `${v.pluginId}@${v.version}`)).toEqual(['a@1.0.0']);
    });

    it('racing reviews across stores: exactly one approval wins, the others see it approved', async () => {
      const other = current.handle.reopen();
      try {
        await other.migrate();
        await current.store.registry().submit(submission('a', '1.0.0', 'v_one'));
        const answers = await Promise.all(Array.from({ length: 6 }, (_, i) =>
          [current.store, other][i % 2]!.registry().review('a', '1.0.0', { status: i % 3 === 0 ? 'rejected' : 'approved', reason: null, by: `ops_${i}`, at: t0 + i })));
        const winners = answers.filter((a) => a?.ok);
        expect(winners).toHaveLength(1);
        const won = winners[0]!.ok ? winners[0]!.version : undefined;
        for (const a of answers) if (!a?.ok) expect(a).toEqual({ ok: false, from: won!.status });
        expect(await other.registry().get('a', '1.0.0')).toEqual(won);
      } finally {
        await other.close();
      }
    });
  });
}
