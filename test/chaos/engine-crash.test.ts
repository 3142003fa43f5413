// A host running workflows is SIGKILLed at random moments while callbacks keep arriving: after the last restart, every
// event has exactly one completed run and every effect reached the outside world under one key, applied once.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/src/store/open.ts';
import type { RunStatus } from '../../core/src/store/types.ts';
import { dialects, freshDatabase, type TestDatabase } from '../support/host.ts';
import { contactCallback, deliver, exited, idempotentSink, onboardSteps, prepareOnboarding, startServe } from '../support/serve-process.ts';

const events = 2000;
const kills = 10;
const steps = onboardSteps;

describe.each(dialects)('a host running workflows, SIGKILLed (%s)', (dialect) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-engine-kill-'));
  let database: TestDatabase;
  const sink = idempotentSink();
  afterAll(async () => {
    await database?.drop();
    await new Promise((r) => sink.server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it(`leaves every one of ${events} events with exactly one completed run and each effect applied once`, async () => {
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    const port = (sink.server.address() as AddressInfo).port;
    database = await freshDatabase(dialect);
    const config = await prepareOnboarding(dir, database.url, port);
    const store = openStore(database.url);
    try {
      let host = await startServe(config);
      let next = 0;
      // Callbacks go on through the kills; one not answered `success` is sent again, as WeCom retries.
      const sender = async () => {
        for (let n = next++; n < events; n = next++) await deliver(() => host.url, () => contactCallback('Crash', n));
      };
      const senders = Array.from({ length: 8 }, sender);
      for (let kill = 0; kill < kills; kill++) {
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 1200));
        host.child.kill('SIGKILL');
        await exited(host.child);
        host = await startServe(config);
      }
      await Promise.all(senders);

      let counts: Partial<Record<RunStatus, number>> = {};
      for (let tries = 0; tries < 1200; tries++) {
        counts = await store.runs().countByStatus('acme');
        if ((counts.completed ?? 0) >= events) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      host.child.kill('SIGTERM');
      await exited(host.child);

      const stored = await store.listEvents({ tenantId: 'acme', limit: 100_000 });
      const runs = await store.runs().list({ tenantId: 'acme', workflowId: 'onboard', limit: 100_000 });
      const runsByEvent = new Map<string, number>();
      for (const run of runs) runsByEvent.set(run.triggerKey, (runsByEvent.get(run.triggerKey) ?? 0) + 1);
      const expectedKeys = runs.flatMap((run) => steps.map((step) => `${run.id}:${step}#http.fetch#1`));
      const repeats = sink.deliveries() - sink.applied.size;
      console.log(`${dialect}: ${kills} SIGKILLs, ${stored.length} events, ${runs.length} runs (${JSON.stringify(counts)}), ` +
        `${sink.applied.size} effects applied, ${repeats} repeated deliveries (sent before a kill, not yet recorded) absorbed by the receiver's idempotency key`);

      expect(stored).toHaveLength(events);
      expect(new Set(stored.map((e) => e.data.externalUserId)).size).toBe(events);
      expect(runs).toHaveLength(events);
      expect(runs.every((r) => r.status === 'completed')).toBe(true);
      expect(stored.every((e) => runsByEvent.get(e.id) === 1)).toBe(true);
      // Every step of every run reached the receiver under its own key, and nothing else did.
      expect(new Set(sink.applied.keys())).toEqual(new Set(expectedKeys));
      for (const key of expectedKeys) expect((await store.effects().find(key))?.effect).toBe('http.fetch');
    } finally {
      await store.close();
    }
  }, 600_000);
});
