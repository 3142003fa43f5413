// The run repository on every Store dialect: routing, fair claiming, leases, checkpoints, history and pruning.
import { describe, expect, it } from 'vitest';
import { newId } from '../../core/src/ids.ts';
import type { NewRun, RunRepository, StepRecord, Store, StoredEvent } from '../../core/src/store/types.ts';
import { envelope, eventFor, recordingDecoder, trickyData, trickyRaw, useMigratedStore, type StoreHandle } from './store.fixtures.ts';

const newRun = (overrides: Partial<NewRun> = {}): NewRun => ({
  id: newId('run'), tenantId: 'acme', workflowId: 'welcome', version: 1, triggerKey: newId('evt'), trigger: '{}', ...overrides,
});

/** Routes each run in a call of its own, as the router does event by event. */
async function routeEach(runs: RunRepository, list: NewRun[]): Promise<void> {
  for (const run of list) await runs.route([run], []);
}

/** Stores an event per envelope through the inbox, as the ingress and the decoder would; answers them oldest first. */
async function storeEvents(store: Store, envelopes: Parameters<typeof envelope>[0][]): Promise<StoredEvent[]> {
  await store.appendInbox(envelopes.map((e) => envelope(e)));
  const { decode } = recordingDecoder((row) => ({ kind: 'event', event: eventFor(row, { data: trickyData }), raw: trickyRaw }));
  await store.decodePending(100, decode);
  return (await store.listEvents({})).reverse();
}

