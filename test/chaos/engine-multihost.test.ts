// Three host processes on one PostgreSQL database share the runs: none is executed twice while all are alive, and when
// one is SIGKILLed the other two take over its runs once their leases end, so none is lost.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/src/store/open.ts';
import { freshDatabase, type TestDatabase } from '../support/host.ts';
import { postgresUrl } from '../support/postgres.ts';
import { contactCallback, deliver, exited, idempotentSink, onboardSteps, prepareOnboarding, startServe, type ServeProcess } from '../support/serve-process.ts';

const events = 2000;
const steps = onboardSteps;

describe.skipIf(!postgresUrl)('three hosts on one PostgreSQL database', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-engine-hosts-'));
  let database: TestDatabase;
  const sink = idempotentSink();
  const hosts: ServeProcess[] = [];
  afterAll(async () => {
    for (const host of hosts) host.child.kill('SIGKILL');
    await Promise.all(hosts.map((h) => exited(h.child)));
    await database?.drop();
    await new Promise((r) => sink.server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it(`share ${events} runs: none executed twice, none lost when one host is killed`, async () => {
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    const port = (sink.server.address() as AddressInfo).port;
    database = await freshDatabase('postgres');
    const config = await prepareOnboarding(dir, database.url, port);
    const store = openStore(database.url);
    try {
      hosts.push(...(await Promise.all([startServe(config), startServe(config), startServe(config)])));
      const alive = new Set(hosts);
      let next = 0;
      const sender = async () => {
        for (let n = next++; n < events; n = next++) {
          await deliver(() => [...alive][n % alive.size]!.url, () => contactCallback('Multi', n));
        }
      };
      const senders = Array.from({ length: 12 }, sender);

      // While all three are alive: each holds runs, and no effect is delivered twice.
      const owners = new Set<string>();
      while (((await store.runs().countByStatus('acme')).completed ?? 0) < events / 3) {
        for (const run of await store.runs().list({ tenantId: 'acme', status: 'running', limit: 1000 })) owners.add(run.leaseOwner!.split(':').slice(0, 2).join(':'));
        await new Promise((r) => setTimeout(r, 20));
      }
      const repeatsBeforeKill = sink.deliveries() - sink.applied.size;
      const victim = hosts[1]!;
      alive.delete(victim);
      victim.child.kill('SIGKILL');
      await exited(victim.child);
      await Promise.all(senders);

      for (let tries = 0; tries < 1200 && ((await store.runs().countByStatus('acme')).completed ?? 0) < events; tries++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const stored = await store.listEvents({ tenantId: 'acme', limit: 100_000 });
      const runs = await store.runs().list({ tenantId: 'acme', workflowId: 'onboard', limit: 100_000 });
      const expectedKeys = runs.flatMap((run) => steps.map((step) => `${run.id}:${step}#http.fetch#1`));
      const repeats = sink.deliveries() - sink.applied.size;
      console.log(`3 hosts (${owners.size} seen holding runs), 1 SIGKILLed after a third: ${stored.length} events, ${runs.length} runs, ` +
        `${runs.filter((r) => r.status === 'completed').length} completed, ${sink.applied.size} effects applied; repeated deliveries ` +
        `${repeatsBeforeKill} before the kill, ${repeats - repeatsBeforeKill} after it (the killed host's sends not yet recorded)`);

      expect(owners.size).toBe(3);
      expect(repeatsBeforeKill).toBe(0);
      expect(stored).toHaveLength(events);
      expect(runs).toHaveLength(events);
      expect(runs.every((r) => r.status === 'completed')).toBe(true);
      expect(new Set(runs.map((r) => r.triggerKey))).toEqual(new Set(stored.map((e) => e.id)));
      expect(new Set(sink.applied.keys())).toEqual(new Set(expectedKeys));
    } finally {
      await store.close();
    }
  }, 600_000);
});
