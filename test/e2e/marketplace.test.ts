// The marketplace end to end, over loopback HTTP against the WeCom simulator: a vendor publishes, the platform team
// approves, a tenant admin installs with consent and config, a workflow uses the install, usage shows the calls;
// 1.1.0 (same permissions) is applied on approval; 2.0.0 (a new permission, a breaking config, a migration) waits for
// consent; after consent the plugin's own migration, run in the sandbox, has moved the config and the workflow
// still runs; uninstalling disables the workflow. Afterwards the SQLite file holds none of the secrets' bytes.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredRun } from '../../core/src/store/types.ts';
import { createWecomSimulator, type WecomSimulator } from '../../core/src/wecom/simulator/index.ts';
import { until } from '../support/until.ts';
import { demoKeys, dialects, startHost, type RunningHost } from '../support/host.ts';
import { loyaltyId, loyaltyTarball } from '../support/vendor-plugin.ts';

const secretKey = randomBytes(32).toString('base64');
process.env.LIANJIE_SECRET_KEY = secretKey;

const platformToken = 'platform-token-marketplace-0123456789';
const corpId = 'wwacmemarket0001';
const appSecret = 'acme-market-app-secret-77';
const apiKey = 'sk-loyalty-5f1c9e0b7a2d4c68';
const webhookSecret = 'whsec-loyalty-93b1d0a8e6f2';

