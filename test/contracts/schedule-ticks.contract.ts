// Schedule ticks on every Store dialect: one claim per tick across workers, takeover of a tick whose claimer died.
import { describe, expect, it } from 'vitest';
import { useMigratedStore, type StoreHandle } from './store.fixtures.ts';

const tick = { installId: 'pos', triggerId: 'nightly', tickAt: Date.parse('2026-11-23T19:00:00Z') };

export function scheduleTicksContract(name: string, makeStore: () => Promise<StoreHandle>): void {
  describe(`schedule tick contract: ${name}`, () => {
    const current = useMigratedStore(makeStore);
    const ticks = () => current.store.scheduleTicks();

    it('gives a tick to the first claimer only, and not again once done', async () => {
      const now = Date.now();
      expect(await ticks().claim(tick, 'w1', now + 10_000, now)).toBe(true);
      expect(await ticks().claim(tick, 'w2', now + 10_000, now)).toBe(false);
      expect(await ticks().claim({ ...tick, tickAt: tick.tickAt + 60_000 }, 'w2', now + 10_000, now)).toBe(true);
      expect(await ticks().done(tick, 'w2')).toBe(false);
      expect(await ticks().done(tick, 'w1')).toBe(true);
      expect(await ticks().claim(tick, 'w2', now + 30_000, now + 20_000)).toBe(false);
    });

    it('hands a tick whose claim ended undone to the next claimer, and lists it as abandoned until then', async () => {
      const now = Date.now();
      await ticks().claim(tick, 'w1', now + 100, now);
      expect(await ticks().abandoned(now + 50, 10, ['pos'])).toEqual([]);
      expect(await ticks().abandoned(now + 101, 10, ['other'])).toEqual([]);
      expect(await ticks().abandoned(now + 101, 10, ['other', 'pos'])).toEqual([tick]);
      expect(await ticks().claim(tick, 'w2', now + 10_000, now + 101)).toBe(true);
      expect(await ticks().done(tick, 'w1')).toBe(false);
      expect(await ticks().done(tick, 'w2', { code: 'plugin.error', message: 'boom' })).toBe(true);
      expect(await ticks().abandoned(now + 20_000, 10, ['pos'])).toEqual([]);
    });

    it('prunes ticks done before a time; undone ticks stay', async () => {
      const now = Date.now();
      const later = { ...tick, tickAt: tick.tickAt + 60_000 };
      await ticks().claim(tick, 'w1', now + 10_000, now);
      await ticks().claim(later, 'w1', now + 10_000, now);
      await ticks().done(tick, 'w1');
      expect(await ticks().prune(now - 60_000)).toBe(0);
      expect(await ticks().prune(Date.now() + 1)).toBe(1);
      expect(await ticks().claim(tick, 'w2', now + 10_000, now)).toBe(true); // gone, so claimable as new
      expect(await ticks().claim(later, 'w2', now + 10_000, now)).toBe(false);
    });

    it('two stores claiming the same ticks at once: each tick goes to exactly one', async () => {
      const other = current.handle.reopen();
      try {
        const now = Date.now();
        const all = Array.from({ length: 50 }, (_, i) => ({ ...tick, tickAt: tick.tickAt + i * 1000 }));
        const [a, b] = await Promise.all([current.store, other].map((store, w) =>
          Promise.all(all.map((t) => store.scheduleTicks().claim(t, `w${w}`, now + 10_000, now)))));
        expect(a!.map((won, i) => Number(won) + Number(b![i]))).toEqual(all.map(() => 1));
      } finally {
        await other.close();
      }
    });
  });
}