const step = (runId: string, stepPath: string, overrides: Partial<StepRecord> = {}): StepRecord => ({
  runId, stepPath, attempt: 1, status: 'completed', input: null, output: null, failure: null, startedAt: 1000, finishedAt: 2000, ...overrides,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function runsContract(name: string, makeStore: () => Promise<StoreHandle>): void {
  describe(`run repository contract: ${name}`, () => {
    const current = useMigratedStore(makeStore);
    const runs = () => current.store.runs();

    describe('routing', () => {
      it('creates a pending run once per trigger, keeping its texts byte for byte', async () => {
        const trigger = JSON.stringify(trickyData);
        const run = newRun({ triggerKey: 'evt_1', trigger, version: 3 });
        const before = Date.now();
        expect(await runs().route([run], [])).toEqual([run.id]);
        // The same trigger again, under a new run id, as a router redoing a batch would route it.
        expect(await runs().route([newRun({ triggerKey: 'evt_1' })], [])).toEqual([]);
        const stored = await runs().get(run.id);
        expect(stored).toMatchObject({
          id: run.id, tenantId: 'acme', workflowId: 'welcome', version: 3, triggerKey: 'evt_1', status: 'pending',
          cursor: null, wakeAt: null, leaseOwner: null, leaseUntil: null, failure: null, finishedAt: null,
        });
        expect(stored!.trigger).toBe(trigger);
        expect(stored!.createdAt).toBeGreaterThanOrEqual(before);
        expect(stored!.updatedAt).toBe(stored!.createdAt);
        expect(await runs().countByStatus()).toEqual({ pending: 1 });
        // The key is unique per (tenant, workflow): other workflows and tenants may use it.
        const others = [newRun({ triggerKey: 'evt_1', workflowId: 'birthday' }), newRun({ triggerKey: 'evt_1', tenantId: 'zeta' })];
        expect(await runs().route(others, [])).toEqual(others.map((r) => r.id));
        expect(await runs().get('run_missing')).toBeUndefined();
      });

      it('lists unrouted events oldest first, and marks routed only the events named', async () => {
        const events = await storeEvents(current.store, [{}, { tenantId: null, suiteId: 'suite1', route: 'suite' }, {}]);
        const unrouted = await runs().unroutedEvents(10);
        expect(unrouted.map((e) => e.id)).toEqual(events.map((e) => e.id));
        expect(unrouted[1]!.tenantId).toBeNull();
        expect(unrouted[0]).toEqual(events[0]);
        expect(unrouted[0]!.data).toEqual(trickyData);
        expect(unrouted[0]!.raw).toBe(trickyRaw);
        expect((await runs().unroutedEvents(2)).map((e) => e.id)).toEqual(events.slice(0, 2).map((e) => e.id));

        const run = newRun({ triggerKey: events[0]!.id });
        expect(await runs().route([run], [events[0]!.id, events[1]!.id])).toEqual([run.id]);
        expect((await runs().unroutedEvents(10)).map((e) => e.id)).toEqual([events[2]!.id]);
        // An event no workflow wants is routed with no runs.
        expect(await runs().route([], [events[2]!.id])).toEqual([]);
        expect(await runs().unroutedEvents(10)).toEqual([]);
        expect(await runs().unroutedEvents(0)).toEqual([]);
      });

      it('stores a run that failed at routing as failed and finished; it is never claimed and takes no place in the lane', async () => {
        const failure = { code: 'workflow.trigger_condition', message: 'condition threw: 中文 "x"' };
        const failed = newRun({ failure });
        const before = Date.now();
        expect(await runs().route([failed], [])).toEqual([failed.id]);
        const stored = await runs().get(failed.id);
        expect(stored).toMatchObject({ status: 'failed', failure, leaseOwner: null });
        expect(stored!.finishedAt).toBeGreaterThanOrEqual(before);
        expect(await runs().claim('w1', { limit: 10, leaseMs: 1000, now: Date.now() })).toEqual([]);

        const next = newRun();
        await runs().route([next], []);
        expect((await runs().get(next.id))!.vtime).toBe(0);
        expect(await runs().countByStatus()).toEqual({ failed: 1, pending: 1 });
      });

      it("advances a tenant's lane only for runs inserted", async () => {
        const first = newRun({ triggerKey: 'k1' });
        await runs().route([first], []);
        await runs().route([newRun({ triggerKey: 'k1' })], []);
        const second = newRun({ triggerKey: 'k2' });
        await runs().route([second], []);
        expect([(await runs().get(first.id))!.vtime, (await runs().get(second.id))!.vtime]).toEqual([0, 1]);
      });
    });

    describe('claiming', () => {
      it("leases pending runs in route order, and a tenant's flood does not hold back another tenant's first run", async () => {
        const flood = Array.from({ length: 100 }, () => newRun({ tenantId: 'acme' }));
        await runs().route(flood.slice(0, 50), []);
        await routeEach(runs(), flood.slice(50));
        const other = newRun({ tenantId: 'zeta' });
        await runs().route([other], []);

        const now = Date.now();
        const batches: string[][] = [];
        for (;;) {
          const batch = await runs().claim('w1', { limit: 10, leaseMs: 60_000, now });
          if (batch.length === 0) break;
          batches.push(batch.map((r) => r.id));
        }
        expect(batches.flat()).toHaveLength(101);
        expect(batches.slice(0, 2).flat()).toContain(other.id);
        expect(batches.flat().filter((id) => id !== other.id)).toEqual(flood.map((r) => r.id));
      });

      it("a tenant's past flood does not send its next run behind a newcomer's flood", async () => {
        await runs().route(Array.from({ length: 20 }, () => newRun({ tenantId: 'acme' })), []);
        const now = Date.now();
        expect(await runs().claim('w1', { limit: 20, leaseMs: 60_000, now })).toHaveLength(20);
        // The queue is empty now; zeta starts a flood, then acme routes one run.
        await routeEach(runs(), Array.from({ length: 30 }, () => newRun({ tenantId: 'zeta' })));
        const late = newRun({ tenantId: 'acme' });
        await runs().route([late], []);
        const next = await runs().claim('w1', { limit: 3, leaseMs: 60_000, now });
        expect(next.map((r) => r.id)).toContain(late.id);
      });

      it('sets the lease and answers the runs as updated', async () => {
        const run = newRun();
        await runs().route([run], []);
        const now = Date.now() + 5000;
        const [claimed] = await runs().claim('w1', { limit: 5, leaseMs: 1000, now });
        expect(claimed).toMatchObject({ id: run.id, status: 'running', leaseOwner: 'w1', leaseUntil: now + 1000, updatedAt: now, wakeAt: null });
        expect(await runs().get(run.id)).toEqual(claimed);
        expect(await runs().claim('w2', { limit: 5, leaseMs: 1000, now })).toEqual([]);
        expect(await runs().claim('w2', { limit: 0, leaseMs: 1000, now: now + 2000 })).toEqual([]);
      });

      it('claims none of the excluded tenants, due or pending', async () => {
        const [acmeDue, acmePending, zeta] = [newRun({ tenantId: 'acme' }), newRun({ tenantId: 'acme' }), newRun({ tenantId: 'zeta' })];
        const now = Date.now();
        await runs().route([acmeDue], []);
        await runs().claim('w1', { limit: 1, leaseMs: 10, now });
        await runs().route([acmePending, zeta], []);
        const claimed = await runs().claim('w2', { limit: 10, leaseMs: 1000, now: now + 100, excludeTenants: ['acme'] });
        expect(claimed.map((r) => r.id)).toEqual([zeta.id]);
        const rest = await runs().claim('w2', { limit: 10, leaseMs: 1000, now: now + 100, excludeTenants: [] });
        expect(rest.map((r) => r.id)).toEqual([acmeDue.id, acmePending.id]);
      });

      it('takes over a run whose lease ended; the first owner can no longer write to it', async () => {
        const run = newRun();
        await runs().route([run], []);
        const now = Date.now();
        expect(await runs().claim('w1', { limit: 1, leaseMs: 50, now })).toHaveLength(1);
        expect(await runs().claim('w2', { limit: 1, leaseMs: 50, now: now + 50 })).toEqual([]);
        const [taken] = await runs().claim('w2', { limit: 1, leaseMs: 1000, now: now + 51 });
        expect(taken).toMatchObject({ id: run.id, leaseOwner: 'w2', leaseUntil: now + 1051 });

        expect(await runs().checkpoint('w1', run.id, { status: 'running', cursor: '{"w":1}', steps: [step(run.id, 'a')] })).toBe(false);
        expect(await runs().steps(run.id)).toEqual([]);
        expect((await runs().get(run.id))!.cursor).toBeNull();
        expect(await runs().renew('w1', [run.id], now + 5000)).toEqual([]);
        expect(await runs().checkpoint('w2', run.id, { status: 'running', cursor: '{"w":2}', steps: [step(run.id, 'a')] })).toBe(true);
        expect(await runs().steps(run.id)).toHaveLength(1);
      });

      it('a waiting run is claimed again from its wake time, before pending runs, earliest first', async () => {
        const [early, late, pending] = [newRun(), newRun(), newRun()];
        await runs().route([early, late], []);
        const now = Date.now();
        await runs().claim('w1', { limit: 2, leaseMs: 1000, now });
        await runs().route([pending], []);
        expect(await runs().checkpoint('w1', late.id, { status: 'waiting', cursor: '{}', wakeAt: now + 600 })).toBe(true);
        expect(await runs().checkpoint('w1', early.id, { status: 'waiting', cursor: '{}', wakeAt: now + 500 })).toBe(true);
        expect(await runs().get(early.id)).toMatchObject({ status: 'waiting', wakeAt: now + 500, leaseOwner: null, leaseUntil: null, finishedAt: null });
        expect(await runs().nextDue()).toBe(now + 500);
        // Before the wake time only the pending run is runnable.
        expect((await runs().claim('w2', { limit: 1, leaseMs: 1000, now: now + 499 })).map((r) => r.id)).toEqual([pending.id]);
        expect(await runs().claim('w2', { limit: 5, leaseMs: 1000, now: now + 499 })).toEqual([]);
        const woken = await runs().claim('w2', { limit: 5, leaseMs: 1000, now: now + 600 });
        expect(woken.map((r) => r.id)).toEqual([early.id, late.id]);
        expect(woken[0]).toMatchObject({ status: 'running', wakeAt: null, leaseOwner: 'w2', cursor: '{}' });
      });

      it('two stores claiming at once never lease the same run', async () => {
        await runs().route(Array.from({ length: 200 }, () => newRun({ tenantId: `t${Math.floor(Math.random() * 5)}` })), []);
        const other = current.handle.reopen();
        try {
          await other.migrate();
          const drain = async (store: Store, owner: string): Promise<string[]> => {
            const ids: string[] = [];
            for (;;) {
              const batch = await store.runs().claim(owner, { limit: 7, leaseMs: 60_000, now: Date.now() });
              if (batch.length === 0) return ids;
              ids.push(...batch.map((r) => r.id));
            }
          };
          const [a, b] = await Promise.all([drain(current.store, 'w1'), drain(other, 'w2')]);
          expect(a.length + b.length).toBe(200);
          expect(new Set([...a, ...b]).size).toBe(200);
          expect(b.length).toBeGreaterThan(0);
        } finally {
          await other.close();
        }
      });
    });

    describe('leases and checkpoints', () => {
      it('renews only the leases the owner still holds', async () => {
        const [r1, r2, r3] = [newRun(), newRun(), newRun()];
        await runs().route([r1, r2, r3], []);
        const now = Date.now();
        await runs().claim('w1', { limit: 2, leaseMs: 1000, now });
        await runs().claim('w2', { limit: 1, leaseMs: 1000, now });
        expect(await runs().renew('w1', [r2.id, 'run_missing', r3.id, r1.id], now + 9000)).toEqual([r2.id, r1.id]);
        expect((await runs().get(r1.id))!.leaseUntil).toBe(now + 9000);
        expect((await runs().get(r3.id))!.leaseUntil).toBe(now + 1000);
        expect(await runs().renew('w1', [], now + 9000)).toEqual([]);
      });

      it('a running checkpoint keeps the lease, renewing it when asked', async () => {
        const run = newRun();
        await runs().route([run], []);
        const now = Date.now();
        await runs().claim('w1', { limit: 1, leaseMs: 1000, now });
        expect(await runs().checkpoint('w1', run.id, { status: 'running', cursor: '{"at":1}' })).toBe(true);
        expect(await runs().get(run.id)).toMatchObject({ status: 'running', cursor: '{"at":1}', leaseOwner: 'w1', leaseUntil: now + 1000 });
        expect(await runs().checkpoint('w1', run.id, { status: 'running', cursor: '{"at":2}', leaseUntil: now + 7000 })).toBe(true);
        expect(await runs().get(run.id)).toMatchObject({ cursor: '{"at":2}', leaseOwner: 'w1', leaseUntil: now + 7000 });
        expect(await runs().nextDue()).toBe(now + 7000);
      });

      it('a final checkpoint sets finishedAt and releases the run for good', async () => {
        const [done, failed] = [newRun(), newRun()];
        await runs().route([done, failed], []);
        const now = Date.now();
        await runs().claim('w1', { limit: 2, leaseMs: 1000, now });
        const before = Date.now();
        expect(await runs().checkpoint('w1', done.id, { status: 'completed', cursor: '{"end":true}' })).toBe(true);
        const failure = { code: 'step.failed', message: 'boom \\ "quoted" 中文', step: 'each[2].send' };
        expect(await runs().checkpoint('w1', failed.id, { status: 'failed', cursor: '{}', failure })).toBe(true);
        const stored = await runs().get(done.id);
        expect(stored).toMatchObject({ status: 'completed', cursor: '{"end":true}', leaseOwner: null, leaseUntil: null, wakeAt: null, failure: null });
        expect(stored!.finishedAt).toBeGreaterThanOrEqual(before);
        expect(await runs().get(failed.id)).toMatchObject({ status: 'failed', failure });
        expect(await runs().checkpoint('w1', done.id, { status: 'running', cursor: '{}' })).toBe(false);
        expect(await runs().claim('w2', { limit: 5, leaseMs: 1000, now: now + 60_000 })).toEqual([]);
        expect(await runs().nextDue()).toBeNull();
        expect(await runs().countByStatus()).toEqual({ completed: 1, failed: 1 });
      });

      it('refuses a waiting checkpoint without a wake time, writing nothing', async () => {
        const run = newRun();
        await runs().route([run], []);
        await runs().claim('w1', { limit: 1, leaseMs: 1000, now: Date.now() });
        await expect(runs().checkpoint('w1', run.id, { status: 'waiting', cursor: '{}', steps: [step(run.id, 'a')] })).rejects.toThrow(/wakeAt/);
        expect(await runs().get(run.id)).toMatchObject({ status: 'running', cursor: null });
        expect(await runs().steps(run.id)).toEqual([]);
      });

      it('keeps step records in the order written, their JSON texts byte for byte', async () => {
        const run = newRun();
        await runs().route([run], []);
        await runs().claim('w1', { limit: 1, leaseMs: 60_000, now: Date.now() });
        const input = JSON.stringify(trickyData);
        const output = '{"b":1.0,"a":"\\u00e9\\n","dup":1,"dup":2}';
        const written = [
          step(run.id, 'welcome', { input, output, startedAt: 30, finishedAt: 40 }),
          step(run.id, 'each[0].send', { attempt: 1, status: 'failed', failure: { code: 'http.timeout', message: '超时', step: 'each[0].send' }, startedAt: 10, finishedAt: 20 }),
        ];
        await runs().checkpoint('w1', run.id, { status: 'running', cursor: '{}', steps: written });
        const later = [step(run.id, 'each[0].send', { attempt: 2, output: '"ok"', startedAt: 5, finishedAt: 6 }), step(run.id, 'skipped', { status: 'skipped' })];
        await runs().checkpoint('w1', run.id, { status: 'running', cursor: '{}', steps: later });
        expect(await runs().steps(run.id)).toEqual([...written, ...later]);
        expect((await runs().steps(run.id))[0]!.input).toBe(input);
        expect((await runs().steps(run.id))[0]!.output).toBe(output);
        expect(await runs().steps('run_missing')).toEqual([]);
      });

      it('a step record written again for the same attempt replaces the first without failing the checkpoint', async () => {
        const run = newRun();
        await runs().route([run], []);
        await runs().claim('w1', { limit: 1, leaseMs: 60_000, now: Date.now() });
        await runs().checkpoint('w1', run.id, { status: 'running', cursor: '{}', steps: [step(run.id, 'a', { output: '"first"' }), step(run.id, 'b')] });
        expect(await runs().checkpoint('w1', run.id, { status: 'completed', cursor: '{}', steps: [step(run.id, 'a', { output: '"again"' })] })).toBe(true);
        expect((await runs().steps(run.id)).map((s) => [s.stepPath, s.output])).toEqual([['a', '"again"'], ['b', null]]);
      });

      it('writes several checkpoints in one call, each only where the lease is still held', async () => {
        const [held, lost] = [newRun(), newRun()];
        await runs().route([held, lost], []);
        const now = Date.now();
        await runs().claim('w1', { limit: 2, leaseMs: 60_000, now });
        await runs().cancel(lost.id);
        const written = await runs().checkpointMany('w1', [
          { runId: held.id, update: { status: 'completed', cursor: '{"done":true}', steps: [step(held.id, 'a')] } },
          { runId: lost.id, update: { status: 'running', cursor: '{"late":true}', steps: [step(lost.id, 'a')] } },
        ]);
        expect(written).toEqual([true, false]);
        expect(await runs().get(held.id)).toMatchObject({ status: 'completed', cursor: '{"done":true}' });
        expect(await runs().get(lost.id)).toMatchObject({ status: 'cancelled', cursor: null });
        expect(await runs().steps(held.id)).toHaveLength(1);
        expect(await runs().steps(lost.id)).toEqual([]);
        expect(await runs().checkpointMany('w1', [])).toEqual([]);
      });

      it("refuses step records of another run under this run's lease", async () => {
        const run = newRun();
        await runs().route([run], []);
        await runs().claim('w1', { limit: 1, leaseMs: 60_000, now: Date.now() });
        await expect(runs().checkpoint('w1', run.id, { status: 'running', cursor: '{}', steps: [step('run_other', 'a')] })).rejects.toThrow(/run_other/);
        expect(await runs().steps('run_other')).toEqual([]);
      });
    });

    describe('cancelling', () => {
      it('cancels pending, running and waiting runs; a finished run stays as it was', async () => {
        const [pending, running, waiting, done] = [newRun(), newRun(), newRun(), newRun()];
        await runs().route([running, waiting, done], []);
        const now = Date.now();
        await runs().claim('w1', { limit: 3, leaseMs: 60_000, now });
        await runs().route([pending], []);
        await runs().checkpoint('w1', waiting.id, { status: 'waiting', cursor: '{}', wakeAt: now + 1000 });
        await runs().checkpoint('w1', done.id, { status: 'completed', cursor: '{}' });
        const doneBefore = await runs().get(done.id);

        const before = Date.now();
        for (const run of [pending, running, waiting]) {
          const cancelled = await runs().cancel(run.id);
          expect(cancelled).toMatchObject({ id: run.id, status: 'cancelled', leaseOwner: null, leaseUntil: null, wakeAt: null });
          expect(cancelled!.finishedAt).toBeGreaterThanOrEqual(before);
          expect(await runs().get(run.id)).toEqual(cancelled);
        }
        expect(await runs().cancel(done.id)).toEqual(doneBefore);
        expect(await runs().cancel('run_missing')).toBeUndefined();

        expect(await runs().checkpoint('w1', running.id, { status: 'running', cursor: '{"late":1}', steps: [step(running.id, 'x')] })).toBe(false);
        expect(await runs().steps(running.id)).toEqual([]);
        expect(await runs().claim('w2', { limit: 10, leaseMs: 1000, now: now + 120_000 })).toEqual([]);
        expect(await runs().countByStatus()).toEqual({ cancelled: 3, completed: 1 });
      });
    });

    describe('listing and housekeeping', () => {
      it('lists runs newest first, filtered by tenant, workflow, status and creation time', async () => {
        const a1 = newRun({ tenantId: 'acme', workflowId: 'welcome' });
        const a2 = newRun({ tenantId: 'acme', workflowId: 'birthday' });
        const a3 = newRun({ tenantId: 'acme', workflowId: 'welcome' });
        const z1 = newRun({ tenantId: 'zeta', workflowId: 'welcome' });
        for (const run of [a1, a2, a3, z1]) {
          await runs().route([run], []);
          await sleep(3);
        }
        const batch = [newRun({ tenantId: 'acme' }), newRun({ tenantId: 'acme' }), newRun({ tenantId: 'acme' })];
        await runs().route(batch, []);
        // z1 shares a1's place in the queue (a new tenant's first run); a1 is the one claimed.
        await runs().claim('w1', { limit: 1, leaseMs: 60_000, now: Date.now(), excludeTenants: ['zeta'] });
        const ids = (list: { id: string }[]) => list.map((r) => r.id);

        const all = await runs().list({});
        expect(all).toHaveLength(7);
        const expected = [...all].sort((x, y) => y.createdAt - x.createdAt || (x.id < y.id ? 1 : -1));
        expect(ids(all)).toEqual(ids(expected));
        expect(ids(all.slice(3))).toEqual([z1.id, a3.id, a2.id, a1.id]);
        expect(ids(await runs().list({ limit: 2 }))).toEqual(ids(all.slice(0, 2)));
        expect(await runs().list({ limit: 0 })).toEqual([]);
        expect(ids(await runs().list({ tenantId: 'acme', workflowId: 'welcome' })).slice(-2)).toEqual([a3.id, a1.id]);
        expect(ids(await runs().list({ tenantId: 'zeta' }))).toEqual([z1.id]);
        expect(ids(await runs().list({ status: 'running' }))).toEqual([a1.id]);
        expect(ids(await runs().list({ tenantId: 'acme', status: 'pending', workflowId: 'birthday' }))).toEqual([a2.id]);
        const a3Created = (await runs().get(a3.id))!.createdAt;
        const z1Created = (await runs().get(z1.id))!.createdAt;
        expect(ids(await runs().list({ since: a3Created, until: z1Created + 1 }))).toEqual([z1.id, a3.id]);
        expect(ids(await runs().list({ tenantId: 'acme', until: a3Created }))).toEqual([a2.id, a1.id]);
      });

      it('counts runs by status, of one tenant or of all', async () => {
        await runs().route([newRun({ tenantId: 'acme' }), newRun({ tenantId: 'acme' }), newRun({ tenantId: 'zeta' }), newRun({ tenantId: 'zeta', failure: { code: 'x', message: 'y' } })], []);
        await runs().claim('w1', { limit: 1, leaseMs: 60_000, now: Date.now(), excludeTenants: ['zeta'] });
        expect(await runs().countByStatus()).toEqual({ running: 1, pending: 2, failed: 1 });
        expect(await runs().countByStatus('acme')).toEqual({ running: 1, pending: 1 });
        expect(await runs().countByStatus('zeta')).toEqual({ pending: 1, failed: 1 });
        expect(await runs().countByStatus('nobody')).toEqual({});
      });

      it('answers the next due time: the earliest wake time or lease end', async () => {
        expect(await runs().nextDue()).toBeNull();
        const [a, b] = [newRun(), newRun()];
        await runs().route([a, b], []);
        expect(await runs().nextDue()).toBeNull();
        const now = Date.now();
        await runs().claim('w1', { limit: 2, leaseMs: 5000, now });
        expect(await runs().nextDue()).toBe(now + 5000);
        await runs().checkpoint('w1', a.id, { status: 'waiting', cursor: '{}', wakeAt: now + 100 });
        expect(await runs().nextDue()).toBe(now + 100);
      });

      it('prunes runs finished before the given time, with their steps; active runs stay', async () => {
        const [done, active, failedAtRoute] = [newRun(), newRun(), newRun({ failure: { code: 'x', message: 'y' } })];
        await runs().route([done, active, failedAtRoute], []);
        await runs().claim('w1', { limit: 2, leaseMs: 60_000, now: Date.now() });
        await runs().checkpoint('w1', done.id, { status: 'completed', cursor: '{}', steps: [step(done.id, 'a'), step(done.id, 'b')] });
        await runs().checkpoint('w1', active.id, { status: 'waiting', cursor: '{}', wakeAt: 1, steps: [step(active.id, 'a')] });
        const finishedAt = (await runs().get(done.id))!.finishedAt!;

        expect(await runs().prune(Math.min(finishedAt, (await runs().get(failedAtRoute.id))!.finishedAt!))).toBe(0);
        expect(await runs().prune(Date.now() + 1000)).toBe(2);
        expect(await runs().get(done.id)).toBeUndefined();
        expect(await runs().get(failedAtRoute.id)).toBeUndefined();
        expect(await runs().steps(done.id)).toEqual([]);
        expect(await runs().steps(active.id)).toHaveLength(1);
        expect(await runs().get(active.id)).toMatchObject({ status: 'waiting' });
        expect(await runs().prune(Date.now() + 1000)).toBe(0);
      });
    });
  });
}
