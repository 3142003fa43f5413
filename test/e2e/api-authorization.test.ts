// Every /api/v1 route, walked with every kind of caller: none, the platform team, a vendor, a tenant admin of the
// tenant the data belongs to, and one of another tenant. Each answer is the expected allow or deny; a cross-tenant
// read answers 404 and its body names nothing of the other tenant's; every allowed answer matches the route's
// declared schema; and every route is in /openapi.json.
import { randomBytes } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes } from '../../core/src/api/admin-api.ts';
import type { RouteSpec } from '../../core/src/api/define-route.ts';
import { newId } from '../../core/src/ids.ts';
import { schemaCheck } from '../../core/src/schema/validator.ts';
import { demoCorpId, demoKeys, startHost, type RunningHost } from '../support/host.ts';
import { greeterTarball } from '../support/plugin-package.ts';

process.env.LIANJIE_SECRET_KEY = randomBytes(32).toString('base64');

const platformToken = 'platform-token-0123456789abcdef';
const workflow = (tenantId: string) => JSON.stringify({ id: 'w', name: 'w', tenantId, trigger: { event: 'message.text' }, steps: [{ id: 'pause', wait: 'P1D' }] });

type CallerName = 'none' | 'platform' | 'vendor' | 'acme' | 'beta';
const callers: CallerName[] = ['none', 'platform', 'vendor', 'acme', 'beta'];

