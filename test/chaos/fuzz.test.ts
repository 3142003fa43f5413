// 2,000 mutated callbacks over HTTP: none crashes the host, none is stored, and the host still serves afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedCallback } from '../../core/src/wecom/simulator/callbacks.ts';
import { contactAddedXml } from '../../core/src/wecom/simulator/messages.ts';
import { demoCorpId, demoKeys, startHost, type RunningHost } from '../support/host.ts';

const keys = { ...demoKeys, receiveId: demoCorpId };
const path = '/wecom/callback/acme/crm';
const message = contactAddedXml({ corpId: demoCorpId, userId: 'fuzz', externalUserId: 'wmFuzz', createTime: 1700009999 });

/** A small deterministic generator (mulberry32) so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutant = { query: string; body: string | Uint8Array; label: string };

function mutants(count: number, seed: number): Mutant[] {
  const rnd = random(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  // Printable, never whitespace: inserting blanks between elements would leave a valid envelope.
  const char = () => String.fromCharCode(33 + int(94));
  const text = (n: number) => Array.from({ length: n }, char).join('');
  const ops: ((q: string, b: string) => Mutant)[] = [
    (q, b) => { const i = int(b.length); let c = char(); while (c === b[i]) c = char(); return { query: q, body: b.slice(0, i) + c + b.slice(i + 1), label: 'flip' }; },
    (q, b) => { const i = int(b.length); return { query: q, body: b.slice(0, i) + b.slice(i + 1 + int(20)), label: 'delete' }; },
    (q, b) => { const i = int(b.length); return { query: q, body: b.slice(0, i) + text(1 + int(8)) + b.slice(i), label: 'insert' }; },
    (q, b) => ({ query: q, body: b.slice(0, int(b.length)), label: 'truncate' }),
    (q, b) => { const i = int(b.length), j = i + int(40); return { query: q, body: b.slice(0, j) + b.slice(i, j) + b.slice(j), label: 'duplicate' }; },
    (q, b) => { const i = int(q.length); let c = char(); while (c === q[i]) c = char(); return { query: q.slice(0, i) + c + q.slice(i + 1), body: b, label: 'query-flip' }; },
    (q, b) => { const parts = q.split('&'); parts.splice(int(parts.length), 1); return { query: parts.join('&'), body: b, label: 'query-drop' }; },
    (_q, b) => ({ query: signedCallback(keys, message).query, body: b, label: 'other-signature' }),
    (q) => ({ query: q, body: Uint8Array.from({ length: int(600) }, () => int(256)), label: 'binary' }),
    (q, b) => ({ query: q, body: `<!DOCTYPE xml [<!ENTITY a "${text(5)}">]>${b}`, label: 'dtd' }),
    (q, b) => ({ query: q, body: b.replace('<Encrypt>', `<Encrypt>&a;`), label: 'entity' }),
    (q, b) => ({ query: q, body: JSON.stringify({ encrypt: b.slice(int(b.length)), tousername: demoCorpId }), label: 'json' }),
  ];
  return Array.from({ length: count }, () => {
    const original = signedCallback(keys, message, { agentId: 218 });
    for (;;) {
      let mutant = ops[int(ops.length)]!(original.query, original.body);
      // Now and then stack a second mutation on top of the first.
      if (rnd() < 0.3 && typeof mutant.body === 'string') mutant = { ...ops[int(6)]!(mutant.query, mutant.body), label: `${mutant.label}+` };
      // A mutation that happens to change nothing (an empty duplicate, say) is not a mutant.
      if (mutant.body !== original.body || mutant.query !== original.query) return mutant;
    }
  });
}

describe('fuzzed callbacks', () => {
  let h: RunningHost;
  beforeAll(async () => {
    h = await startHost('sqlite');
  });
  afterAll(async () => h?.close());

  it('2,000 mutants: 0 crashes, 0 stored, clear 4xx answers; the host still accepts a good callback', async () => {
    const list = mutants(2000, 20261122);
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < list.length) {
        const m = list[next++]!;
        const response = await fetch(`${h.url}${path}?${m.query}`, { method: 'POST', body: m.body });
        const body = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status < 400 || response.status >= 500) throw new Error(`${m.label}: status ${response.status} ${body}`);
        expect(body).toMatch(/^[a-z_]+\.[a-z_]+: .+/);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(2000);
    await h.host.decoder.drain();
    expect(await h.host.store.countEvents({})).toBe(0);
    expect(await h.host.store.listInbox('pending')).toEqual([]);
    expect(await h.host.store.listInbox('dead')).toEqual([]);

    const good = signedCallback(keys, message, { agentId: 218 });
    expect(await h.post(`${path}?${good.query}`, good.body)).toEqual({ status: 200, text: 'success' });
    await h.host.decoder.drain();
    expect(await h.host.store.countEvents({})).toBe(1);
  });
});
