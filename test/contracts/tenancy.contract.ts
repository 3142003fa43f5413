// Run-time tenants, apps, suite tickets, installs and the catalog revision on every Store dialect: a tenant id and a corp
// id are each held once (even when creates race), a suite's authorisation takes back the corp's own suite tenant and
// never one made through the API, a disabled tenant's purge deletes every row the host keeps under it and no one
// else's, and the revision only ever moves by one. The installs' cases are in installs.contract.ts, run from here.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../core/src/store/types.ts';
import { installCases } from './installs.contract.ts';
import { iso, t0 } from './store.fixtures.ts';
import { app, install, owned, stored, suiteTenant, tenant, type TenancyContext, type TenancyHandle } from './tenancy-fixtures.ts';

export type { TenancyHandle };

export function tenancyContract(name: string, makeStore: () => Promise<TenancyHandle>): void {
  describe(`tenancy contract: ${name}`, () => {
    let handle: TenancyHandle;
    beforeEach(async () => {
      handle = await makeStore();
      await handle.store.migrate();
    });
    afterEach(() => handle.cleanup());

    /** Runs `work` with a second store on the same database, as a second host process would open it. */
    const withOther = async (work: (other: Store) => Promise<void>) => {
      const other = handle.reopen();
      try {
        await other.migrate();
        await work(other);
      } finally {
        await other.close();
      }
    };

    /** Inserts one row of each owned table for a tenant and one of its installs. */
    const seed = async (tenantId: string, installId: string) => {
      for (const table of Object.keys(owned)) await handle.exec(owned[table]!(tenantId, installId).insert);
    };
    /** Rows per owned table of a tenant and install. */
    const counts = async (tenantId: string, installId: string) => {
      const result: Record<string, number> = {};
      for (const table of Object.keys(owned)) {
        result[table] = await handle.count(`SELECT count(*) FROM ${table} WHERE ${owned[table]!(tenantId, installId).where}`);
      }
      return result;
    };
    const all = (n: number) => Object.fromEntries(Object.keys(owned).map((table) => [table, n]));
    const ctx: TenancyContext = { get handle() { return handle; }, withOther, seed, counts, all };

    it('is the same object on every call', () => {
      const { store } = handle;
      expect(store.tenants()).toBe(store.tenants());
      expect(store.installs()).toBe(store.installs());
      expect(store.catalogRevision()).toBe(store.catalogRevision());
    });

    describe('tenants', () => {
      it('creates an active tenant and finds it by id and by corp id; unknown ones are undefined', async () => {
        const tenants = handle.store.tenants();
        const made = tenant('acme', 'ww_acme', { name: '客户 — “Acme” 😀', contactQuota: '{"perDay":1}', timezone: 'Europe/Berlin' });
        const answer = await tenants.create(made, t0);
        expect(answer).toEqual({ ok: true, tenant: stored(made, t0) });
        expect(await tenants.get('acme')).toEqual(stored(made, t0));
        expect(await tenants.byCorpId('ww_acme')).toEqual(stored(made, t0));
        expect(await tenants.get('ACME')).toBeUndefined();
        expect(await tenants.get('nope')).toBeUndefined();
        expect(await tenants.byCorpId('ww_nope')).toBeUndefined();
      });

      it('keeps secret columns as the text given', async () => {
        const tenants = handle.store.tenants();
        const sealed = 'v1.AAECAwQ=.\\u0000 not base64 — 密 😀 \\ "q" \n ';
        const made = suiteTenant('suite_t', 'ww_s', { permanentCode: sealed, suiteAgentId: 1000017 });
        expect(await tenants.create(made, t0)).toEqual({ ok: true, tenant: stored(made, t0) });
        expect((await tenants.get('suite_t'))?.permanentCode).toBe(sealed);
        await tenants.putApp(app('suite_t', 'crm', { secret: sealed, token: `${sealed}t`, encodingAesKey: `${sealed}k` }), t0);
        expect((await tenants.apps('suite_t'))[0]).toMatchObject({ secret: sealed, token: `${sealed}t`, encodingAesKey: `${sealed}k` });
        await tenants.putSuiteTicket('suite_a', sealed, t0);
        expect(await tenants.suiteTicket('suite_a')).toEqual({ ticket: sealed, receivedAt: iso(t0) });
      });

      it('refuses a taken id (exists) and a corp another tenant holds (corp_taken), changing nothing', async () => {
        const tenants = handle.store.tenants();
        await tenants.create(tenant('acme', 'ww_acme'), t0);
        await tenants.create(tenant('beta', 'ww_beta'), t0);
        expect(await tenants.create(tenant('acme', 'ww_other', { name: 'changed' }), t0 + 1)).toEqual({ ok: false, reason: 'exists' });
        expect(await tenants.create(tenant('gamma', 'ww_acme'), t0 + 1)).toEqual({ ok: false, reason: 'corp_taken' });
        // Both taken: the id is named.
        expect(await tenants.create(tenant('acme', 'ww_beta'), t0 + 1)).toEqual({ ok: false, reason: 'exists' });
        // Even a disabled tenant holds its corp.
        await tenants.disable('beta', t0 + 2, null);
        expect(await tenants.create(tenant('delta', 'ww_beta'), t0 + 3)).toEqual({ ok: false, reason: 'corp_taken' });
        expect((await tenants.list()).map((t) => `${t.id}:${t.corpId}:${t.name}`)).toEqual(['acme:ww_acme:Tenant acme', 'beta:ww_beta:Tenant beta']);
      });

      it('racing creates across stores: one wins each id and each corp, the others are told why', async () => {
        await withOther(async (other) => {
          const stores = [handle.store, other];
          for (let round = 0; round < 4; round++) {
            const sameId = await Promise.all(Array.from({ length: 6 }, (_, i) =>
              stores[i % 2]!.tenants().create(tenant(`id_${round}`, `ww_${round}_${i}`), t0 + i)));
            expect(sameId.filter((a) => a.ok)).toHaveLength(1);
            for (const a of sameId) if (!a.ok) expect(a).toEqual({ ok: false, reason: 'exists' });
            const sameCorp = await Promise.all(Array.from({ length: 6 }, (_, i) =>
              stores[i % 2]!.tenants().create(tenant(`corp_${round}_${i}`, `ww_corp_${round}`), t0 + i)));
            expect(sameCorp.filter((a) => a.ok)).toHaveLength(1);
            for (const a of sameCorp) if (!a.ok) expect(a).toEqual({ ok: false, reason: 'corp_taken' });
          }
          expect(await handle.store.tenants().list()).toHaveLength(8);
        });
      });

      it('lists ordered by id (code point order), filtered by status and origin', async () => {
        const tenants = handle.store.tenants();
        for (const id of ['b', 'B', 'a', 'a_', 'A-2', '中']) {
          await tenants.create(id === 'b' || id === '中' ? suiteTenant(id, `ww_${id}`) : tenant(id, `ww_${id}`), t0);
        }
        await tenants.disable('a', t0 + 1, null);
        await tenants.disable('中', t0 + 1, t0 + 10);
        const ids = async (filter?: Parameters<typeof tenants.list>[0]) => (await tenants.list(filter)).map((t) => t.id);
        expect(await ids()).toEqual(['A-2', 'B', 'a', 'a_', 'b', '中']);
        expect(await ids({})).toEqual(['A-2', 'B', 'a', 'a_', 'b', '中']);
        expect(await ids({ status: 'active' })).toEqual(['A-2', 'B', 'a_', 'b']);
        expect(await ids({ status: 'disabled' })).toEqual(['a', '中']);
        expect(await ids({ origin: 'suite' })).toEqual(['b', '中']);
        expect(await ids({ origin: 'api', status: 'disabled' })).toEqual(['a']);
        expect(await ids({ origin: undefined, status: undefined })).toHaveLength(6);
      });

      it('updates name, timezone and contact quota; a key left out stays, null clears', async () => {
        const tenants = handle.store.tenants();
        const made = tenant('acme', 'ww_acme', { contactQuota: '{"perDay":2}' });
        await tenants.create(made, t0);
        expect(await tenants.update('acme', { name: 'Acme 2' }, t0 + 1)).toEqual(stored(made, t0, { name: 'Acme 2', updatedAt: iso(t0 + 1) }));
        expect(await tenants.update('acme', { timezone: 'UTC' }, t0 + 2)).toEqual(stored(made, t0, { name: 'Acme 2', timezone: 'UTC', updatedAt: iso(t0 + 2) }));
        expect(await tenants.update('acme', { contactQuota: '{"perDay":5}', name: undefined }, t0 + 3))
          .toEqual(stored(made, t0, { name: 'Acme 2', timezone: 'UTC', contactQuota: '{"perDay":5}', updatedAt: iso(t0 + 3) }));
        expect(await tenants.update('acme', { name: null, contactQuota: null }, t0 + 4))
          .toEqual(stored(made, t0, { name: null, timezone: 'UTC', contactQuota: null, updatedAt: iso(t0 + 4) }));
        expect(await tenants.update('acme', {}, t0 + 5)).toEqual(stored(made, t0, { name: null, timezone: 'UTC', contactQuota: null, updatedAt: iso(t0 + 5) }));
        expect(await tenants.get('acme')).toMatchObject({ name: null, timezone: 'UTC', contactQuota: null, corpId: 'ww_acme', status: 'active' });
        expect(await tenants.update('nope', { name: 'x' }, t0)).toBeUndefined();
        expect(await tenants.get('nope')).toBeUndefined();
      });

      it('authorise inserts a new corp, and gives a known corp its own tenant back, active, with the new credentials', async () => {
        const tenants = handle.store.tenants();
        const first = suiteTenant('acme', 'ww_acme', { suiteAgentId: 1000001 });
        expect(await tenants.authorise(first, t0)).toEqual({ ok: true, tenant: stored(first, t0), reactivated: false });
        // Authorised again (same suite): the same row, new code and agent id; name, timezone and origin stay.
        const again = suiteTenant('acme_2', 'ww_acme', { permanentCode: 'sealed:code:new', suiteAgentId: 1000002, name: 'ignored', timezone: 'UTC' });
        const expected = stored(first, t0, { permanentCode: 'sealed:code:new', suiteAgentId: 1000002, updatedAt: iso(t0 + 1) });
        expect(await tenants.authorise(again, t0 + 1)).toEqual({ ok: true, tenant: expected, reactivated: true });
        expect(await tenants.get('acme_2')).toBeUndefined();
        // Disabled (due for purge), then authorised by another suite: active again, nothing due.
        await tenants.disable('acme', t0 + 2, t0 + 100);
        const other = suiteTenant('acme', 'ww_acme', { suiteId: 'suite_b', permanentCode: 'sealed:code:b', suiteAgentId: null });
        const back = stored(first, t0, { suiteId: 'suite_b', permanentCode: 'sealed:code:b', suiteAgentId: null, updatedAt: iso(t0 + 3) });
        expect(await tenants.authorise(other, t0 + 3)).toEqual({ ok: true, tenant: back, reactivated: true });
        expect(await tenants.get('acme')).toEqual(back);
        expect(await tenants.purgeDue(t0 + 1000)).toEqual([]);
        // A corp made through the API is the platform team's: a suite neither takes it over nor brings it back.
        await tenants.create(tenant('beta', 'ww_beta'), t0);
        await tenants.disable('beta', t0 + 4, t0 + 100);
        const managed = await tenants.get('beta');
        expect(await tenants.authorise(suiteTenant('beta_suite', 'ww_beta'), t0 + 5)).toEqual({ ok: false, reason: 'corp_taken' });
        expect(await tenants.get('beta')).toEqual(managed);
        expect(await tenants.list()).toHaveLength(2);
      });

      it('authorise refuses an id another corp holds, changing nothing', async () => {
        const tenants = handle.store.tenants();
        await tenants.create(tenant('acme', 'ww_acme'), t0);
        const before = await tenants.get('acme');
        expect(await tenants.authorise(suiteTenant('acme', 'ww_new'), t0 + 1)).toEqual({ ok: false, reason: 'exists' });
        expect(await tenants.get('acme')).toEqual(before);
        expect(await tenants.byCorpId('ww_new')).toBeUndefined();
      });

      it('racing authorisations of one corp across stores: one inserts, the others take it back', async () => {
        await withOther(async (other) => {
          const stores = [handle.store, other];
          const answers = await Promise.all(Array.from({ length: 8 }, (_, i) =>
            stores[i % 2]!.tenants().authorise(suiteTenant(i < 4 ? 'acme' : `acme_${i}`, 'ww_acme', { permanentCode: `code_${i}` }), t0 + i)));
          expect(answers.every((a) => a.ok)).toBe(true);
          expect(answers.filter((a) => a.ok && !a.reactivated)).toHaveLength(1);
          const tenants = await handle.store.tenants().list();
          expect(tenants).toHaveLength(1);
          for (const a of answers) if (a.ok) expect(a.tenant.id).toBe(tenants[0]!.id);
        });
      });

      it('disable keeps the first time and sets purgeAfter; enable clears both; unknown ids are undefined', async () => {
        const tenants = handle.store.tenants();
        const made = tenant('acme', 'ww_acme');
        await tenants.create(made, t0);
        expect(await tenants.disable('acme', t0 + 10, t0 + 1000))
          .toEqual(stored(made, t0, { status: 'disabled', disabledAt: iso(t0 + 10), purgeAfter: iso(t0 + 1000), updatedAt: iso(t0 + 10) }));
        expect(await tenants.disable('acme', t0 + 20, null))
          .toEqual(stored(made, t0, { status: 'disabled', disabledAt: iso(t0 + 10), purgeAfter: null, updatedAt: iso(t0 + 20) }));
        expect(await tenants.enable('acme', t0 + 30)).toEqual(stored(made, t0, { updatedAt: iso(t0 + 30) }));
        expect(await tenants.disable('acme', t0 + 40, null))
          .toEqual(stored(made, t0, { status: 'disabled', disabledAt: iso(t0 + 40), updatedAt: iso(t0 + 40) }));
        expect(await tenants.get('acme')).toMatchObject({ status: 'disabled', disabledAt: iso(t0 + 40), purgeAfter: null });
        expect(await tenants.disable('nope', t0, null)).toBeUndefined();
        expect(await tenants.enable('nope', t0)).toBeUndefined();
      });

      it('puts apps (a replace keeps createdAt), deletes them, lists by tenant then app id; no app without its tenant', async () => {
        const tenants = handle.store.tenants();
        await tenants.create(tenant('b', 'ww_b'), t0);
        await tenants.create(tenant('a', 'ww_a'), t0);
        expect(await tenants.putApp(app('nope', 'crm'), t0)).toBeUndefined();
        const crm = app('b', 'crm');
        expect(await tenants.putApp(crm, t0 + 1)).toEqual({ ...crm, createdAt: iso(t0 + 1), updatedAt: iso(t0 + 1) });
        const replaced = app('b', 'crm', { agentId: null, secret: null, token: 'sealed:token:2', encodingAesKey: 'sealed:aes:2' });
        expect(await tenants.putApp(replaced, t0 + 5)).toEqual({ ...replaced, createdAt: iso(t0 + 1), updatedAt: iso(t0 + 5) });
        await tenants.putApp(app('b', 'Zeta'), t0 + 2);
        await tenants.putApp(app('a', 'notes'), t0 + 3);
        expect((await tenants.apps()).map((a) => `${a.tenantId}/${a.id}`)).toEqual(['a/notes', 'b/Zeta', 'b/crm']);
        expect((await tenants.apps('b')).map((a) => a.id)).toEqual(['Zeta', 'crm']);
        expect(await tenants.apps('b')).toContainEqual({ ...replaced, createdAt: iso(t0 + 1), updatedAt: iso(t0 + 5) });
        expect(await tenants.apps('nope')).toEqual([]);
        expect(await tenants.deleteApp('b', 'crm')).toBe(true);
        expect(await tenants.deleteApp('b', 'crm')).toBe(false);
        expect(await tenants.deleteApp('a', 'Zeta')).toBe(false);
        expect((await tenants.apps()).map((a) => `${a.tenantId}/${a.id}`)).toEqual(['a/notes', 'b/Zeta']);
      });

      it('keeps the newest suite ticket of each suite; an older one is ignored', async () => {
        const tenants = handle.store.tenants();
        expect(await tenants.suiteTicket('suite_a')).toBeUndefined();
        await tenants.putSuiteTicket('suite_a', 'sealed:1', t0 + 10);
        await tenants.putSuiteTicket('suite_a', 'sealed:old', t0 + 5);
        expect(await tenants.suiteTicket('suite_a')).toEqual({ ticket: 'sealed:1', receivedAt: iso(t0 + 10) });
        await tenants.putSuiteTicket('suite_a', 'sealed:2', t0 + 20);
        await tenants.putSuiteTicket('suite_b', 'sealed:b', t0);
        expect(await tenants.suiteTicket('suite_a')).toEqual({ ticket: 'sealed:2', receivedAt: iso(t0 + 20) });
        expect(await tenants.suiteTicket('suite_b')).toEqual({ ticket: 'sealed:b', receivedAt: iso(t0) });
        expect(await tenants.suiteTicket('suite_c')).toBeUndefined();
      });

      it('purges disabled tenants whose purgeAfter has passed, with every row kept under them, and no one else\'s', async () => {
        const { store } = handle;
        const tenants = store.tenants();
        for (const id of ['doomed', 'doomed_too', 'later', 'never', 'active', 'enabled']) await tenants.create(tenant(id, `ww_${id}`), t0);
        for (const id of ['doomed', 'doomed_too', 'later', 'never', 'active', 'enabled']) await seed(id, `inst_${id}`);
        // An uninstalled install's storage goes with its tenant too.
        await store.installs().uninstall('inst_doomed', t0, t0 + 1_000_000);
        await handle.exec(owned.installs!('doomed', 'inst_doomed_2').insert);
        await handle.exec(owned.plugin_kv!('doomed', 'inst_doomed_2').insert);
        await tenants.disable('doomed', t0, t0 + 100);
        await tenants.disable('doomed_too', t0, t0 + 50);
        await tenants.disable('later', t0, t0 + 101);
        await tenants.disable('never', t0, null);
        await tenants.disable('enabled', t0, t0 + 10);
        await tenants.enable('enabled', t0 + 20);
        const before = await counts('never', 'inst_never');
        expect(before).toEqual(all(1));

        expect(await tenants.purgeDue(t0 + 100)).toEqual(['doomed', 'doomed_too']);
        for (const id of ['doomed', 'doomed_too']) {
          expect(await tenants.get(id)).toBeUndefined();
          expect(await counts(id, `inst_${id}`)).toEqual(all(0));
        }
        expect(await handle.count("SELECT count(*) FROM plugin_kv WHERE install_id = 'inst_doomed_2'")).toBe(0);
        for (const id of ['later', 'never', 'active', 'enabled']) {
          expect(await tenants.get(id)).toBeDefined();
          expect(await counts(id, `inst_${id}`)).toEqual(all(1));
        }
        // The corp is free again.
        expect(await tenants.create(tenant('reborn', 'ww_doomed'), t0 + 200)).toMatchObject({ ok: true });
        expect(await tenants.purgeDue(t0 + 100)).toEqual([]);
        expect(await tenants.purgeDue(t0 + 101)).toEqual(['later']);
        expect((await tenants.list()).map((t) => t.id)).toEqual(['active', 'enabled', 'never', 'reborn']);
      });

      it('the purge covers every table that keeps rows under a tenant, an install or a run', async () => {
        const keyed = new Set<string>();
        for (const column of ['tenant_id', 'install_id', 'run_id']) for (const table of await handle.tablesWith(column)) keyed.add(table);
        // A new table with one of these columns needs a row in `owned` above, and a delete in the purges.
        expect([...keyed].sort()).toEqual(Object.keys(owned).sort());
      });
    });

    installCases(ctx);

    describe('catalog revision', () => {
      it('is 0 before any bump and moves by one per bump', async () => {
        const revision = handle.store.catalogRevision();
        expect(await revision.current()).toBe(0);
        expect(await revision.bump()).toBe(1);
        expect(await revision.bump()).toBe(2);
        expect(await revision.current()).toBe(2);
      });

      it('is not moved by the tenant and install stores themselves', async () => {
        const { store } = handle;
        await store.tenants().create(tenant('acme', 'ww_acme'), t0);
        await store.tenants().putApp(app('acme', 'crm'), t0);
        await store.installs().create(install('inst_1', 'acme', 'acme.notes'), t0);
        expect(await store.catalogRevision().current()).toBe(0);
      });

      it('racing bumps across stores each answer a value of their own, the first bumps included', async () => {
        await withOther(async (other) => {
          const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => [handle.store, other][i % 2]!.catalogRevision().bump()));
          expect([...answers].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
          expect(await other.catalogRevision().current()).toBe(20);
          expect(await handle.store.catalogRevision().current()).toBe(20);
        });
      });
    });

    it('keeps tenants, apps, tickets, installs and the revision across a reopen', async () => {
      const { store } = handle;
      await store.tenants().authorise(suiteTenant('acme', 'ww_acme', { suiteAgentId: 7 }), t0);
      await store.tenants().putApp(app('acme', 'crm'), t0);
      await store.tenants().putSuiteTicket('suite_a', 'sealed:ticket', t0);
      await store.installs().create(install('inst_1', 'acme', 'acme.notes'), t0);
      await store.catalogRevision().bump();
      const before = {
        tenants: await store.tenants().list(), apps: await store.tenants().apps(), ticket: await store.tenants().suiteTicket('suite_a'),
        installs: await store.installs().list(),
      };
      await withOther(async (other) => {
        expect({
          tenants: await other.tenants().list(), apps: await other.tenants().apps(), ticket: await other.tenants().suiteTicket('suite_a'),
          installs: await other.installs().list(),
        }).toEqual(before);
        expect(before.tenants).toHaveLength(1);
        expect(before.apps).toHaveLength(1);
        expect(before.installs).toHaveLength(1);
        expect(await other.catalogRevision().current()).toBe(1);
      });
    });
  });
}
