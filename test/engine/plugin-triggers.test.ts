// A plugin's webhook trigger over real HTTP: signed bodies start the workflows that name the trigger, once per
// delivery; unsigned, mis-signed, malformed or schema-invalid bodies are refused with the reason and start nothing.
// And a schedule trigger firing every second in the same host.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayRun } from '../../core/src/engine/run/history.ts';
import { loadInstalls } from '../../core/src/plugins/installs.ts';
import type { InstallConfig } from '../../core/src/config/types.ts';
import type { StoredRun } from '../../core/src/store/types.ts';
import { signedCallback } from '../../core/src/wecom/simulator/callbacks.ts';
import { contactAddedXml } from '../../core/src/wecom/simulator/messages.ts';
import { demoCorpId, demoKeys, dialects, startHost, testConfig, type RunningHost } from '../support/host.ts';
import { testManifest, writePluginDir } from '../support/plugins.ts';

const secret = 'whsec-0123456789abcdef';
const manifest = testManifest('acme.pos', ['record'], {
  triggers: [
    {
      id: 'payment', kind: 'webhook',
      input: { type: 'object', required: ['orderId', 'amount'], properties: { orderId: { type: 'string' }, amount: { type: 'number', minimum: 0 } } },
      output: { type: 'object', required: ['orderId', 'cents'], properties: { orderId: { type: 'string' }, cents: { type: 'integer' } } },
    },
    { id: 'nightly', kind: 'schedule', cron: '0 3 * * *', output: { type: 'object' } },
    { id: 'vip', kind: 'event', events: ['wecom.external_contact.add'], output: { type: 'object', required: ['who'], properties: { who: { type: 'string' } } } },
    { id: 'every', kind: 'schedule', cron: '* * * * * *', output: { type: 'object', required: ['at'], properties: { at: { type: 'string' } } } },
  ],
});
const source = `
  declare const lianjie: any;
  lianjie.register({
    actions: { record: (input: any) => ({ recorded: input.orderId, cents: input.cents }) },
    triggers: {
      // Payments of 0 start nothing.
      payment: (input: any) => (input.amount === 0 ? null : { orderId: input.orderId, cents: Math.round(input.amount * 100) }),
      nightly: () => null,
      // Derives a VIP arrival from a contact added through the VIP channel; fails on the "boom" channel.
      vip: (event: any) => {
        if (event.data.state === 'boom') throw { code: 'boom', message: 'cannot tell' };
        return event.data.state === 'vip' ? { who: event.data.externalUserId } : null;
      },
      every: (input: any) => ({ at: input.tick }),
    },
  });`;

let deliveries = 0;
/** Headers of a signed delivery of `body`: its id, its time (Unix seconds) and the signature over both and the body. */
function signed(body: string, options: { key?: string; delivery?: string; at?: number } = {}): Record<string, string> {
  const delivery = options.delivery ?? `dlv-auto-${++deliveries}`;
  const timestamp = String(Math.floor((options.at ?? Date.now()) / 1000));
  const signature = createHmac('sha256', options.key ?? secret).update(`${timestamp}.${delivery}.${body}`).digest('hex');
  return { 'x-lianjie-delivery': delivery, 'x-lianjie-timestamp': timestamp, 'x-lianjie-signature': `sha256=${signature}` };
}

