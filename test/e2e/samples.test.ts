// Every WeCom sample callback, signed and encrypted as WeCom would, through the real HTTP routes: each becomes a
// canonical event that validates against its schema (the decoder dead-letters anything that does not).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialDigest, credentialFields } from '../../core/src/marketplace/suite-lifecycle.ts';
import { parseMessage } from '../../core/src/wecom/message.ts';
import { normalize } from '../../core/src/wecom/normalize.ts';
import { signedCallback } from '../../core/src/wecom/simulator/callbacks.ts';
import { loadSamples } from '../fixtures/wecom/samples.ts';
import { demoCorpId, demoKeys, demoSuiteId, dialects, startHost, type RunningHost } from '../support/host.ts';

const samples = loadSamples();

describe.each(dialects)('every sample callback on %s', (dialect) => {
  let h: RunningHost;
  beforeAll(async () => {
    h = await startHost(dialect, { decode: false });
  });
  afterAll(async () => h?.close());

  it(`accepts all ${samples.length} samples and stores each as a schema-valid canonical event`, async () => {
    const expected = new Map<string, string>();
    for (const sample of samples) {
      const viaSuite = /<SuiteId>/.test(sample.xml);
      const receiveId = viaSuite ? demoSuiteId : demoCorpId;
      const source = viaSuite ? { route: 'suite' as const, suiteId: demoSuiteId } : { route: 'app' as const, corpId: demoCorpId };
      const { type, dedupKey, data } = normalize(parseMessage(sample.xml), source);
      // A suite's ticket or auth code is stored as a digest in the key (core/src/marketplace/suite-lifecycle.ts).
      const field = credentialFields[type as keyof typeof credentialFields];
      const plain = field ? (data as Record<string, unknown>)[field] : undefined;
      expected.set(typeof plain === 'string' && plain !== '' ? dedupKey.replaceAll(plain, credentialDigest(plain)) : dedupKey, type);
      const cb = signedCallback({ ...demoKeys, receiveId }, sample.xml);
      const path = viaSuite ? `/wecom/suite/${demoSuiteId}` : '/wecom/callback/acme/crm';
      const response = await h.post(`${path}?${cb.query}`, cb.body);
      expect(response, sample.name).toEqual({ status: 200, text: 'success' });
    }
    await h.host.decoder.drain();
    expect(await h.host.store.listInbox('dead')).toEqual([]);
    expect(await h.host.store.countInbox('pending')).toBe(0);
    const stored = [...await h.host.store.listEvents({ tenantId: 'acme', limit: 1000 }),
      ...await h.host.store.listEvents({ suiteId: demoSuiteId, limit: 1000 })];
    const byKey = new Map(stored.map((e) => [e.dedupKey, e.type]));
    for (const [key, type] of expected) expect(byKey.get(key), key).toBe(type);
    // Distinct dedup keys, distinct events: samples that share a key (two go-wecom fixtures reuse one MsgId) count once.
    expect(new Set(stored.map((e) => e.id)).size).toBe(expected.size);
    expect(new Set(stored.map((e) => e.type)).size).toBeGreaterThan(25);
  });
});
