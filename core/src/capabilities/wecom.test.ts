// The `wecom` capability through the registry, against the simulator over loopback and a real SQLite store: one
// permission per method, changes made once per workflow step, and the tenant's contact quota across plugins.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wecomPermissions } from '../../../sdk/src/capabilities/wecom-permissions.ts';
import { freshTempDir, type TempDir } from '../../../test/support/tmp.ts';
import { createLogger } from '../ops/logger.ts';
import { schemaPath } from '../schema/paths.ts';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/types.ts';
import { createWecomClient } from '../wecom/api/client.ts';
import { createWecomSimulator, type WecomSimulator } from '../wecom/simulator/index.ts';
import { createCapabilityRegistry, type CapabilityRegistry } from './registry.ts';
import type { CallScope } from './types.ts';
import { createWecomCapability } from './wecom.ts';

const corpId = 'wwquota000001';
const secret = 'contact-secret';
// Wednesday 2026-02-11, 10:00 in Shanghai.
const now = Date.parse('2026-02-11T02:00:00Z');
const scope = (over: Partial<CallScope> = {}): CallScope => ({ tenantId: 'acme', installId: 'inst-a', pluginId: 'acme.a', pluginVersion: '1.0.0', httpHosts: [], ...over });
const all = Object.values(wecomPermissions);