describe.each(dialects)('plugin triggers on %s', (dialect) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lianjie-webhook-'));
  let host: RunningHost;
  const entries: InstallConfig[] = [
    { id: 'pos', tenant: 'acme', plugin: path.join(dir, 'plugin'), grants: [], config: {}, webhookSecret: secret },
    { id: 'pos-unsigned', tenant: 'beta', plugin: path.join(dir, 'plugin'), grants: [], config: {} },
  ];

  beforeAll(async () => {
    await writePluginDir(path.join(dir, 'plugin'), manifest, source);
    const installs = await loadInstalls(testConfig('file:unused.db', { installs: entries }), '/');
    host = await startHost(dialect, { installs, config: { installs: entries } });
    await host.host.store.workflows().apply('acme', 'clock', JSON.stringify({
      id: 'clock', name: 'clock', tenantId: 'acme', trigger: { plugin: 'acme.pos/every' },
      steps: [{ id: 'record', action: 'acme.pos/record', input: { orderId: '{{ trigger.at }}', cents: 0 } }],
    }));
    await host.host.store.workflows().apply('acme', 'vip', JSON.stringify({
      id: 'vip', name: 'vip', tenantId: 'acme', trigger: { plugin: 'acme.pos/vip' },
      steps: [{ id: 'record', action: 'acme.pos/record', input: { orderId: '{{ trigger.who }}', cents: 0 } }],
    }));
    await host.host.store.workflows().apply('acme', 'bill', JSON.stringify({
      id: 'bill', name: 'bill', tenantId: 'acme', trigger: { plugin: 'acme.pos/payment', if: 'trigger.cents < 1000000' },
      steps: [{ id: 'record', action: 'acme.pos/record', input: { orderId: '{{ trigger.orderId }}', cents: '{{ trigger.cents }}' } }],
    }));
  });
  afterAll(async () => {
    await host?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (target: string, body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(host.url + target, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    return { status: response.status, json: (await response.json()) as Record<string, any> };
  };

  async function finished(id: string): Promise<StoredRun> {
    for (let i = 0; i < 200; i++) {
      const run = await host.host.store.runs().get(id);
      if (run?.finishedAt) return run;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`run ${id} did not finish`);
  }

  it('a signed body starts the workflow with the trigger\'s output, once per delivery id', async () => {
    const body = JSON.stringify({ orderId: 'A-1', amount: 12.5 });
    const first = await post('/hooks/pos/payment', body, signed(body, { delivery: 'dlv-1' }));
    expect(first.status).toBe(202);
    expect(first.json).toMatchObject({ delivery: 'dlv-1', runs: [expect.stringMatching(/^run_/)] });
    const run = await finished(first.json.runs[0]);
    expect(run).toMatchObject({ status: 'completed', triggerKey: 'webhook:dlv-1', workflowId: 'bill' });
    expect(JSON.parse(run.trigger)).toEqual({ orderId: 'A-1', cents: 1250 });
    const [step] = await host.host.store.runs().steps(run.id);
    expect(JSON.parse(step!.output!)).toEqual({ recorded: 'A-1', cents: 1250 });

    const again = await post('/hooks/pos/payment', body, signed(body, { delivery: 'dlv-1' }));
    expect(again).toEqual({ status: 202, json: { delivery: 'dlv-1', runs: [] } });
  });

  it('starts nothing when the trigger answers null or the workflow\'s if is false', async () => {
    for (const amount of [0, 20000]) {
      const body = JSON.stringify({ orderId: `Z-${amount}`, amount });
      const response = await post('/hooks/pos/payment', body, signed(body));
      expect(response.json.runs).toEqual([]);
      expect(response.status).toBe(amount === 0 ? 200 : 202);
    }
  });

  it('refuses what is not signed with the install\'s secret, or was signed too long ago, and starts nothing', async () => {
    const before = (await host.host.store.runs().list({ tenantId: 'acme', workflowId: 'bill', limit: 1000 })).length;
    const body = JSON.stringify({ orderId: 'B-1', amount: 1 });
    const { 'x-lianjie-signature': _, ...unsigned } = signed(body);
    expect(await post('/hooks/pos/payment', body, unsigned)).toMatchObject({ status: 401, json: { error: { code: 'webhook.signature_mismatch' } } });
    expect(await post('/hooks/pos/payment', body, signed(body, { key: 'another-secret-value' }))).toMatchObject({ status: 401 });
    expect(await post('/hooks/pos/payment', `${body} `, signed(body))).toMatchObject({ status: 401 });
    // A captured request sent again under another delivery id: the id is signed too.
    const captured = signed(body, { delivery: 'dlv-captured' });
    expect(await post('/hooks/pos/payment', body, { ...captured, 'x-lianjie-delivery': 'dlv-replayed' })).toMatchObject({ status: 401 });
    const old = signed(body, { at: Date.now() - 6 * 60_000 });
    expect(await post('/hooks/pos/payment', body, old)).toMatchObject({ status: 401, json: { error: { code: 'webhook.expired' } } });
    expect((await host.host.store.runs().list({ tenantId: 'acme', workflowId: 'bill', limit: 1000 })).length).toBe(before);
  });

  it('answers every address that is not a usable webhook alike, and bad requests with the reason', async () => {
    const body = JSON.stringify({ orderId: 'C-1', amount: 1 });
    for (const target of ['/hooks/nope/payment', '/hooks/pos/refund', '/hooks/pos/nightly', '/hooks/pos-unsigned/payment']) {
      const response = await post(target, body, signed(body));
      expect(response).toMatchObject({ status: 404, json: { error: { code: 'trigger.not_found', message: `no webhook at ${target}` } } });
    }
    const notJson = '{"orderId":';
    expect(await post('/hooks/pos/payment', notJson, signed(notJson))).toMatchObject({ status: 400, json: { error: { code: 'request.invalid' } } });
    const invalid = JSON.stringify({ orderId: 'C-2', amount: -5 });
    const refused = await post('/hooks/pos/payment', invalid, signed(invalid));
    expect(refused).toMatchObject({ status: 400, json: { error: { code: 'trigger.input_invalid', details: [{ pointer: '/amount' }] } } });
    const { 'x-lianjie-delivery': _, ...noDelivery } = signed(body);
    expect(await post('/hooks/pos/payment', body, noDelivery)).toMatchObject({ status: 400, json: { error: { details: [{ pointer: '/headers/x-lianjie-delivery' }] } } });
    expect(await post('/hooks/pos/payment', body, { ...signed(body), 'x-lianjie-timestamp': 'yesterday' })).toMatchObject({ status: 400, json: { error: { details: [{ pointer: '/headers/x-lianjie-timestamp' }] } } });
  });

  it('a schedule trigger fires every second in the tenant\'s timezone and starts its workflow each tick', async () => {
    let runs: StoredRun[] = [];
    for (let i = 0; i < 120 && runs.filter((r) => r.status === 'completed').length < 2; i++) {
      runs = await host.host.store.runs().list({ tenantId: 'acme', workflowId: 'clock', limit: 100 });
      await new Promise((r) => setTimeout(r, 50));
    }
    const done = runs.filter((r) => r.status === 'completed');
    expect(done.length).toBeGreaterThanOrEqual(2);
    for (const run of done) {
      const { at } = JSON.parse(run.trigger) as { at: string };
      expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      expect(run.triggerKey).toMatch(new RegExp(`^schedule:pos:every:${at.replaceAll('.', '\\.')}$`));
    }
    expect(new Set(done.map((r) => r.triggerKey)).size).toBe(done.length);
  });

  it('an event trigger derives its output from canonical events: some start the workflow, some nothing, a failure is kept', async () => {
    for (const [n, state] of ['vip', 'walk-in', 'boom'].entries()) {
      const xml = contactAddedXml({ corpId: demoCorpId, userId: 'staff', externalUserId: `wmTrig${n}`, createTime: 1700500000 + n, state });
      const cb = signedCallback({ ...demoKeys, receiveId: demoCorpId }, xml, { agentId: 218 });
      expect((await fetch(`${host.url}/wecom/callback/acme/crm?${cb.query}`, { method: 'POST', body: cb.body })).status).toBe(200);
    }
    let runs: StoredRun[] = [];
    for (let i = 0; i < 200 && runs.filter((r) => r.finishedAt !== null).length < 2; i++) {
      runs = await host.host.store.runs().list({ tenantId: 'acme', workflowId: 'vip', limit: 10 });
      await new Promise((r) => setTimeout(r, 25));
    }
    const events = await host.host.store.listEvents({ tenantId: 'acme', type: 'wecom.external_contact.add', limit: 10 });
    const eventOf = (who: string) => events.find((e) => e.data.externalUserId === who)!.id;
    expect(runs.map((r) => [r.status, r.triggerKey, JSON.parse(r.trigger), r.failure?.code ?? null]).sort()).toEqual([
      ['completed', `event:${eventOf('wmTrig0')}:vip`, { who: 'wmTrig0' }, null],
      ['failed', `event:${eventOf('wmTrig2')}:vip`, expect.objectContaining({ type: 'wecom.external_contact.add' }), 'plugin.boom'],
    ]);
    const failed = runs.find((r) => r.status === 'failed')!;
    expect(failed.failure).toMatchObject({ step: 'trigger:acme.pos/vip' });
    await expect(replayRun(host.host.store, failed)).rejects.toMatchObject({ code: 'run.not_replayable' });
  });
});
