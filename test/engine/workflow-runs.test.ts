// Workflows run end to end in a real host: a signed WeCom callback over HTTP, the decoder, the router, the executor
// and sandboxed plugin actions, on SQLite and on PostgreSQL.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Install } from '../../core/src/plugins/types.ts';
import type { StoredRun } from '../../core/src/store/types.ts';
import { signedCallback } from '../../core/src/wecom/simulator/callbacks.ts';
import { contactAddedXml } from '../../core/src/wecom/simulator/messages.ts';
import { demoCorpId, demoKeys, dialects, startHost, type RunningHost } from '../support/host.ts';
import { inlinePlugin, testInstall, testManifest } from '../support/plugins.ts';

const keys = { ...demoKeys, receiveId: demoCorpId };

const pluginCode = `lianjie.register({ actions: {
  tag: async (input, ctx) => { await ctx.store.set({ key: 'tag:' + input.who, value: input.tags }); return { ok: true, who: input.who }; },
  // Sends, then fails once after the send (as a crash after an effect would): the retry must not send again.
  notify: async (input, ctx) => {
    const response = await ctx.http.fetch({ url: input.url, method: 'POST', body: JSON.stringify({ who: input.who }) });
    const tries = ((await ctx.store.get({ key: 'tries:' + input.who })).value ?? 0) + 1;
    await ctx.store.set({ key: 'tries:' + input.who, value: tries });
    if (tries === 1) throw { code: 'flaky', message: 'failed after sending', retryable: true };
    return { status: response.status, body: response.body, tries };
  },
  hang: () => new Promise(() => {}),
} });`;

/** The plugin, allowed to reach the test's sink on `port`. */
const crmPlugin = (port: number) =>
  inlinePlugin(testManifest('acme.crm', ['tag', 'notify', 'hang'], { permissions: ['store', 'http'], http: { hosts: [`127.0.0.1:${port}`] } }), pluginCode);

function workflow(id: string, steps: unknown[], trigger: Record<string, unknown> = { event: 'wecom.external_contact.add' }) {
  return { id, name: id, tenantId: 'acme', trigger, steps };
}

