// A host process SIGKILLed with callbacks in flight: after a restart, every callback it answered `success` is stored.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/src/store/open.ts';
import { signedCallback } from '../../core/src/wecom/simulator/callbacks.ts';
import { contactAddedXml } from '../../core/src/wecom/simulator/messages.ts';
import { demoCorpId, demoKeys, dialects, freshDatabase, type TestDatabase } from '../support/host.ts';
import { startServe } from '../support/serve-process.ts';

const keys = { ...demoKeys, receiveId: demoCorpId };

const contactAdded = (n: number) =>
  contactAddedXml({ corpId: demoCorpId, userId: 'staff', externalUserId: `wmKill${n}`, createTime: 1700100000 + n });

describe.each(dialects)('SIGKILL with callbacks in flight on %s', (dialect) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-kill-'));
  let database: TestDatabase;
  afterAll(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged callback', async () => {
    database = await freshDatabase(dialect);
    const config = path.join(dir, 'lianjie.config.json');
    writeFileSync(config, JSON.stringify({
      database: database.url, host: '127.0.0.1', port: 0, logLevel: 'silent',
      tenants: [{ id: 'acme', corpId: demoCorpId, apps: [{ id: 'crm', agentId: 218, ...demoKeys }] }],
    }));

    const first = await startServe(config);
    const acked: number[] = [];
    let sent = 0;
    let killed = false;
    const sender = async () => {
      while (!killed) {
        const n = sent++;
        const cb = signedCallback(keys, contactAdded(n), { agentId: 218 });
        try {
          const response = await fetch(`${first.url}/wecom/callback/acme/crm?${cb.query}`, { method: 'POST', body: cb.body });
          if (response.status === 200 && (await response.text()) === 'success') acked.push(n);
        } catch {
          // the connection died with the process: not acknowledged, so WeCom would retry it
        }
      }
    };
    const senders = Array.from({ length: 16 }, sender);
    while (acked.length < 400) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL');
    killed = true;
    await Promise.all(senders);
    await new Promise((r) => first.child.exitCode !== null || first.child.signalCode !== null ? r(null) : first.child.once('exit', r));
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(sent).toBeGreaterThan(acked.length); // some were in flight when it died

    const second = await startServe(config);
    const store = openStore(database.url);
    try {
      let ids = new Set<string>();
      let pending = -1;
      // Envelopes written but not yet answered when the process died are kept too, and decoded after the
      // acknowledged ones may already be in: wait for the whole backlog, not just for the acknowledged events.
      for (let tries = 0; tries < 300; tries++) {
        const events = await store.listEvents({ tenantId: 'acme', limit: 100_000 });
        ids = new Set(events.map((e) => String(e.data.externalUserId)));
        pending = await store.countInbox('pending');
        if (pending === 0 && acked.every((n) => ids.has(`wmKill${n}`))) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const missing = acked.filter((n) => !ids.has(`wmKill${n}`));
      expect(missing).toEqual([]);
      expect(pending).toBe(0);
    } finally {
      await store.close();
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  });
});
