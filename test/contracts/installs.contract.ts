// Installs on every Store dialect (run by tenancy.contract.ts, which sets up the store): one active install per plugin
// and tenant, even when creates race; moves only from the state, version and config it is in; an uninstalled one
// purged with its data once its retention has passed, and nobody else's.
import { describe, expect, it } from 'vitest';
import { iso, t0 } from './store.fixtures.ts';
import { app, install, installKeyed, owned, tenant, type TenancyContext } from './tenancy-fixtures.ts';

export function installCases(ctx: TenancyContext): void {
  describe('installs', () => {
    it('creates an active install and gets it back whole; an unknown id is undefined', async () => {
      const installs = ctx.handle.store.installs();
      const made = install('inst_1', 'acme', 'acme.notes', { grants: ['contacts.read', 'messages.send'], webhookSecret: 'sealed:hook', wecomApp: 'crm' });
      const expected = { ...made, status: 'active', createdAt: iso(t0), updatedAt: iso(t0), uninstalledAt: null, retainUntil: null };
      expect(await installs.create(made, t0)).toEqual({ ok: true, install: expected });
      expect(await installs.get('inst_1')).toEqual(expected);
      expect(await installs.get('INST_1')).toBeUndefined();
      await installs.create(install('inst_2', 'acme', 'acme.bare', { grants: [], config: '' }), t0);
      expect(await installs.get('inst_2')).toMatchObject({ grants: [], config: '', webhookSecret: null, wecomApp: null });
    });

    it('refuses a taken id (exists) and a second active install of a plugin in a tenant (plugin_installed)', async () => {
      const installs = ctx.handle.store.installs();
      await installs.create(install('inst_1', 'acme', 'acme.notes'), t0);
      expect(await installs.create(install('inst_1', 'beta', 'acme.other'), t0)).toEqual({ ok: false, reason: 'exists' });
      expect(await installs.create(install('inst_2', 'acme', 'acme.notes'), t0)).toEqual({ ok: false, reason: 'plugin_installed' });
      // Another tenant may install the same plugin.
      expect(await installs.create(install('inst_3', 'beta', 'acme.notes'), t0)).toMatchObject({ ok: true });
      // Once uninstalled, the plugin may be installed again, but its id stays taken.
      await installs.uninstall('inst_1', t0 + 1, t0 + 100);
      expect(await installs.create(install('inst_1', 'acme', 'acme.notes'), t0 + 2)).toEqual({ ok: false, reason: 'exists' });
      expect(await installs.create(install('inst_4', 'acme', 'acme.notes'), t0 + 2)).toMatchObject({ ok: true, install: { id: 'inst_4', status: 'active' } });
      expect((await installs.list()).map((i) => `${i.id}:${i.status}`)).toEqual(['inst_1:uninstalled', 'inst_4:active', 'inst_3:active']);
    });

    it('racing installs across stores: one wins each id and each plugin of a tenant', async () => {
      await ctx.withOther(async (other) => {
        const stores = [ctx.handle.store, other];
        for (let round = 0; round < 4; round++) {
          const samePlugin = await Promise.all(Array.from({ length: 6 }, (_, i) =>
            stores[i % 2]!.installs().create(install(`inst_${round}_${i}`, 'acme', `acme.p${round}`), t0)));
          expect(samePlugin.filter((a) => a.ok)).toHaveLength(1);
          for (const a of samePlugin) if (!a.ok) expect(a).toEqual({ ok: false, reason: 'plugin_installed' });
          const sameId = await Promise.all(Array.from({ length: 6 }, (_, i) =>
            stores[i % 2]!.installs().create(install(`id_${round}`, `tenant_${i}`, `acme.id${round}`), t0)));
          expect(sameId.filter((a) => a.ok)).toHaveLength(1);
          for (const a of sameId) if (!a.ok) expect(a).toEqual({ ok: false, reason: 'exists' });
        }
        expect(await ctx.handle.store.installs().list()).toHaveLength(8);
      });
    });

    it('lists ordered by tenant then id (code point order), filtered by tenant, plugin and status', async () => {
      const installs = ctx.handle.store.installs();
      await installs.create(install('i_b', 'beta', 'acme.notes'), t0);
      await installs.create(install('i_a', 'beta', 'acme.crm'), t0);
      await installs.create(install('I_z', 'acme', 'acme.notes'), t0);
      await installs.create(install('i_c', 'Acme', 'acme.notes'), t0);
      await installs.uninstall('i_a', t0 + 1, t0 + 2);
      const ids = async (filter?: Parameters<typeof installs.list>[0]) => (await installs.list(filter)).map((i) => i.id);
      expect(await ids()).toEqual(['i_c', 'I_z', 'i_a', 'i_b']);
      expect(await ids({ tenantId: 'beta' })).toEqual(['i_a', 'i_b']);
      expect(await ids({ pluginId: 'acme.notes' })).toEqual(['i_c', 'I_z', 'i_b']);
      expect(await ids({ status: 'uninstalled' })).toEqual(['i_a']);
      expect(await ids({ tenantId: 'beta', status: 'active', pluginId: 'acme.notes' })).toEqual(['i_b']);
      expect(await ids({ tenantId: 'nope' })).toEqual([]);
    });

    it('upgrades only from the stated version and only while active; one of racing upgrades wins', async () => {
      const installs = ctx.handle.store.installs();
      const made = install('inst_1', 'acme', 'acme.notes', { webhookSecret: 'sealed:hook', wecomApp: 'crm' });
      await installs.create(made, t0);
      const change = { fromVersion: '1.0.0', fromConfig: made.config, version: '1.1.0', grants: ['contacts.read', 'messages.send'], config: 'sealed:config:2' };
      // A config edited since it was read is not overwritten.
      expect(await installs.upgrade('inst_1', { ...change, fromConfig: 'sealed:config:stale' }, t0 + 1)).toBeUndefined();
      const upgraded = await installs.upgrade('inst_1', change, t0 + 1);
      expect(upgraded).toEqual({
        ...made, version: '1.1.0', grants: change.grants, config: 'sealed:config:2', status: 'active',
        createdAt: iso(t0), updatedAt: iso(t0 + 1), uninstalledAt: null, retainUntil: null,
      });
      // Stale: it is no longer at 1.0.0.
      expect(await installs.upgrade('inst_1', { ...change, version: '2.0.0' }, t0 + 2)).toBeUndefined();
      expect(await installs.get('inst_1')).toEqual(upgraded);
      expect(await installs.upgrade('nope', change, t0)).toBeUndefined();
      await ctx.withOther(async (other) => {
        const answers = await Promise.all(Array.from({ length: 6 }, (_, i) =>
          [ctx.handle.store, other][i % 2]!.installs().upgrade('inst_1', { ...change, fromVersion: '1.1.0', fromConfig: 'sealed:config:2', version: `2.0.${i}` }, t0 + 10 + i)));
        const won = answers.filter((a) => a !== undefined);
        expect(won).toHaveLength(1);
        expect(await other.installs().get('inst_1')).toEqual(won[0]);
      });
      const current = (await installs.get('inst_1'))!;
      await installs.uninstall('inst_1', t0 + 100, t0 + 200);
      expect(await installs.upgrade('inst_1', { ...change, fromVersion: current.version, fromConfig: current.config, version: '3.0.0' }, t0 + 101)).toBeUndefined();
      expect(await installs.get('inst_1')).toMatchObject({ version: current.version, status: 'uninstalled' });
    });

    it('updates config, webhook secret and wecom app of an active install; a key left out stays, null clears', async () => {
      const installs = ctx.handle.store.installs();
      const made = install('inst_1', 'acme', 'acme.notes', { webhookSecret: 'sealed:hook', wecomApp: 'crm' });
      await installs.create(made, t0);
      const base = { ...made, status: 'active', createdAt: iso(t0), uninstalledAt: null, retainUntil: null };
      expect(await installs.update('inst_1', { config: 'sealed:config:2' }, t0 + 1)).toEqual({ ...base, config: 'sealed:config:2', updatedAt: iso(t0 + 1) });
      expect(await installs.update('inst_1', { webhookSecret: null }, t0 + 2))
        .toEqual({ ...base, config: 'sealed:config:2', webhookSecret: null, updatedAt: iso(t0 + 2) });
      expect(await installs.update('inst_1', { wecomApp: null, webhookSecret: 'sealed:hook:2', config: undefined }, t0 + 3))
        .toEqual({ ...base, config: 'sealed:config:2', webhookSecret: 'sealed:hook:2', wecomApp: null, updatedAt: iso(t0 + 3) });
      expect(await installs.update('inst_1', { wecomApp: 'notes' }, t0 + 4)).toMatchObject({ wecomApp: 'notes', webhookSecret: 'sealed:hook:2', config: 'sealed:config:2' });
      expect(await installs.update('nope', { config: 'x' }, t0)).toBeUndefined();
      await installs.uninstall('inst_1', t0 + 5, t0 + 6);
      expect(await installs.update('inst_1', { config: 'x' }, t0 + 7)).toBeUndefined();
      expect(await installs.get('inst_1')).toMatchObject({ config: 'sealed:config:2', status: 'uninstalled', updatedAt: iso(t0 + 5) });
    });

    it('uninstalls an active install once, recording when and until when its data is kept', async () => {
      const installs = ctx.handle.store.installs();
      const made = install('inst_1', 'acme', 'acme.notes');
      await installs.create(made, t0);
      const expected = {
        ...made, status: 'uninstalled', createdAt: iso(t0), updatedAt: iso(t0 + 10), uninstalledAt: iso(t0 + 10), retainUntil: iso(t0 + 1000),
      };
      expect(await installs.uninstall('inst_1', t0 + 10, t0 + 1000)).toEqual(expected);
      expect(await installs.uninstall('inst_1', t0 + 20, t0 + 2000)).toBeUndefined();
      expect(await installs.get('inst_1')).toEqual(expected);
      expect(await installs.uninstall('nope', t0, t0)).toBeUndefined();
    });

    it('purges uninstalled installs whose retainUntil has passed, with their storage, ticks and usage; never an active one', async () => {
      const { store } = ctx.handle;
      const installs = store.installs();
      for (const id of ['gone', 'gone_too', 'kept', 'active']) await ctx.seed(`t_${id}`, id);
      await installs.uninstall('gone', t0, t0 + 100);
      await installs.uninstall('gone_too', t0, t0 + 50);
      await installs.uninstall('kept', t0, t0 + 101);
      // Through the stores as well as in SQL: what the host itself writes is found.
      await store.pluginKv().set('gone', 'written', '{"n":1}', { maxKeys: 10, maxBytes: 1000 });
      await store.scheduleTicks().claim({ installId: 'gone', triggerId: 'daily', tickAt: t0 }, 'host', t0 + 1, t0);
      expect(await installs.purgeDue(t0 + 100)).toEqual(['gone', 'gone_too']);
      for (const id of ['gone', 'gone_too']) {
        expect(await installs.get(id)).toBeUndefined();
        const left = await ctx.counts(`t_${id}`, id);
        for (const table of Object.keys(owned)) expect([table, left[table]]).toEqual([table, installKeyed.includes(table) || table === 'installs' ? 0 : 1]);
      }
      expect(await store.pluginKv().usage('gone')).toEqual({ keys: 0, bytes: 0 });
      for (const id of ['kept', 'active']) expect(await ctx.counts(`t_${id}`, id)).toEqual(ctx.all(1));
      expect(await installs.purgeDue(t0 + 100)).toEqual([]);
      expect(await installs.purgeDue(Number.MAX_SAFE_INTEGER)).toEqual(['kept']);
      expect((await installs.list()).map((i) => i.id)).toEqual(['active']);
    });

    it('an install purge leaves the tenants alone, and a tenant purge takes its installs', async () => {
      const { store } = ctx.handle;
      await store.tenants().create(tenant('acme', 'ww_acme'), t0);
      await store.installs().create(install('inst_1', 'acme', 'acme.notes'), t0);
      await store.installs().uninstall('inst_1', t0, t0 + 1);
      expect(await store.installs().purgeDue(t0 + 1)).toEqual(['inst_1']);
      expect(await store.tenants().get('acme')).toBeDefined();
      await store.installs().create(install('inst_2', 'acme', 'acme.notes'), t0);
      await store.tenants().disable('acme', t0, t0 + 1);
      expect(await store.tenants().purgeDue(t0 + 1)).toEqual(['acme']);
      expect(await store.installs().list()).toEqual([]);
    });
  });
}
