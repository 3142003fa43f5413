// The one behaviour every Store must show; store.sqlite.test.ts and store.pg.test.ts run it against real databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboxRow, Store } from '../../core/src/store/types.ts';
import { envelope, eventFor, iso, recordingDecoder, t0, trickyData, trickyRaw, type StoreHandle } from './store.fixtures.ts';

export type { StoreHandle } from './store.fixtures.ts';

export function storeContract(name: string, makeStore: () => Promise<StoreHandle>): void {
  describe(`Store contract: ${name}`, () => {
    let handle: StoreHandle;
    let store: Store;
    const others: Store[] = [];
    const reopen = (): Store => {
      const s = handle.reopen();
      others.push(s);
      return s;
    };

    beforeEach(async () => {
      handle = await makeStore();
      store = handle.store;
    });
    afterEach(async () => {
      for (const s of others.splice(0)) await s.close();
      await handle.cleanup();
    });

    it('is not ready before migrate, is after, and migrate is idempotent', async () => {
      expect(await store.ready()).toBe(false);
      await store.migrate();
      expect(await store.ready()).toBe(true);
      await store.migrate();
      await reopen().migrate();
      expect(await store.ready()).toBe(true);
      expect(await store.countInbox('pending')).toBe(0);
    });

    describe('once migrated', () => {
      beforeEach(async () => {
        await store.migrate();
      });

      it('appends a batch, returning ids in order, durably across a reopen', async () => {
        expect(await store.appendInbox([])).toEqual([]);
        const batch = [envelope({ receivedAt: t0 }), envelope({ receivedAt: t0 }), envelope({ route: 'suite', tenantId: null, appId: null, suiteId: 'ww1', receivedAt: t0 })];
        const ids = await store.appendInbox(batch);
        expect(ids).toHaveLength(3);
        expect(new Set(ids).size).toBe(3);
        await store.close();
        const rows = await reopen().listInbox('pending');
        expect(rows.map((r) => r.id)).toEqual(ids);
        expect(rows).toEqual(batch.map((e, i) => ({ ...e, id: ids[i], status: 'pending', errorCode: null, errorMessage: null, eventId: null, processedAt: null })));
      });

      it('stores dead-letter envelopes as dead with their code and message, outside the queue', async () => {
        const [id] = await store.appendInbox([envelope({ deadLetter: { code: 'wecom.decrypt_failed', message: 'bad padding' } })]);
        await store.appendInbox([envelope()]);
        expect(await store.countInbox('pending')).toBe(1);
        const [dead] = await store.listInbox('dead');
        expect(dead).toMatchObject({ id, status: 'dead', errorCode: 'wecom.decrypt_failed', errorMessage: 'bad padding', eventId: null });
        expect(dead?.processedAt).toEqual(expect.any(Number));
        const { seen, decode } = recordingDecoder();
        await store.decodePending(10, decode);
        expect(seen.map((r) => r.id)).not.toContain(id);
      });

      it('decodes oldest first, within the limit, and writes the events', async () => {
        const ids = await store.appendInbox([envelope({ receivedAt: t0 + 30 }), envelope({ receivedAt: t0 + 10 }), envelope({ receivedAt: t0 + 20 })]);
        const { seen, decode } = recordingDecoder();
        const first = await store.decodePending(2, decode);
        expect(first).toEqual({ processed: 2, inserted: 2, duplicates: 0, dead: 0, receivedAt: [t0 + 10, t0 + 20] });
        expect(seen.map((r) => r.id)).toEqual([ids[1], ids[2]]);
        expect(await store.countInbox('pending')).toBe(1);
        const second = await store.decodePending(10, decode);
        expect(second).toMatchObject({ processed: 1, inserted: 1, receivedAt: [t0 + 30] });
        expect(await store.decodePending(10, decode)).toEqual({ processed: 0, inserted: 0, duplicates: 0, dead: 0, receivedAt: [] });

        const done = await store.listInbox('done');
        expect(done.map((r) => r.id)).toEqual([ids[1], ids[2], ids[0]]);
        const stored = await store.listEvents({});
        expect(stored.map((e) => e.inboxId)).toEqual([ids[0], ids[2], ids[1]]);
        for (const row of done) {
          expect(row.processedAt).toEqual(expect.any(Number));
          const event = stored.find((e) => e.inboxId === row.id);
          expect(row.eventId).toBe(event?.id);
          expect(event).toEqual({ ...eventFor(row, { id: event?.id }), raw: `<xml>${row.encrypt}</xml>`, inboxId: row.id });
        }
      });

      it('dedups by dedupKey, within a batch and across batches, pointing rows at the existing event', async () => {
        const [a] = await store.appendInbox([envelope({ nonce: 'same' })]);
        const { decode } = recordingDecoder();
        await store.decodePending(10, decode);
        const [original] = await store.listEvents({});
        await store.appendInbox([envelope({ nonce: 'same' }), envelope({ nonce: 'same' }), envelope({ nonce: 'other' })]);
        const result = await store.decodePending(10, decode);
        expect(result).toMatchObject({ processed: 3, inserted: 1, duplicates: 2, dead: 0 });
        expect(await store.countEvents()).toBe(2);
        const done = await store.listInbox('done');
        expect(done.filter((r) => r.nonce === 'same').map((r) => r.eventId)).toEqual([original?.id, original?.id, original?.id]);
        expect(original?.inboxId).toBe(a);
      });

      it('marks dead outcomes, thrown decoders and unstorable events dead without stopping the batch', async () => {
        const ids = await store.appendInbox([envelope(), envelope(), envelope(), envelope(), envelope(), envelope()]);
        const { decode } = recordingDecoder((row: InboxRow) => {
          if (row.id === ids[0]) return { kind: 'dead', code: 'wecom.message_invalid', message: 'not XML' };
          if (row.id === ids[1]) throw new Error('decoder bug');
          if (row.id === ids[3]) return { kind: 'event', event: eventFor(row, { occurredAt: 'yesterday-ish' }), raw: '<xml/>' };
          if (row.id === ids[4]) return { kind: 'event', event: eventFor(row), raw: 'nul\u0000inside' };
          if (row.id === ids[5]) return { kind: 'event', event: eventFor(row, { data: { lone: '\uD800' } }), raw: '<xml/>' };
          return { kind: 'event', event: eventFor(row), raw: '<xml/>' };
        });
        expect(await store.decodePending(10, decode)).toMatchObject({ processed: 6, inserted: 1, duplicates: 0, dead: 5 });
        const dead = await store.listInbox('dead');
        expect(dead.map((r) => [r.id, r.errorCode])).toEqual([
          [ids[0], 'wecom.message_invalid'], [ids[1], 'internal'], [ids[3], 'internal'], [ids[4], 'internal'], [ids[5], 'internal'],
        ]);
        expect(dead[0]?.errorMessage).toBe('not XML');
        expect(dead[1]?.errorMessage).toContain('decoder bug');
        expect(dead.every((r) => r.eventId === null && typeof r.processedAt === 'number')).toBe(true);
        expect((await store.listInbox('done')).map((r) => r.id)).toEqual([ids[2]]);
        expect(await store.countEvents()).toBe(1);
      });

      it('lists events by tenant, suite and type, newest first, within the limit; counts them', async () => {
        const specs = [
          { tenantId: 'acme', suiteId: null, type: 'message.text' },
          { tenantId: 'acme', suiteId: null, type: 'contact.changed' },
          { tenantId: 'beta', suiteId: 'ww1', type: 'message.text' },
          { tenantId: 'beta', suiteId: 'ww1', type: 'message.text' },
          { tenantId: null, suiteId: 'ww1', type: 'suite.ticket' },
        ];
        await store.appendInbox(specs.map((s, i) => envelope({ tenantId: s.tenantId, suiteId: s.suiteId, nonce: `${s.type}|${i}`, receivedAt: t0 + i * 1000 })));
        await store.decodePending(10, recordingDecoder((row) => ({ kind: 'event', event: eventFor(row, { type: row.nonce.split('|')[0] }), raw: '' })).decode);
        const at = (events: { receivedAt: string }[]) => events.map((e) => (Date.parse(e.receivedAt) - t0) / 1000);
        expect(at(await store.listEvents({}))).toEqual([4, 3, 2, 1, 0]);
        expect(at(await store.listEvents({ tenantId: 'acme' }))).toEqual([1, 0]);
        expect(at(await store.listEvents({ suiteId: 'ww1' }))).toEqual([4, 3, 2]);
        expect(at(await store.listEvents({ type: 'message.text' }))).toEqual([3, 2, 0]);
        expect(at(await store.listEvents({ tenantId: 'beta', suiteId: 'ww1', type: 'message.text', limit: 1 }))).toEqual([3]);
        expect(await store.listEvents({ limit: 0 })).toEqual([]);
        expect(await store.countEvents()).toBe(5);
        expect(await store.countEvents({ tenantId: 'acme' })).toBe(2);
        expect(await store.countEvents({ suiteId: 'ww1', type: 'message.text' })).toBe(2);
        expect(await store.countEvents({ tenantId: 'nobody' })).toBe(0);
      });

      it('lists at most 100 events by default and 100 inbox rows by default', async () => {
        await store.appendInbox(Array.from({ length: 105 }, () => envelope()));
        expect(await store.listInbox('pending')).toHaveLength(100);
        expect(await store.listInbox('pending', 3)).toHaveLength(3);
        expect(await store.countInbox('pending')).toBe(105);
        await store.decodePending(1000, recordingDecoder().decode);
        expect(await store.listEvents({})).toHaveLength(100);
        expect(await store.countEvents()).toBe(105);
        expect(await store.countInbox('pending')).toBe(0);
      });

      it('round-trips data JSON and raw text exactly, across a reopen', async () => {
        await store.appendInbox([envelope({ tenantId: '租户', nonce: '随机' })]);
        await store.decodePending(1, recordingDecoder((row) => ({ kind: 'event', event: eventFor(row, { data: trickyData }), raw: trickyRaw })).decode);
        await store.close();
        const [event] = await reopen().listEvents({ tenantId: '租户' });
        expect(event?.data).toStrictEqual(trickyData);
        expect(event?.raw).toBe(trickyRaw);
        expect(Buffer.from(event?.raw ?? '', 'utf8').equals(Buffer.from(trickyRaw, 'utf8'))).toBe(true);
        expect(event?.dedupKey).toBe('随机');
        expect(event?.occurredAt).toBe(iso(Date.parse(event?.receivedAt ?? '') - 1000));
      });

      it('never hands one row to two stores draining the same database at once', async () => {
        const total = 500;
        for (let i = 0; i < total; i += 100) await store.appendInbox(Array.from({ length: 100 }, () => envelope()));
        const decodedTimes = new Map<string, number>();
        const { decode } = recordingDecoder((row) => {
          decodedTimes.set(row.id, (decodedTimes.get(row.id) ?? 0) + 1);
          return { kind: 'event', event: eventFor(row), raw: row.id };
        });
        const drain = async (s: Store): Promise<number> => {
          let processed = 0;
          for (;;) {
            const batch = await s.decodePending(20, decode);
            if (batch.processed === 0) return processed;
            processed += batch.processed;
          }
        };
        const counts = await Promise.all([drain(store), drain(reopen()), drain(reopen())]);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
        expect(decodedTimes.size).toBe(total);
        expect([...decodedTimes.values()].every((n) => n === 1)).toBe(true);
        expect(await store.countEvents()).toBe(total);
        const done = await store.listInbox('done', total);
        expect(done).toHaveLength(total);
        expect(new Set(done.map((r) => r.eventId)).size).toBe(total);
        const events = await store.listEvents({ limit: total });
        expect(events.every((e) => e.raw === e.inboxId)).toBe(true);
      });
    });
  });
}