describe.each(dialects)('the marketplace, on %s', (dialect) => {
  let sim: WecomSimulator;
  let simServer: { url: string; close(): Promise<void> };
  let host: RunningHost;
  let configId = '';
  const tokens: Record<'vendor' | 'other' | 'acme' | 'beta', string> = { vendor: '', other: '', acme: '', beta: '' };
  let installId = '';

  beforeAll(async () => {
    sim = createWecomSimulator({ corps: [{ corpId, secrets: { [appSecret]: 1000002 } }] });
    simServer = await sim.listen();
    sim.world(corpId).addStaff({ userid: 'wangwu', name: '王五' });
    configId = sim.world(corpId).addContactWay({ users: ['wangwu'], state: 'till-7' }).configId;
    host = await startHost(dialect, {
      config: {
        api: { tokens: [{ id: 'ops', token: platformToken }] }, wecom: { baseUrl: simServer.url },
        tenants: [
          { id: 'acme', name: 'Acme Fruit', corpId, apps: [{ id: 'crm', agentId: 1000002, secret: appSecret, ...demoKeys }] },
          { id: 'beta', corpId: 'wwbetajewels0001', apps: [] },
        ],
      } as never,
    });
    sim.setCallbacks(corpId, [{ url: `${host.url}/wecom/callback/acme/crm`, ...demoKeys, receiveId: corpId }]);
    for (const [name, body] of [
      ['vendor', { role: 'vendor', vendorId: 'acme-soft', label: 'Acme Soft' }], ['other', { role: 'vendor', vendorId: 'other-soft', label: 'Other' }],
      ['acme', { role: 'tenant', tenantId: 'acme', label: 'Acme IT' }], ['beta', { role: 'tenant', tenantId: 'beta', label: 'Beta IT' }],
    ] as const) {
      tokens[name] = (await api('POST', '/api/v1/tokens', body)).json.secret;
    }
  });
  let closed = false;
  afterAll(async () => {
    if (closed) await host.database.drop();
    else await host?.close();
    await simServer?.close();
  });

  async function api(method: string, target: string, body?: unknown, as?: keyof typeof tokens) {
    const response = await fetch(host.url + target, {
      method, headers: { authorization: `Bearer ${as ? tokens[as] : platformToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, text, json: JSON.parse(text) as any };
  }

  async function publish(version: string) {
    const submitted = await api('POST', '/api/v1/plugins', { tarball: await loyaltyTarball(version) }, 'vendor');
    expect(submitted.status, submitted.text).toBe(201);
    const approved = await api('POST', `/api/v1/plugins/${loyaltyId}/versions/${version}/review`, { decision: 'approve' });
    expect(approved.status, approved.text).toBe(200);
  }

  /** A customer adds 王五 through the till code: answers the run it starts, once finished. */
  async function customerArrives(): Promise<{ run: StoredRun; externalUserId: string }> {
    const before = new Set((await host.host.store.runs().list({ tenantId: 'acme', limit: 100 })).map((r) => r.id));
    const added = await sim.world(corpId).customerAddsStaff({ configId, name: `顾客${before.size}` });
    for (let i = 0; i < 400; i++) {
      const run = (await host.host.store.runs().list({ tenantId: 'acme', limit: 100 })).find((r) => !before.has(r.id));
      if (run && run.status !== 'pending' && run.status !== 'running') return { run, externalUserId: added.externalUserId };
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('no run finished');
  }

  async function greetOutput(runId: string) {
    const steps = await host.host.store.runs().steps(runId);
    return JSON.parse(steps.find((s) => s.stepPath === 'greet')!.output!) as { text: string; visits: number; remarked?: boolean };
  }

  it('publish → approve → install with consent and config → a workflow uses it → usage shows the calls', async () => {
    await publish('1.0.0');
    // Consent is to every permission the version declares.
    const partial = await api('POST', '/api/v1/tenants/acme/installs', { plugin: loyaltyId, consent: ['store'], config: { apiKey } }, 'acme');
    expect(partial).toMatchObject({ status: 409, json: { error: { code: 'install.consent_required', details: [{ pointer: '/body/consent' }] } } });
    const badConfig = await api('POST', '/api/v1/tenants/acme/installs', { plugin: loyaltyId, consent: ['store', 'wecom.external_contact.get'], config: { greeting: '' } }, 'acme');
    expect(badConfig.status).toBe(400);
    expect(badConfig.json.error.details.map((d: { pointer: string }) => d.pointer)).toEqual(expect.arrayContaining(['/body/config/apiKey', '/body/config/greeting']));
    // Another tenant's admin cannot install into acme: acme does not exist for it.
    expect((await api('POST', '/api/v1/tenants/acme/installs', { plugin: loyaltyId, consent: [] }, 'beta')).status).toBe(404);

    const installed = await api('POST', '/api/v1/tenants/acme/installs', {
      id: 'loyalty', plugin: loyaltyId, consent: ['store', 'wecom.external_contact.get'], config: { greeting: '欢迎', apiKey }, webhookSecret,
    }, 'acme');
    expect(installed.status, installed.text).toBe(201);
    installId = installed.json.install.id;
    expect(installed.json.install).toMatchObject({
      id: 'loyalty', plugin: loyaltyId, version: '1.0.0', origin: 'registry', status: 'active', hasWebhookSecret: true,
      config: { greeting: '欢迎', apiKey: '[redacted]' }, upgrade: null,
    });
    expect(installed.text).not.toContain(apiKey);
    expect(installed.text).not.toContain(webhookSecret);
    // The admin edits the config as it was shown, without the secret it never saw: the secret is kept.
    const edited = await api('PATCH', `/api/v1/tenants/acme/installs/${installId}`, { config: { greeting: '欢迎' } }, 'acme');
    expect(edited, edited.text).toMatchObject({ status: 200, json: { install: { config: { greeting: '欢迎', apiKey: '[redacted]' } } } });

    const workflow = {
      id: 'greet-new', name: 'Greet new customers', tenantId: 'acme', trigger: { event: 'wecom.external_contact.add' },
      steps: [{ id: 'greet', action: `${loyaltyId}/greet`, input: { externalUserId: '{{ trigger.data.externalUserId }}' } }],
    };
    const saved = await api('PUT', '/api/v1/tenants/acme/workflows/greet-new', workflow, 'acme');
    expect(saved, saved.text).toMatchObject({ status: 200, json: { version: 1, created: true } });
    const wrongInput = await api('PUT', '/api/v1/tenants/acme/workflows/greet-new', { ...workflow, steps: [{ ...workflow.steps[0], input: { nope: 1 } }] }, 'acme');
    expect(wrongInput.json.error).toMatchObject({ code: 'workflow.invalid' });
    expect(wrongInput.json.error.details.map((d: { pointer: string }) => d.pointer)).toEqual(['/body/steps/0/input/externalUserId', '/body/steps/0/input/nope']);

    const { run, externalUserId } = await customerArrives();
    expect(run.status, JSON.stringify(run.failure)).toBe('completed');
    expect(await greetOutput(run.id)).toMatchObject({ text: expect.stringMatching(/^欢迎, 顾客/), visits: 1 });

    const usage = await until(async () => {
      const rows = (await api('GET', `/api/v1/usage?plugin=${loyaltyId}`, undefined, 'vendor')).json.usage;
      return rows.length > 0 && rows[0].invocations >= 1 ? rows : undefined;
    });
    expect(usage).toHaveLength(1);
    expect(usage[0]).toMatchObject({ tenantId: 'acme', pluginId: loyaltyId, installId, invocations: 1, wecomCalls: 1, effects: 0, contacts: 1, staff: 0 });
    expect(usage[0].month).toMatch(/^\d{4}-\d{2}$/);
    expect(externalUserId).toBeTruthy();
    // Another vendor sees none of it, nor does another tenant; the tenant sees its own, the platform all.
    expect((await api('GET', '/api/v1/usage', undefined, 'other')).json.usage).toEqual([]);
    expect((await api('GET', '/api/v1/usage?tenant=acme', undefined, 'beta')).json.usage).toEqual([]);
    expect((await api('GET', '/api/v1/usage', undefined, 'acme')).json.usage).toHaveLength(1);
    expect((await api('GET', '/api/v1/usage?tenant=acme')).json.usage).toHaveLength(1);
  });

  it('1.1.0 with the same permissions is applied as soon as it is approved', async () => {
    await publish('1.1.0');
    const shown = await api('GET', `/api/v1/tenants/acme/installs/${installId}`, undefined, 'acme');
    expect(shown.json.install).toMatchObject({ version: '1.1.0', upgrade: null, config: { greeting: '欢迎' } });
  });

  it('2.0.0 with a new permission and a config migration waits for consent; after it the migrated config runs', async () => {
    await publish('2.0.0');
    const waiting = await api('GET', `/api/v1/tenants/acme/installs/${installId}`, undefined, 'acme');
    expect(waiting.json.install).toMatchObject({
      version: '1.1.0',
      upgrade: { version: '2.0.0', newPermissions: ['wecom.external_contact.remark'], majorChange: true, needsConsent: true, migratesConfig: true },
    });
    // Still 1.x: the workflow runs with the old config, and nothing is remarked.
    const before = await customerArrives();
    expect(await greetOutput(before.run.id)).toEqual({ text: expect.stringMatching(/^欢迎, /), visits: 1 });
    // A fix of the 1.x line approved after 2.0.0 is still applied: the install's own line is what counts.
    await publish('1.2.0');
    const fixed = await api('GET', `/api/v1/tenants/acme/installs/${installId}`, undefined, 'acme');
    expect(fixed.json.install).toMatchObject({ version: '1.2.0', upgrade: { version: '2.0.0', needsConsent: true } });

    const refused = await api('POST', `/api/v1/tenants/acme/installs/${installId}/upgrade`, { consent: ['store', 'wecom.external_contact.get'] }, 'acme');
    expect(refused).toMatchObject({ status: 409, json: { error: { code: 'install.consent_required' } } });
    expect(refused.json.error.details).toContainEqual({ pointer: '/body/consent', message: expect.stringContaining('wecom.external_contact.remark') });

    const upgraded = await api('POST', `/api/v1/tenants/acme/installs/${installId}/upgrade`, { consent: ['store', 'wecom.external_contact.get', 'wecom.external_contact.remark'] }, 'acme');
    expect(upgraded.status, upgraded.text).toBe(200);
    expect(upgraded.json.install).toMatchObject({
      version: '2.0.0', grants: ['store', 'wecom.external_contact.get', 'wecom.external_contact.remark'], upgrade: null,
      config: { salutation: { text: '欢迎', remark: true }, apiKey: '[redacted]' },
    });

    const after = await customerArrives();
    expect(after.run.status).toBe('completed');
    expect(await greetOutput(after.run.id)).toEqual({ text: expect.stringMatching(/^欢迎, /), visits: 1, remarked: true });
    const follow = sim.world(corpId).follow(after.externalUserId, 'wangwu');
    expect(follow?.remark).toBe('VIP 1');
    // Three greets and the migration ran in the sandbox; the remark is an effect, and names a staff account.
    const usage = await until(async () => {
      const [row] = (await api('GET', `/api/v1/usage?plugin=${loyaltyId}`, undefined, 'vendor')).json.usage;
      return row?.effects >= 1 ? row : undefined;
    });
    expect(usage).toMatchObject({ invocations: 4, wecomCalls: 4, effects: 1, contacts: 3, staff: 1 });
  });

  it('uninstalling stops the install, disables the workflow that uses it and keeps its data for the retention period', async () => {
    const removed = await api('DELETE', `/api/v1/tenants/acme/installs/${installId}`, undefined, 'acme');
    expect(removed.status, removed.text).toBe(200);
    expect(removed.json).toMatchObject({ install: { status: 'uninstalled', config: null }, disabledWorkflows: ['greet-new'] });
    expect(Date.parse(removed.json.install.retainUntil) - Date.parse(removed.json.install.uninstalledAt)).toBe(30 * 86_400_000);
    const workflows = await api('GET', '/api/v1/tenants/acme/workflows', undefined, 'acme');
    expect(workflows.json.workflows).toEqual([expect.objectContaining({ workflowId: 'greet-new', version: 2, enabled: false })]);
    expect(host.host.catalog.current().installs.find((i) => i.id === installId)).toBeUndefined();
    // Its plugin storage is kept until the purge.
    expect((await host.host.store.pluginKv().usage(installId)).keys).toBeGreaterThan(0);
    expect(await host.host.store.installs().purgeDue(Date.now() + 31 * 86_400_000)).toEqual([installId]);
    expect((await host.host.store.pluginKv().usage(installId)).keys).toBe(0);
  });

  it.runIf(dialect === 'sqlite')('the database file and its WAL hold none of the secrets\' bytes', async () => {
    await host.host.close();
    closed = true;
    const dir = path.dirname(host.database.url.replace(/^file:/, ''));
    const bytes = Buffer.concat(readdirSync(dir).map((f) => readFileSync(path.join(dir, f))));
    const secrets = { appSecret, apiKey, webhookSecret, secretKey, ...Object.fromEntries(Object.entries(tokens).map(([k, v]) => [`token:${k}`, v.split('.')[1]!])) };
    for (const [name, secret] of Object.entries(secrets)) {
      expect(bytes.includes(Buffer.from(secret)), name).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf16le')), `${name} (UTF-16)`).toBe(false);
    }
    // The scan reads real content: the workflow and the install's non-secret config are there.
    expect(bytes.includes(Buffer.from('greet-new'))).toBe(true);
    expect(bytes.includes(Buffer.from(loyaltyId))).toBe(true);
  });
});
