// Tenants at run time, over loopback HTTP against the WeCom simulator: a tenant and its app made through the admin API
// receive signed callbacks at once, in this host process and, through the catalog revision, in a second process on
// the same database; config tenants stay read-only; a suite's suite_ticket, create_auth and cancel_auth make, serve,
// disable and finally purge a tenant, and a corp that authorises again gets its tenant back.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteTicketReader } from '../../core/src/catalog/suite-tickets.ts';
import { createHost, type Host } from '../../core/src/host.ts';
import { createLogger } from '../../core/src/ops/logger.ts';
import { sealerFromEnv } from '../../core/src/secrets/seal.ts';
import { createWecomClient } from '../../core/src/wecom/api/client.ts';
import { wecomAccessFrom } from '../../core/src/wecom/access.ts';
import { createWecomSimulator, type WecomSimulator } from '../../core/src/wecom/simulator/index.ts';
import { until } from '../support/until.ts';
import { demoKeys, demoSuiteId, dialects, startHost, suiteCorpId, testConfig, type RunningHost } from '../support/host.ts';

process.env.LIANJIE_SECRET_KEY = randomBytes(32).toString('base64');

const platformToken = 'platform-token-tenancy-0123456789';
const gammaCorp = 'wwgammabooks0001';
const gammaSecret = 'gamma-crm-secret-value';
const suiteSecret = 'suite-secret-value-0123';
const suiteCorp = 'wpSuiteCorpMixedCase01';

