// Contact quotas on every Store dialect: a take counts a customer's sends per window and records its own atomically,
// so no number of concurrent takes, from one process or several, lets a customer pass a limit.
import { describe, expect, it } from 'vitest';
import type { QuotaWindow } from '../../core/src/store/types.ts';
import { t0, useMigratedStore, type StoreHandle } from './store.fixtures.ts';

const day = 86_400_000;
const send = (key: string, sentAt: number, contactId = 'wm_customer', tenantId = 'acme') => ({ tenantId, contactId, key, sentAt });
const month = (limit: number, since = t0 - 30 * day): QuotaWindow => ({ name: 'month', since, limit });

export function contactSendsContract(name: string, makeStore: () => Promise<StoreHandle>): void {
  describe(`contact sends contract: ${name}`, () => {
    const current = useMigratedStore(makeStore);

    it('is the same object on every call', () => {
      expect(current.store.contactSends()).toBe(current.store.contactSends());
    });

    it('counts sends under the limit and refuses at it, naming the window, without recording the refused send', async () => {
      const sends = current.store.contactSends();
      for (let i = 0; i < 3; i += 1) {
        expect(await sends.take(send(`k${i}`, t0 + i), [month(3)])).toEqual({ ok: true, counted: true });
      }
      expect(await sends.take(send('k3', t0 + 3), [month(3)])).toEqual({ ok: false, window: 'month', count: 3, limit: 3 });
      expect((await sends.list('acme', 'wm_customer', 0)).map((s) => s.key)).toEqual(['k2', 'k1', 'k0']);
      // A limit of zero refuses the first send.
      expect(await sends.take(send('z', t0, 'wm_new'), [{ name: 'closed', since: 0, limit: 0 }])).toEqual({ ok: false, window: 'closed', count: 0, limit: 0 });
    });

    it('counts only sends at or after each window\'s since, and names the first full window in the order given', async () => {
      const sends = current.store.contactSends();
      await sends.take(send('old', t0 - 10 * day), []);
      await sends.take(send('week', t0 - 3 * day), []);
      await sends.take(send('today', t0), []);
      const windows = (dayLimit: number): QuotaWindow[] => [
        { name: 'month', since: t0 - 30 * day, limit: 4 },
        { name: 'week', since: t0 - 7 * day, limit: 7 },
        // Exactly at `since` counts.
        { name: 'day', since: t0, limit: dayLimit },
      ];
      expect(await sends.take(send('next', t0 + 1), windows(1))).toEqual({ ok: false, window: 'day', count: 1, limit: 1 });
      expect(await sends.take(send('next', t0 + 1), windows(2))).toEqual({ ok: true, counted: true });
      // Now the month (4 sends) and the day (2) are both full: the month is named, being first.
      expect(await sends.take(send('later', t0 + 2), windows(2))).toEqual({ ok: false, window: 'month', count: 4, limit: 4 });
      // A send before a window's since does not count in it.
      expect(await sends.take(send('later', t0 + 2), [{ name: 'week', since: t0 - 7 * day, limit: 4 }]))
        .toEqual({ ok: true, counted: true });
    });

    it('counts a key once: a retried take answers counted: false, even when the window is full', async () => {
      const sends = current.store.contactSends();
      expect(await sends.take(send('run_1:mass#0', t0), [month(2)])).toEqual({ ok: true, counted: true });
      expect(await sends.take(send('run_1:mass#0', t0 + 5), [month(2)])).toEqual({ ok: true, counted: false });
      expect(await sends.take(send('run_2:mass#0', t0 + 6), [month(2)])).toEqual({ ok: true, counted: true });
      expect(await sends.take(send('run_2:mass#0', t0 + 7), [month(2)])).toEqual({ ok: true, counted: false });
      expect(await sends.take(send('run_3:mass#0', t0 + 8), [month(2)])).toEqual({ ok: false, window: 'month', count: 2, limit: 2 });
      // The retry kept the first record's time.
      expect(await sends.list('acme', 'wm_customer', 0)).toEqual([{ key: 'run_2:mass#0', sentAt: t0 + 6 }, { key: 'run_1:mass#0', sentAt: t0 }]);
    });

    it('release frees the slot of a send that did not happen, once', async () => {
      const sends = current.store.contactSends();
      await sends.take(send('a', t0), [month(2)]);
      await sends.take(send('b', t0 + 1), [month(2)]);
      expect(await sends.take(send('c', t0 + 2), [month(2)])).toMatchObject({ ok: false });
      expect(await sends.release('acme', 'wm_customer', 'b')).toBe(true);
      expect(await sends.release('acme', 'wm_customer', 'b')).toBe(false);
      // Releasing needs the right tenant and contact too.
      expect(await sends.release('other', 'wm_customer', 'a')).toBe(false);
      expect(await sends.release('acme', 'wm_other', 'a')).toBe(false);
      expect(await sends.take(send('c', t0 + 2), [month(2)])).toEqual({ ok: true, counted: true });
      expect((await sends.list('acme', 'wm_customer', 0)).map((s) => s.key)).toEqual(['c', 'a']);
    });

    it('keeps customers and tenants apart: one customer at its limit does not hold back another, nor the same id in another tenant', async () => {
      const sends = current.store.contactSends();
      expect(await sends.take(send('k', t0), [month(1)])).toEqual({ ok: true, counted: true });
      expect(await sends.take(send('k2', t0), [month(1)])).toMatchObject({ ok: false, count: 1 });
      // The same key under another customer or tenant is a different send.
      expect(await sends.take(send('k', t0, 'wm_other'), [month(1)])).toEqual({ ok: true, counted: true });
      expect(await sends.take(send('k', t0, 'wm_customer', 'globex'), [month(1)])).toEqual({ ok: true, counted: true });
      expect(await sends.list('acme', 'wm_customer', 0)).toEqual([{ key: 'k', sentAt: t0 }]);
      expect(await sends.list('acme', 'wm_other', 0)).toEqual([{ key: 'k', sentAt: t0 }]);
      expect(await sends.list('globex', 'wm_customer', 0)).toEqual([{ key: 'k', sentAt: t0 }]);
      expect(await sends.list('globex', 'wm_other', 0)).toEqual([]);
    });

    it('lists a customer\'s sends since a time, newest first', async () => {
      const sends = current.store.contactSends();
      for (const [key, at] of [['a', t0 - 2 * day], ['b', t0], ['c', t0 + day], ['d', t0 - day]] as const) await sends.take(send(key, at), []);
      expect(await sends.list('acme', 'wm_customer', t0 - day)).toEqual([
        { key: 'c', sentAt: t0 + day }, { key: 'b', sentAt: t0 }, { key: 'd', sentAt: t0 - day },
      ]);
      expect(await sends.list('acme', 'wm_customer', t0 + 2 * day)).toEqual([]);
    });

    it('prunes sends older than a time, of every customer and tenant, and answers how many', async () => {
      const sends = current.store.contactSends();
      await sends.take(send('old', t0 - 40 * day), []);
      await sends.take(send('old', t0 - 35 * day, 'wm_other', 'globex'), []);
      await sends.take(send('edge', t0 - 30 * day), []);
      await sends.take(send('new', t0), []);
      expect(await sends.prune(t0 - 30 * day)).toBe(2);
      expect(await sends.prune(t0 - 30 * day)).toBe(0);
      expect((await sends.list('acme', 'wm_customer', 0)).map((s) => s.key)).toEqual(['new', 'edge']);
      expect(await sends.list('globex', 'wm_other', 0)).toEqual([]);
    });

    it('20 concurrent takes for one customer, from two stores on the database, with limit 5: exactly 5 pass', async () => {
      const other = current.handle.reopen();
      try {
        await other.migrate();
        const stores = [current.store, other];
        const windows: QuotaWindow[] = [{ name: 'day', since: t0, limit: 5 }];
        // Another customer taking at the same time is counted on its own.
        const bystanders = Array.from({ length: 4 }, (_, i) => stores[i % 2]!.contactSends().take(send(`b${i}`, t0 + i, 'wm_bystander'), windows));
        const verdicts = await Promise.all(Array.from({ length: 20 }, (_, i) =>
          stores[i % 2]!.contactSends().take(send(`race_${i}`, t0 + i), windows)));
        expect(verdicts.filter((v) => v.ok)).toHaveLength(5);
        expect(verdicts.filter((v) => v.ok && v.counted)).toHaveLength(5);
        for (const v of verdicts.filter((v) => !v.ok)) expect(v).toEqual({ ok: false, window: 'day', count: 5, limit: 5 });
        expect(await current.store.contactSends().list('acme', 'wm_customer', 0)).toHaveLength(5);
        expect((await Promise.all(bystanders)).every((v) => v.ok)).toBe(true);
      } finally {
        await other.close();
      }
    });

    it('concurrent retries of one key, from two stores, count it once', async () => {
      const other = current.handle.reopen();
      try {
        await other.migrate();
        const stores = [current.store, other];
        const verdicts = await Promise.all(Array.from({ length: 10 }, (_, i) =>
          stores[i % 2]!.contactSends().take(send('run_1:mass#0', t0 + i), [month(5)])));
        expect(verdicts.every((v) => v.ok)).toBe(true);
        expect(verdicts.filter((v) => v.ok && v.counted)).toHaveLength(1);
        expect(await current.store.contactSends().list('acme', 'wm_customer', 0)).toHaveLength(1);
      } finally {
        await other.close();
      }
    });
  });
}
