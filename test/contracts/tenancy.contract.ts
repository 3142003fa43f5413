// Run-time tenants, apps, suite tickets, installs and the catalog revision on every Store dialect: a tenant id and a corp
// id are each held once (even when creates race), a suite's authorisation takes back the corp's own tenant, a disabled
// tenant's purge deletes every row the host keeps under it and no one else's, an install is one per plugin and tenant
// while active and moves only from the state (and version) it is in, and the revision only ever moves by one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InstallStore, NewTenant, StoredTenant, Store } from '../../core/src/store/types.ts';
import { iso, t0, type StoreHandle } from './store.fixtures.ts';

/** A store, plus plain SQL on its database from outside the store. */
export interface TenancyHandle extends StoreHandle {
  /** Runs one statement. */
  exec(sql: string): Promise<void>;
  /** The first column of the first row, as a number. */
  count(sql: string): Promise<number>;
  /** The tables of the migrated database that have a column of this name. */
  tablesWith(column: string): Promise<string[]>;
}

type NewInstall = Parameters<InstallStore['create']>[0];

const tenant = (id: string, corpId: string, extra: Partial<NewTenant> = {}): NewTenant => ({
  id, name: `Tenant ${id}`, corpId, timezone: 'Asia/Shanghai', contactQuota: null, origin: 'api', suiteId: null, permanentCode: null,
  suiteAgentId: null, ...extra,
});

const suiteTenant = (id: string, corpId: string, extra: Partial<NewTenant> = {}) => ({
  ...tenant(id, corpId, { origin: 'suite', ...extra }), suiteId: extra.suiteId ?? 'suite_a', permanentCode: extra.permanentCode ?? `sealed:code:${corpId}`,
});

const stored = (t: NewTenant, at: number, extra: Partial<StoredTenant> = {}): StoredTenant => ({
  ...t, status: 'active', createdAt: iso(at), updatedAt: iso(at), disabledAt: null, purgeAfter: null, ...extra,
});

const install = (id: string, tenantId: string, pluginId: string, extra: Partial<NewInstall> = {}): NewInstall => ({
  id, tenantId, pluginId, version: '1.0.0', grants: ['contacts.read'], config: `sealed:config:${id}`, webhookSecret: null, wecomApp: null, ...extra,
});

const app = (tenantId: string, id: string, extra: Partial<{ agentId: number | null; secret: string | null; token: string; encodingAesKey: string }> = {}) => ({
  tenantId, id, agentId: 1000002, secret: `sealed:secret:${id}`, token: `sealed:token:${id}`, encodingAesKey: `sealed:aes:${id}`, ...extra,
});

/**
 * One row in every table that keeps rows under a tenant, an install or a run: the insert, and the condition that finds
 * it again. Ids are plain ASCII, so they are written into the SQL as they are.
 */
const owned: Record<string, (t: string, i: string) => { insert: string; where: string }> = {
  inbox: (t) => ({
    insert: `INSERT INTO inbox (id, route, tenant_id, app_id, msg_signature, timestamp, nonce, encrypt, received_at, status)
      VALUES ('inb_${t}', 'app', '${t}', 'crm', 'sig', '1409659813', 'nonce_${t}', 'enc', 1, 'done')`,
    where: `tenant_id = '${t}'`,
  }),
  events: (t) => ({
    insert: `INSERT INTO events (id, tenant_id, app_id, type, occurred_at, received_at, dedup_key, data, raw, inbox_id)
      VALUES ('evt_${t}', '${t}', 'crm', 'message.text', 1, 1, 'dedup_${t}', '{}', '<xml/>', 'inb_${t}')`,
    where: `tenant_id = '${t}'`,
  }),
  plugin_kv: (_t, i) => ({
    insert: `INSERT INTO plugin_kv (install_id, key, value, bytes, updated_at) VALUES ('${i}', 'k', '"v"', 3, 1)`,
    where: `install_id = '${i}'`,
  }),
  workflows: (t) => ({
    insert: `INSERT INTO workflows (tenant_id, workflow_id, version, definition, created_at) VALUES ('${t}', 'wf', 1, '{}', 1)`,
    where: `tenant_id = '${t}'`,
  }),
  effects: (t) => ({
    insert: `INSERT INTO effects (key, tenant_id, effect, result, recorded_at) VALUES ('run_${t}:send:0', '${t}', 'http', '{}', 1)`,
    where: `tenant_id = '${t}'`,
  }),
  runs: (t) => ({
    insert: `INSERT INTO runs (id, tenant_id, workflow_id, version, trigger_key, trigger, status, vtime, created_at, updated_at)
      VALUES ('run_${t}', '${t}', 'wf', 1, 'evt_${t}', '{}', 'pending', 1, 1, 1)`,
    where: `tenant_id = '${t}'`,
  }),
  run_steps: (t) => ({
    insert: `INSERT INTO run_steps (run_id, step_path, attempt, status, started_at, finished_at) VALUES ('run_${t}', 'send', 1, 'completed', 1, 1)`,
    where: `run_id = 'run_${t}'`,
  }),
  run_lanes: (t) => ({
    insert: `INSERT INTO run_lanes (tenant_id, next_vtime) VALUES ('${t}', 2)`,
    where: `tenant_id = '${t}'`,
  }),
  schedule_ticks: (_t, i) => ({
    insert: `INSERT INTO schedule_ticks (install_id, trigger_id, tick_at, claimed_by, claimed_until) VALUES ('${i}', 'tick', 1, 'host', 1)`,
    where: `install_id = '${i}'`,
  }),
  contact_sends: (t) => ({
    insert: `INSERT INTO contact_sends (tenant_id, contact_id, key, sent_at) VALUES ('${t}', 'wm_contact', 'send_${t}', 1)`,
    where: `tenant_id = '${t}'`,
  }),
  api_tokens: (t) => ({
    insert: `INSERT INTO api_tokens (id, role, tenant_id, label, hash, created_at) VALUES ('tok_${t}', 'tenant', '${t}', 'ops', 'hash', 1)`,
    where: `tenant_id = '${t}'`,
  }),
  tenant_apps: (t) => ({
    insert: `INSERT INTO tenant_apps (tenant_id, app_id, token, encoding_aes_key, created_at, updated_at) VALUES ('${t}', 'crm', 'tok', 'aes', 1, 1)`,
    where: `tenant_id = '${t}'`,
  }),
  installs: (t, i) => ({
    insert: `INSERT INTO installs (id, tenant_id, plugin_id, version, grants, config, status, created_at, updated_at)
      VALUES ('${i}', '${t}', 'acme.notes', '1.0.0', '[]', 'sealed', 'active', 1, 1)`,
    where: `tenant_id = '${t}'`,
  }),
  usage_counters: (t, i) => ({
    insert: `INSERT INTO usage_counters (tenant_id, plugin_id, install_id, month, invocations, cpu_ms, wecom_calls, effects)
      VALUES ('${t}', 'acme.notes', '${i}', '2025-01', 1, 2, 3, 4)`,
    where: `install_id = '${i}'`,
  }),
  usage_subjects: (t, i) => ({
    insert: `INSERT INTO usage_subjects (tenant_id, plugin_id, install_id, month, kind, subject) VALUES ('${t}', 'acme.notes', '${i}', '2025-01', 'staff', 'zhangsan')`,
    where: `install_id = '${i}'`,
  }),
};