describe.each(dialects)('tenants at run time, on %s', (dialect) => {
  let sim: WecomSimulator;
  let simServer: { url: string; close(): Promise<void> };
  let host: RunningHost;
  let second: Host | undefined;
  /** WeCom's clock, moved on between callbacks that would otherwise carry the same second and be one delivery. */
  let skew = 0;
  /** Credentials that passed through the host, for the scan of the database file at the end. */
  const credentials: Record<string, string> = { gammaSecret, aesKey: demoKeys.encodingAesKey, secretKey: process.env.LIANJIE_SECRET_KEY! };

  beforeAll(async () => {
    sim = createWecomSimulator({
      clock: () => Date.now() + skew,
      corps: [{ corpId: gammaCorp, secrets: { [gammaSecret]: 1000005 } }],
      suites: [{ suiteId: demoSuiteId, suiteSecret }],
    });
    simServer = await sim.listen();
    sim.world(gammaCorp).addStaff({ userid: 'lisi', name: '李四' });
    host = await startHost(dialect, {
      config: {
        api: { tokens: [{ id: 'ops', token: platformToken }] }, wecom: { baseUrl: simServer.url },
        suites: [{ id: demoSuiteId, secret: suiteSecret, ...demoKeys }],
      } as never,
    });
    sim.setSuiteCallback(demoSuiteId, { url: `${host.url}/wecom/suite/${demoSuiteId}`, ...demoKeys });
  });
  let hostClosed = false;
  afterAll(async () => {
    await second?.close();
    if (hostClosed) await host.database.drop();
    else await host?.close();
    await simServer?.close();
  });

  async function api(method: string, path: string, body?: unknown) {
    const response = await fetch(host.url + path, {
      method, headers: { authorization: `Bearer ${platformToken}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: JSON.parse(text) as any };
  }


  it('a tenant made through the API takes signed callbacks at once; its secrets come back only as "set"', async () => {
    const made = await api('POST', '/api/v1/tenants', {
      id: 'gamma', name: 'Gamma Books', corpId: gammaCorp, timezone: 'Asia/Taipei',
      apps: [{ id: 'crm', agentId: 1000005, secret: gammaSecret, ...demoKeys }],
    });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    expect(made.json.tenant).toMatchObject({ id: 'gamma', origin: 'api', status: 'active', timezone: 'Asia/Taipei', apps: [{ id: 'crm', agentId: 1000005, hasSecret: true }] });
    expect(JSON.stringify(made.json)).not.toContain(gammaSecret);
    expect(JSON.stringify(made.json)).not.toContain(demoKeys.encodingAesKey);

    sim.setCallbacks(gammaCorp, [{ url: `${host.url}/wecom/callback/gamma/crm`, ...demoKeys, receiveId: gammaCorp }]);
    const contactWay = sim.world(gammaCorp).addContactWay({ users: ['lisi'], state: 'shelf-3' });
    const added = await sim.world(gammaCorp).customerAddsStaff({ configId: contactWay.configId });
    expect(added.deliveries[0]!.status).toBe(200);
    const event = await until(async () => (await host.host.store.listEvents({ tenantId: 'gamma', limit: 10 }))[0]);
    expect(event).toMatchObject({ tenantId: 'gamma', appId: 'crm', type: 'wecom.external_contact.add' });

    // The tenant's own app secret reaches WeCom for its plugins.
    const access = wecomAccessFrom({ catalog: host.host.catalog.current, suiteTicket: async () => '' })({ tenantId: 'gamma', installId: 'x', pluginId: 'p', pluginVersion: '1.0.0', httpHosts: [] });
    const user = await createWecomClient({ baseUrl: simServer.url }).call(access!.credentials, '/cgi-bin/user/get', { query: { userid: 'lisi' } });
    expect(user.name).toBe('李四');
  });

  it('another host process on the same database serves the new tenant within its poll', async () => {
    second = createHost(testConfig(host.database.url, { wecom: { baseUrl: simServer.url } } as never), { logger: createLogger('silent'), run: false });
    const { url } = await second.listen();
    await api('PUT', '/api/v1/tenants/gamma/apps/shop', { token: 'ShopToken1', encodingAesKey: demoKeys.encodingAesKey });
    const verified = await until(async () => {
      const probe = await fetch(`${url}/wecom/callback/gamma/shop?msg_signature=${'0'.repeat(40)}&timestamp=1&nonce=n&echostr=ZQ==`);
      return probe.status === 404 ? undefined : probe;
    }, 4000);
    // Known now: what is refused is the forged signature, not the address.
    expect(await verified.text()).toMatch(/^wecom\.signature_mismatch/);
  });

  it('config tenants are listed but read-only; clashes, bad timezones and other tenants\' corps are refused with pointers', async () => {
    const list = await api('GET', '/api/v1/tenants');
    expect(list.json.tenants.map((t: { id: string; origin: string }) => `${t.id}:${t.origin}`)).toEqual(expect.arrayContaining(['acme:config', 'beta:config', 'gamma:api']));
    expect(await api('PATCH', '/api/v1/tenants/acme', { name: 'x' })).toMatchObject({ status: 409, json: { error: { code: 'tenant.read_only' } } });
    expect(await api('POST', '/api/v1/tenants', { id: 'acme', corpId: 'wwother' })).toMatchObject({ status: 409, json: { error: { code: 'tenant.exists' } } });
    expect(await api('POST', '/api/v1/tenants', { id: 'delta', corpId: gammaCorp })).toMatchObject({ status: 409, json: { error: { code: 'tenant.exists' } } });
    const badZone = await api('POST', '/api/v1/tenants', { id: 'delta', corpId: 'wwdelta', timezone: 'Mars/Olympus' });
    expect(badZone).toMatchObject({ status: 400, json: { error: { code: 'request.invalid', details: [{ pointer: '/body/timezone' }] } } });
    const badApp = await api('PUT', '/api/v1/tenants/gamma/apps/web', { token: 'ok', encodingAesKey: 'short' });
    expect(badApp.json.error.details).toContainEqual(expect.objectContaining({ pointer: '/body/encodingAesKey' }));
    expect((await api('GET', '/api/v1/tenants/delta')).status).toBe(404);
  });

  it('a suite: the ticket is kept sealed, create_auth makes a tenant that acts through the suite, cancel_auth disables it and the purge deletes it', async () => {
    const { ticket } = await sim.pushSuiteTicket(demoSuiteId);
    credentials.ticket = ticket;
    const kept = await until(() => host.host.store.tenants().suiteTicket(demoSuiteId));
    expect(kept.ticket).not.toContain(ticket);
    expect(await suiteTicketReader(host.host.store, sealerFromEnv)(demoSuiteId)).toBe(ticket);
    const stored = await host.host.store.listEvents({ suiteId: demoSuiteId, limit: 10 });
    expect(JSON.stringify(stored)).not.toContain(ticket);

    const { authCode, agentId } = await sim.authorizeCorp(demoSuiteId, { corpId: suiteCorp, corpName: '套件客户' }, { push: true });
    const tenant = await until(async () => (await host.host.store.tenants().byCorpId(suiteCorp)) ?? undefined);
    expect(tenant).toMatchObject({ id: suiteCorp.toLowerCase(), origin: 'suite', suiteId: demoSuiteId, suiteAgentId: agentId, status: 'active' });
    credentials.authCode = authCode;
    credentials.permanentCode = (await until(async () => host.host.catalog.current().tenants.get(tenant.id)?.suite?.permanentCode))!;
    expect(JSON.stringify(await host.host.store.listEvents({ suiteId: demoSuiteId, limit: 10 }))).not.toContain(authCode);
    const shown = await api('GET', `/api/v1/tenants/${tenant.id}`);
    expect(shown.json.tenant).toMatchObject({ origin: 'suite', suiteId: demoSuiteId, name: '套件客户' });

    // Its plugins act through the suite: suite token from the kept ticket, then the corp token from the permanent code.
    const access = wecomAccessFrom({ catalog: host.host.catalog.current, suiteTicket: suiteTicketReader(host.host.store, sealerFromEnv) })({ tenantId: tenant.id, installId: 'x', pluginId: 'p', pluginVersion: '1.0.0', httpHosts: [] });
    expect(access?.credentials.kind).toBe('suite-corp');
    const answer = await createWecomClient({ baseUrl: simServer.url }).call(access!.credentials, '/cgi-bin/externalcontact/get_corp_tag_list', { body: {} });
    expect(answer.tag_group).toEqual([]);

    await sim.cancelAuthorization(demoSuiteId, suiteCorp);
    const disabled = await until(async () => {
      const t = await host.host.store.tenants().get(tenant.id);
      return t?.status === 'disabled' ? t : undefined;
    });
    expect(Date.parse(disabled.purgeAfter!) - Date.parse(disabled.disabledAt!)).toBe(30 * 86_400_000);
    expect(host.host.catalog.current().tenants.get(tenant.id)?.status).toBe('disabled');

    // Authorising again brings the same tenant back.
    skew += 2000;
    await sim.authorizeCorp(demoSuiteId, { corpId: suiteCorp }, { push: true });
    await until(async () => ((await host.host.store.tenants().get(tenant.id))?.status === 'active' ? true : undefined));

    skew += 2000;
    await sim.cancelAuthorization(demoSuiteId, suiteCorp);
    await until(async () => ((await host.host.store.tenants().get(tenant.id))?.status === 'disabled' ? true : undefined));
    await host.host.store.workflows().apply(tenant.id, 'w', JSON.stringify({ id: 'w', tenantId: tenant.id }));
    expect(await host.host.store.tenants().purgeDue(Date.now())).toEqual([]);
    expect(await host.host.store.tenants().purgeDue(Date.now() + 31 * 86_400_000)).toEqual([tenant.id]);
    expect(await host.host.store.workflows().listLatest(tenant.id)).toEqual([]);
    expect(await host.host.store.tenants().get(tenant.id)).toBeUndefined();
  });

  it('a suite takes over no tenant the operator manages: a corp of the config file or of the API is left as it is', async () => {
    await sim.pushSuiteTicket(demoSuiteId);
    const before = (await host.host.store.tenants().list()).length;
    const gamma = await host.host.store.tenants().get('gamma');
    // beta (config file, corp suiteCorpId) and gamma (made through the API) authorise the suite.
    skew += 2000;
    await sim.authorizeCorp(demoSuiteId, { corpId: suiteCorpId }, { push: true });
    await sim.authorizeCorp(demoSuiteId, { corpId: gammaCorp }, { push: true });
    // A corp the host may take: its tenant appears once both events before it were handled, in order.
    await sim.authorizeCorp(demoSuiteId, { corpId: 'wwLaterCorp0001' }, { push: true });
    await until(() => host.host.store.tenants().byCorpId('wwLaterCorp0001'));
    expect(await host.host.store.tenants().byCorpId(suiteCorpId)).toBeUndefined();
    expect(await host.host.store.tenants().get('gamma')).toEqual(gamma);
    expect((await host.host.store.tenants().list()).length).toBe(before + 1);
    // A cancel_auth for gamma's corp changes nothing either: it is no tenant of the suite.
    await sim.cancelAuthorization(demoSuiteId, gammaCorp);
    await sim.cancelAuthorization(demoSuiteId, 'wwLaterCorp0001');
    await until(async () => ((await host.host.store.tenants().byCorpId('wwLaterCorp0001'))?.status === 'disabled' ? true : undefined));
    expect(await host.host.store.tenants().get('gamma')).toEqual(gamma);
  });

  it.runIf(dialect === 'sqlite')("the database file and its WAL hold none of the credentials' bytes", async () => {
    await second?.close();
    second = undefined;
    await host.host.close();
    hostClosed = true;
    const dir = path.dirname(host.database.url.replace(/^file:/, ''));
    const bytes = Buffer.concat(readdirSync(dir).map((f) => readFileSync(path.join(dir, f))));
    expect(Object.keys(credentials)).toEqual(expect.arrayContaining(['ticket', 'authCode', 'permanentCode']));
    for (const [name, secret] of Object.entries(credentials)) expect(bytes.includes(Buffer.from(secret)), name).toBe(false);
    // The scan reads real content: the tenants' names are there.
    expect(bytes.includes(Buffer.from('Gamma Books'))).toBe(true);
  });
});