describe.each(dialects)('workflow runs on %s', (dialect) => {
  let host: RunningHost;
  let sink: Server;
  let sinkUrl: string;
  const received: { key: string | undefined; body: string }[] = [];
  let install: Install;

  beforeAll(async () => {
    sink = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ key: request.headers['idempotency-key'] as string | undefined, body });
        response.end(`received ${received.length}`);
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const port = (sink.address() as AddressInfo).port;
    sinkUrl = `http://127.0.0.1:${port}/hook`;
    install = testInstall(crmPlugin(port), 'acme', ['store', 'http']);
    host = await startHost(dialect, { installs: [install] });
  });
  afterAll(async () => {
    await host?.close();
    await new Promise((resolve) => sink.close(resolve));
  });

  let sent = 0;
  async function addContact(fields: { state?: string; externalUserId?: string } = {}): Promise<string> {
    const externalUserId = fields.externalUserId ?? `wmRun${++sent}`;
    const xml = contactAddedXml({ corpId: demoCorpId, userId: 'staff', externalUserId, createTime: 1700200000 + sent, state: fields.state });
    const cb = signedCallback(keys, xml, { agentId: 218 });
    const response = await host.post(`/wecom/callback/acme/crm?${cb.query}`, cb.body);
    expect(response).toEqual({ status: 200, text: 'success' });
    return externalUserId;
  }

  async function apply(definition: ReturnType<typeof workflow>): Promise<void> {
    await host.host.store.workflows().apply('acme', definition.id, JSON.stringify(definition));
  }

  /** The run of `workflowId` whose trigger is the contact `who`, once it has finished. */
  async function finishedRun(workflowId: string, who: string): Promise<StoredRun> {
    for (let i = 0; i < 400; i++) {
      const runs = await host.host.store.runs().list({ tenantId: 'acme', workflowId, limit: 1000 });
      const run = runs.find((r) => JSON.parse(r.trigger).data.externalUserId === who);
      if (run && run.finishedAt !== null) return run;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no finished run of ${workflowId} for ${who}`);
  }

  it('a callback starts the matching workflow; its steps run in order and are recorded', async () => {
    await apply(workflow('welcome', [
      { id: 'tag', action: 'acme.crm/tag', input: { who: '{{ trigger.data.externalUserId }}', tags: ['store42'] } },
      { id: 'check', branch: { if: 'steps.tag.output.ok', then: [{ id: 'tagAgain', action: 'acme.crm/tag', input: { who: 'again-{{ steps.tag.output.who }}', tags: [] } }] } },
    ], { event: 'wecom.external_contact.add', if: "trigger.data.state = 'store42'" }));
    await new Promise((r) => setTimeout(r, 300)); // the router re-reads workflows every 250 ms
    const who = await addContact({ state: 'store42' });
    const run = await finishedRun('welcome', who);
    expect(run).toMatchObject({ status: 'completed', version: 1, failure: null });
    const steps = await host.host.store.runs().steps(run.id);
    expect(steps.map((s) => [s.stepPath, s.status])).toEqual([['tag', 'completed'], ['tagAgain', 'completed'], ['check', 'completed']]);
    expect(JSON.parse(steps[0]!.input!)).toEqual({ who, tags: ['store42'] });
    expect(await host.host.store.pluginKv().get(install.id, `tag:again-${who}`)).toBe('[]');

    // The trigger's condition: a contact added through another channel starts nothing.
    const other = await addContact({ state: 'store7' });
    await addContact({ state: 'store42' }).then((w) => finishedRun('welcome', w));
    const runs = await host.host.store.runs().list({ tenantId: 'acme', workflowId: 'welcome', limit: 100 });
    expect(runs.some((r) => JSON.parse(r.trigger).data.externalUserId === other)).toBe(false);
  });

  it('a step timeout fails the attempt as sandbox.timeout; the retry policy tries again', async () => {
    await apply(workflow('hangs', [
      { id: 'stuck', action: 'acme.crm/hang', timeoutMs: 200, retry: { attempts: 2, on: ['sandbox.timeout'], backoff: { initialMs: 10 } } },
    ]));
    await new Promise((r) => setTimeout(r, 300));
    const run = await finishedRun('hangs', await addContact());
    expect(run.status).toBe('failed');
    expect(run.failure).toMatchObject({ code: 'sandbox.timeout', step: 'stuck' });
    const steps = await host.host.store.runs().steps(run.id);
    expect(steps.map((s) => [s.attempt, s.status, s.failure?.code])).toEqual([[1, 'failed', 'sandbox.timeout'], [2, 'failed', 'sandbox.timeout']]);
    for (const s of steps) expect(s.finishedAt - s.startedAt).toBeGreaterThanOrEqual(150);
  });

  it('an effect is sent once: the retry after a failure gets the recorded response', async () => {
    await apply(workflow('notifies', [
      { id: 'send', action: 'acme.crm/notify', input: { url: sinkUrl, who: '{{ trigger.data.externalUserId }}' }, retry: { attempts: 3, backoff: { initialMs: 10 } } },
    ]));
    await new Promise((r) => setTimeout(r, 300));
    const who = await addContact();
    const run = await finishedRun('notifies', who);
    expect([run.status, run.failure]).toEqual(['completed', null]);
    const mine = received.filter((r) => JSON.parse(r.body).who === who);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.key).toBe(`${run.id}:send#http.fetch#1`);
    const steps = await host.host.store.runs().steps(run.id);
    expect(steps.map((s) => [s.attempt, s.status])).toEqual([[1, 'failed'], [2, 'completed']]);
    expect(JSON.parse(steps[1]!.output!)).toMatchObject({ status: 200, tries: 2 });
    expect((await host.host.store.effects().find(`${run.id}:send#http.fetch#1`))?.effect).toBe('http.fetch');
  });
});