const installKeyed = ['plugin_kv', 'schedule_ticks', 'usage_counters', 'usage_subjects'];

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

    describe('installs', () => {
      it('creates an active install and gets it back whole; an unknown id is undefined', async () => {
        const installs = handle.store.installs();
        const made = install('inst_1', 'acme', 'acme.notes', { grants: ['contacts.read', 'messages.send'], webhookSecret: 'sealed:hook', wecomApp: 'crm' });
        const expected = { ...made, status: 'active', createdAt: iso(t0), updatedAt: iso(t0), uninstalledAt: null, retainUntil: null };
        expect(await installs.create(made, t0)).toEqual({ ok: true, install: expected });
        expect(await installs.get('inst_1')).toEqual(expected);
        expect(await installs.get('INST_1')).toBeUndefined();
        await installs.create(install('inst_2', 'acme', 'acme.bare', { grants: [], config: '' }), t0);
        expect(await installs.get('inst_2')).toMatchObject({ grants: [], config: '', webhookSecret: null, wecomApp: null });
      });

      it('refuses a taken id (exists) and a second active install of a plugin in a tenant (plugin_installed)', async () => {
        const installs = handle.store.installs();
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
        await withOther(async (other) => {
          const stores = [handle.store, other];
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
          expect(await handle.store.installs().list()).toHaveLength(8);
        });
      });

      it('lists ordered by tenant then id (code point order), filtered by tenant, plugin and status', async () => {
        const installs = handle.store.installs();
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
        const installs = handle.store.installs();
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
        await withOther(async (other) => {
          const answers = await Promise.all(Array.from({ length: 6 }, (_, i) =>
            [handle.store, other][i % 2]!.installs().upgrade('inst_1', { ...change, fromVersion: '1.1.0', fromConfig: 'sealed:config:2', version: `2.0.${i}` }, t0 + 10 + i)));
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
        const installs = handle.store.installs();
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
        const installs = handle.store.installs();
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
        const { store } = handle;
        const installs = store.installs();
        for (const id of ['gone', 'gone_too', 'kept', 'active']) await seed(`t_${id}`, id);
        await installs.uninstall('gone', t0, t0 + 100);
        await installs.uninstall('gone_too', t0, t0 + 50);
        await installs.uninstall('kept', t0, t0 + 101);
        // Through the stores as well as in SQL: what the host itself writes is found.
        await store.pluginKv().set('gone', 'written', '{"n":1}', { maxKeys: 10, maxBytes: 1000 });
        await store.scheduleTicks().claim({ installId: 'gone', triggerId: 'daily', tickAt: t0 }, 'host', t0 + 1, t0);
        expect(await installs.purgeDue(t0 + 100)).toEqual(['gone', 'gone_too']);
        for (const id of ['gone', 'gone_too']) {
          expect(await installs.get(id)).toBeUndefined();
          const left = await counts(`t_${id}`, id);
          for (const table of Object.keys(owned)) expect([table, left[table]]).toEqual([table, installKeyed.includes(table) || table === 'installs' ? 0 : 1]);
        }
        expect(await store.pluginKv().usage('gone')).toEqual({ keys: 0, bytes: 0 });
        for (const id of ['kept', 'active']) expect(await counts(`t_${id}`, id)).toEqual(all(1));
        expect(await installs.purgeDue(t0 + 100)).toEqual([]);
        expect(await installs.purgeDue(Number.MAX_SAFE_INTEGER)).toEqual(['kept']);
        expect((await installs.list()).map((i) => i.id)).toEqual(['active']);
      });

      it('an install purge leaves the tenants alone, and a tenant purge takes its installs', async () => {
        const { store } = handle;
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