describe('the wecom capability', () => {
  let tmp: TempDir;
  let store: Store;
  let sim: WecomSimulator;
  let server: { url: string; close(): Promise<void> };
  let registry: CapabilityRegistry;
  const refusedWindows: string[] = [];

  beforeAll(async () => {
    tmp = await freshTempDir('lianjie-wecom-cap-');
    store = openStore(`file:${tmp.file('lianjie.db')}`);
    await store.migrate();
    sim = createWecomSimulator({ clock: () => now, corps: [{ corpId, secrets: { [secret]: 'contact' } }] });
    server = await sim.listen();
    const world = sim.world(corpId);
    world.addStaff({ userid: 'zhangsan' });
    for (const id of ['wm-a', 'wm-b', 'wm-c']) world.addCustomer({ externalUserid: id, name: id, follow: [{ userid: 'zhangsan' }] });
    world.addTagGroup({ groupName: 'VIP', tags: [{ id: 'etVIP', name: 'VIP' }] });
    const capability = createWecomCapability({
      client: createWecomClient({ baseUrl: server.url, sleep: async () => {} }),
      access: (s) => (s.tenantId === 'acme' ? { credentials: { kind: 'corp', corpId, secret }, timezone: 'Asia/Shanghai', quota: { perWeek: 2 } } : undefined),
      effects: store.effects(),
      contactSends: store.contactSends(),
      clock: () => now,
      onQuotaRefused: (_tenant, window) => refusedWindows.push(window),
    });
    registry = createCapabilityRegistry([capability], { logger: createLogger('silent') });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await tmp?.remove();
  });

  it('offers each method only with its own permission, and the permissions are the schema\'s', () => {
    const schema = JSON.parse(readFileSync(schemaPath('capabilities/wecom.schema.json'), 'utf8')) as { $defs: Record<string, { enum?: string[] }> };
    expect([...all].sort()).toEqual([...schema.$defs.permission!.enum!].sort());
    for (const method of Object.keys(wecomPermissions)) expect(schema.$defs[method], method).toBeDefined();
    expect(registry.describe(['wecom.welcome.send'])).toEqual({ wecom: ['sendWelcome'] });
    expect(Object.keys(registry.describe(all).wecom ?? [])).toHaveLength(14);
  });

  it('refuses a method without its permission, and arguments that do not match the schema', async () => {
    expect(await registry.call(scope(), ['wecom.welcome.send'], 'wecom', 'markTags', { userId: 'zhangsan', externalUserId: 'wm-a', add: ['etVIP'] }))
      .toMatchObject({ ok: false, failure: { code: 'capability.denied', message: expect.stringContaining('"wecom.corp_tag.mark"') } });
    expect(await registry.call(scope(), all, 'wecom', 'getExternalContact', { external_userid: 'wm-a' }))
      .toMatchObject({ ok: false, failure: { code: 'capability.args_invalid', details: expect.arrayContaining([{ pointer: '/externalUserId', message: 'is required' }]) } });
  });

  it('answers WeCom\'s JSON without errcode, and WeCom\'s errors as coded failures', async () => {
    const got = await registry.call(scope(), all, 'wecom', 'getExternalContact', { externalUserId: 'wm-a' });
    expect(got).toMatchObject({ ok: true, output: { external_contact: { external_userid: 'wm-a' } } });
    expect(got.ok && 'errcode' in (got.output as object)).toBe(false);
    expect(await registry.call(scope(), all, 'wecom', 'sendWelcome', { welcomeCode: 'nope', text: 'hi' }))
      .toMatchObject({ ok: false, failure: { code: 'wecom.welcome_code_expired', retryable: false } });
    expect(await registry.call(scope({ tenantId: 'other' }), all, 'wecom', 'getUser', { userId: 'zhangsan' }))
      .toMatchObject({ ok: false, failure: { code: 'wecom.not_configured' } });
  });

  it('makes a change once per workflow step: a retried step gets the recorded answer', async () => {
    const step = () => scope({ runId: 'run_1', idempotencyKey: 'run_1:tag' });
    const marks = () => sim.effects.filter((e) => e.path === '/cgi-bin/externalcontact/mark_tag').length;
    const before = marks();
    const first = await registry.call(step(), all, 'wecom', 'markTags', { userId: 'zhangsan', externalUserId: 'wm-a', add: ['etVIP'] });
    const retried = await registry.call(step(), all, 'wecom', 'markTags', { userId: 'zhangsan', externalUserId: 'wm-a', add: ['etVIP'] });
    expect(first).toEqual(retried);
    expect(marks()).toBe(before + 1);
    expect((await store.effects().find('run_1:tag#wecom.markTags#1'))?.effect).toBe('wecom.markTags');
  });

  it('refuses the (N+1)th mass message to one customer in the window with quota.exceeded; other customers are unaffected', async () => {
    const send = (ids: string[], n: number, installId = 'inst-a') =>
      registry.call(scope({ installId, runId: `run_m${n}`, idempotencyKey: `run_m${n}:send` }), all, 'wecom', 'sendMassMessage', { sender: 'zhangsan', externalUserIds: ids, text: `news ${n}` });
    expect((await send(['wm-b'], 1)).ok).toBe(true);
    // Another plugin of the same tenant shares the quota.
    expect((await send(['wm-b'], 2, 'inst-b')).ok).toBe(true);
    const third = await send(['wm-b'], 3);
    expect(third).toMatchObject({ ok: false, failure: { code: 'quota.exceeded', retryable: true, retryAt: '2026-02-15T16:00:00.000Z' } });
    expect(third.ok === false && third.failure.message).toContain('2 per week');
    // wm-c is unaffected: sent to; wm-b is left out and listed.
    const mixed = await send(['wm-b', 'wm-c'], 4);
    expect(mixed).toMatchObject({ ok: true, output: { refused_by_quota: [{ external_userid: 'wm-b', window: 'week', limit: 2 }] } });
    const lastTask = sim.effects.filter((e) => e.path === '/cgi-bin/externalcontact/add_msg_template').at(-1);
    expect(lastTask?.body.external_userid).toEqual(['wm-c']);
    expect(refusedWindows).toEqual(['week', 'week']);
    // A retried step is not a second message: the recorded answer, no quota taken, no task sent.
    const tasks = sim.effects.filter((e) => e.path === '/cgi-bin/externalcontact/add_msg_template').length;
    expect(await send(['wm-b'], 1)).toMatchObject({ ok: true });
    expect(sim.effects.filter((e) => e.path === '/cgi-bin/externalcontact/add_msg_template').length).toBe(tasks);
    expect(await store.contactSends().list('acme', 'wm-b', 0)).toHaveLength(2);
    // And if the ledger had lost the answer, the quota still counts the step's send once.
    expect(await store.contactSends().take({ tenantId: 'acme', contactId: 'wm-b', key: 'run_m1:send#wecom.sendMassMessage#1', sentAt: now }, [{ name: 'week', since: 0, limit: 2 }]))
      .toEqual({ ok: true, counted: false });
  });

  it('gives back the quota when WeCom does not take the message', async () => {
    sim.inject('externalcontact/add_msg_template', 40003, 1);
    const failed = await registry.call(scope({ runId: 'run_x', idempotencyKey: 'run_x:send' }), all, 'wecom', 'sendMassMessage', { sender: 'zhangsan', externalUserIds: ['wm-a'], text: 'x' });
    expect(failed).toMatchObject({ ok: false, failure: { code: 'wecom.api_error' } });
    // The send reached WeCom (so the quota had been taken), and the slot was given back.
    expect(sim.effects.at(-1)).toMatchObject({ path: '/cgi-bin/externalcontact/add_msg_template', errcode: 40003 });
    expect(await store.contactSends().list('acme', 'wm-a', 0)).toEqual([]);
  });
});
