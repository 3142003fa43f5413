// PostgreSQL connections lost under load (backends killed, a silent network): calls fail promptly, nothing crashes, all rows recover.
import net from 'node:net';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgStore } from '../../core/src/store/pg/store.ts';
import type { DecodeOutcome, InboxEnvelope, InboxRow, Store } from '../../core/src/store/types.ts';
import { freshPostgresDatabase, postgresUrl, type FreshPostgresDatabase } from '../support/postgres.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let nonce = 0;
const envelope = (): InboxEnvelope => ({
  route: 'app', tenantId: 'acme', appId: 'crm', suiteId: null,
  msgSignature: 'sig', timestamp: '1700000000', nonce: `n${nonce++}`, encrypt: 'x', receivedAt: Date.now(),
});

// Half the rows become events so the decode transaction also runs its insert step (more statements to be killed in).
const decode = (row: InboxRow): DecodeOutcome => Number(row.nonce.slice(1)) % 2 === 0
  ? { kind: 'dead', code: 'internal', message: 'x' }
  : {
    kind: 'event', raw: '<xml/>',
    event: {
      id: `ev_${row.id}`, tenantId: row.tenantId, appId: row.appId, suiteId: null, type: 'test.chaos',
      occurredAt: new Date(row.receivedAt).toISOString(), receivedAt: new Date(row.receivedAt).toISOString(),
      dedupKey: `chaos:${row.nonce}`, data: {},
    },
  };

describe.skipIf(!postgresUrl)('postgres connection loss', () => {
  let database: FreshPostgresDatabase | undefined;
  let store: Store | undefined;
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('fails calls in flight without crashing, then recovers and processes every acknowledged row', async () => {
    database = await freshPostgresDatabase();
    const name = new URL(database.url).pathname.slice(1);
    store = createPgStore({ url: database.url, max: 6 });
    await store.migrate();
    const acked = new Set(await store.appendInbox([envelope(), envelope(), envelope()]));

    // The killer sits on the server's own database, so it is not among the backends it terminates.
    const admin = new pg.Client({ connectionString: postgresUrl });
    admin.on('error', () => {});
    await admin.connect();

    // An 'error' event no one hears is thrown as an uncaught exception: vitest reports it, a real host would have died.
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);

    let chaos = true;
    const failures: unknown[] = [];
    let appendsOk = 0;
    let decodesOk = 0;
    const appender = async () => {
      while (chaos) {
        try {
          for (const id of await store!.appendInbox([envelope(), envelope()])) acked.add(id);
          appendsOk++;
        } catch (error) {
          failures.push(error);
        }
      }
    };
    const decoder = async () => {
      while (chaos) {
        try {
          await store!.decodePending(5, decode);
          decodesOk++;
        } catch (error) {
          failures.push(error);
        }
      }
    };
    const workers = [appender(), appender(), appender(), decoder(), decoder()];

    try {
      for (let round = 0; round < 30; round++) {
        await sleep(15 + (round % 4) * 10);
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
      }
    } finally {
      chaos = false;
      await Promise.all(workers);
      await admin.end();
      process.off('uncaughtException', onUncaught);
    }

    expect(uncaught.map(String)).toEqual([]);

    // The killing reached calls in flight, and each surfaced as a rejection (not a crash), while others got through.
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) expect(failure).toBeInstanceOf(Error);
    expect(appendsOk).toBeGreaterThan(0);
    expect(decodesOk).toBeGreaterThan(0);

    // Let the last terminations land on idle clients (the pool drops them) before checking recovery.
    await sleep(300);
    for (const id of await store.appendInbox([envelope(), envelope()])) acked.add(id);
    let batch;
    do batch = await store.decodePending(50, decode); while (batch.processed > 0);

    expect(await store.countInbox('pending')).toBe(0);
    const settled = new Set([...await store.listInbox('done', 100_000), ...await store.listInbox('dead', 100_000)].map((r) => r.id));
    const lost = [...acked].filter((id) => !settled.has(id));
    expect(lost).toEqual([]);
    expect(await store.ready()).toBe(true);
  });

  it('fails calls within the time limits when the network goes silent, then recovers', async () => {
    const db = await freshPostgresDatabase();
    const target = new URL(db.url);
    // A TCP relay that can swallow everything both ways without closing anything: no error ever reaches pg.
    let silent = false;
    const sockets = new Set<net.Socket>();
    const relay = net.createServer((inbound) => {
      const outbound = net.connect(Number(target.port || 5432), target.hostname);
      for (const s of [inbound, outbound]) {
        sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => { sockets.delete(s); inbound.destroy(); outbound.destroy(); });
      }
      inbound.on('data', (chunk) => { if (!silent) outbound.write(chunk); });
      outbound.on('data', (chunk) => { if (!silent) inbound.write(chunk); });
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayed = new URL(db.url);
    relayed.host = `127.0.0.1:${(relay.address() as net.AddressInfo).port}`;
    const silentStore = createPgStore({ url: relayed.toString() });
    try {
      await silentStore.migrate();
      await silentStore.appendInbox([envelope()]);

      silent = true;
      const timed = async (call: () => Promise<unknown>) => {
        const started = Date.now();
        const error = await call().then(() => undefined, (e: unknown) => e);
        return { error, ms: Date.now() - started };
      };
      const [append, decoded] = await Promise.all([
        timed(() => silentStore.appendInbox([envelope()])),
        timed(() => silentStore.decodePending(5, decode)),
      ]);
      // Within WeCom's 5 s callback deadline, so the ingress can still answer 503 and WeCom retries.
      for (const { error, ms } of [append, decoded]) {
        expect(error).toBeInstanceOf(Error);
        expect(ms).toBeLessThan(5_000);
      }

      silent = false;
      const [id] = await silentStore.appendInbox([envelope()]);
      let batch;
      do batch = await silentStore.decodePending(50, decode); while (batch.processed > 0);
      expect(await silentStore.countInbox('pending')).toBe(0);
      expect((await silentStore.listInbox('done', 1000)).concat(await silentStore.listInbox('dead', 1000)).map((r) => r.id)).toContain(id);
    } finally {
      await silentStore.close();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => relay.close(resolve));
      await db.drop();
    }
  });
});