describe('authorisation of every admin API route', () => {
  let host: RunningHost;
  const secrets: Partial<Record<CallerName, string>> = { platform: platformToken };
  const acmeRun = newId('run');
  let spareToken = '';
  const tarballs: Record<string, string> = {};
  let made = 0;

  beforeAll(async () => {
    // acme is made through the API, so that its own routes (edit, apps) may change it; beta comes from the config file.
    host = await startHost('sqlite', {
      run: false,
      config: { api: { tokens: [{ id: 'ops', token: platformToken }] }, tenants: [{ id: 'beta', corpId: 'wwbeta0001', apps: [] }] } as never,
    });
    const { store } = host.host;
    expect((await call('post', '/api/v1/tenants', 'platform', { id: 'acme', corpId: demoCorpId, apps: [{ id: 'crm', secret: 'acme-secret', ...demoKeys }] })).status).toBe(201);
    await store.usage().record([{ tenantId: 'acme', pluginId: 'examples.greeter', installId: 'g', month: '2026-11', invocations: 2, cpuMs: 3, wecomCalls: 1, effects: 0, staff: ['u1'], contacts: ['c1'] }]);
    await store.workflows().apply('acme', 'w', workflow('acme'));
    await store.runs().route([{ id: acmeRun, tenantId: 'acme', workflowId: 'w', version: 1, triggerKey: 'e1', trigger: '{}' }], []);
    for (const [name, body] of [['vendor', { role: 'vendor', vendorId: 'acme-soft', label: 'Acme Soft' }], ['acme', { role: 'tenant', tenantId: 'acme', label: 'Acme IT' }], ['beta', { role: 'tenant', tenantId: 'beta', label: 'Beta IT' }]] as const) {
      const created = await call('post', '/api/v1/tokens', 'platform', body);
      expect(created.status).toBe(201);
      secrets[name] = created.json.secret;
    }
    // The registry: one version the vendor submits during the walk, one waiting for review, two approved (installs
    // start on the older one, so that there is an upgrade to make).
    for (const version of ['1.0.4', '1.0.5', '1.0.6', '1.0.7']) tarballs[version] = await greeterTarball(version);
    for (const version of ['1.0.4', '1.0.6', '1.0.7']) expect((await call('post', '/api/v1/plugins', 'vendor', { tarball: tarballs[version] })).status).toBe(201);
    for (const version of ['1.0.4', '1.0.7']) expect((await call('post', `/api/v1/plugins/examples.greeter/versions/${version}/review`, 'platform', { decision: 'approve' })).status).toBe(200);
  });
  afterAll(() => host?.close());

  async function call(method: string, path: string, caller: CallerName, body?: unknown) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (caller !== 'none') headers.authorization = `Bearer ${secrets[caller]}`;
    const response = await fetch(host.url + path, { method: method.toUpperCase(), headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, text, json: JSON.parse(text) as any };
  }

  /** A fresh install of greeter 1.0.4 for acme (any earlier one uninstalled): answers its id. */
  async function freshInstall(): Promise<string> {
    for (const row of await host.host.store.installs().list({ tenantId: 'acme', status: 'active' })) {
      expect((await call('delete', `/api/v1/tenants/acme/installs/${row.id}`, 'platform')).status).toBe(200);
    }
    const installed = await call('post', '/api/v1/tenants/acme/installs', 'platform', { id: `walk-${++made}`, plugin: 'examples.greeter', version: '1.0.4', consent: ['store'] });
    expect(installed.status, installed.text).toBe(201);
    return installed.json.install.id;
  }

  /** A request to `route` about acme's data, valid as far as the route's schemas go. */
  async function requestFor(route: RouteSpec): Promise<{ path: string; body?: unknown }> {
    if (route.tag === 'tenants') {
      if (route.path === '/api/v1/tenants') return route.method === 'post' ? { path: route.path, body: { id: `walk-${++made}`, corpId: `wwwalk${made}` } } : { path: route.path };
      if (route.method === 'delete' && route.path === '/api/v1/tenants/:tenantId') {
        // A tenant of its own to disable, so that acme stays active for the other routes.
        const id = `gone-${++made}`;
        expect((await call('post', '/api/v1/tenants', 'platform', { id, corpId: `wwgone${made}` })).status).toBe(201);
        return { path: `/api/v1/tenants/${id}` };
      }
      const path = route.path.replace(':tenantId', 'acme').replace(':appId', 'web');
      if (route.method === 'patch') return { path, body: { name: 'Acme Fruit' } };
      if (route.method === 'put') return { path, body: { token: 'WebToken1', encodingAesKey: demoKeys.encodingAesKey } };
      return { path };
    }
    if (route.tag === 'installs') {
      if (route.path === '/api/v1/tenants/:tenantId/installs') {
        if (route.method === 'get') return { path: '/api/v1/tenants/acme/installs' };
        await freshInstall();
        await call('delete', `/api/v1/tenants/acme/installs/walk-${made}`, 'platform');
        return { path: '/api/v1/tenants/acme/installs', body: { id: `walk-${++made}`, plugin: 'examples.greeter', consent: ['store'], config: { greeting: '你好' } } };
      }
      const path = route.path.replace(':tenantId', 'acme').replace(':installId', await freshInstall());
      if (route.method === 'patch') return { path, body: { config: { greeting: 'Hi' } } };
      if (route.path.endsWith('/upgrade')) return { path, body: { consent: ['store'] } };
      return { path };
    }
    if (route.tag === 'workflows') {
      const path = route.path.replace(':tenantId', 'acme').replace(':workflowId', 'w');
      return route.method === 'put' ? { path, body: { ...JSON.parse(workflow('acme')), trigger: { event: 'wecom.external_contact.add' } } } : { path };
    }
    if (route.tag === 'usage') return { path: '/api/v1/usage?tenant=acme' };
    if (route.path === '/api/v1/tokens/:tokenId') {
      const spare = await call('post', '/api/v1/tokens', 'platform', { role: 'tenant', tenantId: 'acme', label: 'spare' });
      spareToken = spare.json.token.id;
      return { path: `/api/v1/tokens/${spareToken}` };
    }
    if (route.path === '/api/v1/plugins') return { path: route.method === 'post' ? route.path : `${route.path}?category=retail`, ...(route.method === 'post' ? { body: { tarball: tarballs['1.0.5'] } } : {}) };
    if (route.path === '/api/v1/plugins/:pluginId/versions/:version') return { path: '/api/v1/plugins/examples.greeter/versions/1.0.7' };
    if (route.path.endsWith('/review')) return { path: '/api/v1/plugins/examples.greeter/versions/1.0.6/review', body: { decision: 'approve' } };
    const path = route.path.replace(':runId', acmeRun).replace(':tenantId', 'acme');
    if (route.path === '/api/v1/runs') return { path: `${path}?tenant=acme` };
    if (route.body === 'api/token-create.schema.json') return { path, body: { role: 'tenant', tenantId: 'acme', label: 'another' } };
    return { path };
  }

  // The declarations only, to name the cases; each case calls the host's own routes.
  const routes = adminRoutes({} as never);

  it.each(routes.flatMap((route) => callers.map((caller) => [`${route.method.toUpperCase()} ${route.path}`, caller] as const)))('%s as %s', async (name, caller) => {
    const route = adminRoutes(host.host.admin).find((r) => `${r.method.toUpperCase()} ${r.path}` === name)!;
    const { path, body } = await requestFor(route);
    const answer = await call(route.method, path, caller, body);
    if (caller === 'none') {
      expect(answer.status).toBe(401);
      return;
    }
    const role = caller === 'acme' || caller === 'beta' ? 'tenant' : caller;
    if (!route.roles.includes(role)) {
      expect(answer, answer.text).toMatchObject({ status: 403, json: { error: { code: 'api.forbidden' } } });
      return;
    }
    // The runs, tenants, installs and workflows are acme's (or another tenant's): beta's admin must find them
    // missing. The registry is shared by all tenants.
    if (caller === 'beta' && (route.tag === 'runs' || route.tenantParam)) {
      // Another tenant's data, asked for by beta's admin: the very answer a run or tenant that does not exist gets.
      expect(answer.status, answer.text).toBe(404);
      const missing = newId('run');
      const tenant = /\/tenants\/([^/?]+)/.exec(path)?.[1] ?? 'acme';
      const absent = await call(route.method, path.replace(acmeRun, missing).replace('tenant=acme', 'tenant=nosuch').replace(`/tenants/${tenant}`, '/tenants/nosuch'), caller, body);
      expect(answer.text.replace(acmeRun, '<id>').replace(tenant, '<tenant>')).toBe(absent.text.replace(missing, '<id>').replace('nosuch', '<tenant>'));
      expect(answer.text).not.toContain('"w"');
      return;
    }
    // Usage is filtered, not refused: another tenant's admin sees none of acme's.
    if (caller === 'beta' && route.tag === 'usage') {
      expect(answer).toMatchObject({ status: 200, json: { usage: [] } });
      return;
    }
    expect(answer.status, answer.text).toBe(route.status ?? 200);
    const check = schemaCheck(route.response);
    expect(check(answer.json), JSON.stringify(check.details())).toBe(true);
  });

  it("another tenant's install, asked for under one's own tenant, is as missing as one that does not exist", async () => {
    const acmeInstall = await freshInstall();
    for (const method of ['get', 'patch', 'delete'] as const) {
      const body = method === 'patch' ? { config: { greeting: 'x' } } : undefined;
      const theirs = await call(method, `/api/v1/tenants/beta/installs/${acmeInstall}`, 'beta', body);
      const missing = await call(method, '/api/v1/tenants/beta/installs/walk-none', 'beta', body);
      expect(theirs.status, theirs.text).toBe(404);
      expect(theirs.text.replace(acmeInstall, '<id>')).toBe(missing.text.replace('walk-none', '<id>'));
    }
    expect((await call('get', `/api/v1/tenants/acme/installs/${acmeInstall}`, 'acme')).json.install.status).toBe('active');
  });

  it('a revoked token is refused from then on', async () => {
    const made = await call('post', '/api/v1/tokens', 'platform', { role: 'tenant', tenantId: 'acme', label: 'short-lived' });
    const headers = { authorization: `Bearer ${made.json.secret}` };
    expect((await fetch(`${host.url}/api/v1/runs?tenant=acme`, { headers })).status).toBe(200);
    expect((await call('delete', `/api/v1/tokens/${made.json.token.id}`, 'platform')).json.token.revokedAt).toEqual(expect.any(String));
    expect((await fetch(`${host.url}/api/v1/runs?tenant=acme`, { headers })).status).toBe(401);
    // A guessed secret for a real token id is refused too.
    expect((await fetch(`${host.url}/api/v1/runs?tenant=acme`, { headers: { authorization: `Bearer lj_${made.json.token.id}.${'x'.repeat(43)}` } })).status).toBe(401);
  });

  it('the token store keeps hashes, never the secrets', async () => {
    const made = await call('post', '/api/v1/tokens', 'platform', { role: 'vendor', vendorId: 'v1', label: 'v' });
    const secret = String(made.json.secret).split('.')[1]!;
    const stored = await host.host.store.apiTokens().get(made.json.token.id);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(made.json.token).not.toHaveProperty('hash');
  });

  it('a token for a tenant with a vendor id, or a platform token with a tenant, is refused with the pointer', async () => {
    const bad = await call('post', '/api/v1/tokens', 'platform', { role: 'tenant', tenantId: 'acme', vendorId: 'x', label: 'x' });
    expect(bad).toMatchObject({ status: 400, json: { error: { code: 'request.invalid' } } });
    expect((await call('post', '/api/v1/tokens', 'platform', { role: 'tenant', label: 'x' })).json.error.details).toContainEqual({ pointer: '/body/tenantId', message: 'is required' });
  });

  it('/openapi.json describes every route, with its schemas', async () => {
    const document = (await (await fetch(`${host.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, any>>; components: { schemas: Record<string, unknown> } };
    expect(document.openapi).toBe('3.1.0');
    for (const route of adminRoutes(host.host.admin)) {
      const operation = document.paths[route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[route.method];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation['x-lianjie-roles']).toEqual(route.roles);
    }
    const refs = JSON.stringify(document).match(/#\/components\/schemas\/[A-Za-z0-9-]+/g) ?? [];
    for (const ref of new Set(refs)) expect(document.components.schemas, ref).toHaveProperty(ref.split('/').at(-1)!);
    // Every component compiles inside the document: its refs resolve against the document, not a file's own $id.
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema(document, 'openapi');
    for (const name of Object.keys(document.components.schemas)) expect(() => ajv.getSchema(`openapi#/components/schemas/${name}`), name).not.toThrow();
  });
});
