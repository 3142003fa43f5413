// The third-party suite flow over loopback HTTP: ticket → suite token → pre-auth → permanent code → corp token → API call.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWecomSimulator, type WecomSimulator } from './server.ts';
import { start } from './simulator.test-support.ts';

const suiteId = 'wwsuite0001';
const suiteSecret = 'suite-secret';

describe('suite authorisation flow', () => {
  let sim: WecomSimulator;
  let url: string;
  let close: () => Promise<void>;
  let now = start;
  beforeEach(async () => {
    now = start;
    sim = createWecomSimulator({ clock: () => now, suites: [{ suiteId, suiteSecret }] });
    ({ url, close } = await sim.listen());
  });
  afterEach(async () => close());

  const get = async (path: string, query: Record<string, string>) =>
    (await (await fetch(`${url}${path}?${new URLSearchParams(query)}`)).json()) as Record<string, unknown>;
  const post = async (path: string, query: Record<string, string>, body: unknown) =>
    (await (await fetch(`${url}${path}?${new URLSearchParams(query)}`, { method: 'POST', body: JSON.stringify(body) })).json()) as Record<string, unknown>;

  it('goes from the suite ticket to a corp token that calls the corp APIs', async () => {
    const ticket = sim.suiteTicket(suiteId);
    expect(sim.suiteTicket(suiteId)).toBe(ticket);
    const tokenPath = '/cgi-bin/service/get_suite_token';
    expect((await post(tokenPath, {}, { suite_id: suiteId, suite_secret: suiteSecret, suite_ticket: 'forged' })).errcode).toBe(40085);
    expect((await post(tokenPath, {}, { suite_id: suiteId, suite_secret: 'wrong', suite_ticket: ticket })).errcode).toBe(40080);
    expect((await post(tokenPath, {}, { suite_id: 'wwnosuite', suite_secret: suiteSecret, suite_ticket: ticket })).errcode).toBe(40083);
    const suiteToken = await post(tokenPath, {}, { suite_id: suiteId, suite_secret: suiteSecret, suite_ticket: ticket });
    expect(suiteToken).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    const sat = suiteToken.suite_access_token as string;

    const preAuth = await get('/cgi-bin/service/get_pre_auth_code', { suite_access_token: sat });
    expect(preAuth).toMatchObject({ errcode: 0, expires_in: 1200 });
    await expect(sim.authorizeCorp(suiteId, { corpId: 'wwfruit' }, { preAuthCode: 'forged' })).rejects.toThrow(/40077/);
    const { authCode, agentId } = await sim.authorizeCorp(suiteId, {
      corpId: 'wwfruit', corpName: '水果连锁', state: 'from-site', seed: { staff: [{ userid: 'boss', name: '老板' }] },
    }, { preAuthCode: preAuth.pre_auth_code as string });

    const permanent = await post('/cgi-bin/service/get_permanent_code', { suite_access_token: sat }, { auth_code: authCode });
    expect(permanent).toMatchObject({
      errcode: 0, expires_in: 7200, state: 'from-site',
      auth_corp_info: { corpid: 'wwfruit', corp_name: '水果连锁' },
      auth_info: { agent: [{ agentid: agentId }] },
      auth_user_info: { userid: 'boss' },
    });
    // Auth codes are consumed once.
    expect((await post('/cgi-bin/service/get_permanent_code', { suite_access_token: sat }, { auth_code: authCode })).errcode).toBe(40078);

    const corpTokenPath = '/cgi-bin/service/get_corp_token';
    expect((await post(corpTokenPath, { suite_access_token: sat }, { auth_corpid: 'wwfruit', permanent_code: 'forged' })).errcode).toBe(40084);
    const corpToken = await post(corpTokenPath, { suite_access_token: sat }, { auth_corpid: 'wwfruit', permanent_code: permanent.permanent_code });
    expect(corpToken).toMatchObject({ errcode: 0, expires_in: 7200 });
    // The same kind of token gettoken returns, and the one get_permanent_code handed out while it is valid.
    expect(corpToken.access_token).toBe(permanent.access_token);
    const access = corpToken.access_token as string;
    expect(await get('/cgi-bin/user/get', { access_token: access, userid: 'boss' })).toMatchObject({ errcode: 0, name: '老板' });
    const sent = await post('/cgi-bin/message/send', { access_token: access }, { touser: 'boss', msgtype: 'text', agentid: agentId, text: { content: '安装成功' } });
    expect(sent.errcode).toBe(0);
    expect(sim.effects.at(-1)).toMatchObject({ corpId: 'wwfruit', path: '/cgi-bin/message/send', errcode: 0 });
  });

  it('keeps token types apart and expires suite credentials on the clock', async () => {
    const ticket = sim.suiteTicket(suiteId);
    const sat = (await post('/cgi-bin/service/get_suite_token', {}, { suite_id: suiteId, suite_secret: suiteSecret, suite_ticket: ticket })).suite_access_token as string;
    expect((await get('/cgi-bin/user/get', { access_token: sat, userid: 'x' })).errcode).toBe(40014);
    expect((await get('/cgi-bin/service/get_pre_auth_code', {})).errcode).toBe(41022);
    expect((await get('/cgi-bin/service/get_pre_auth_code', { suite_access_token: 'garbage' })).errcode).toBe(40082);
    now += 31 * 60_000;
    // A ticket lives 30 minutes; by now WeCom would have pushed newer ones.
    expect((await post('/cgi-bin/service/get_suite_token', {}, { suite_id: suiteId, suite_secret: suiteSecret, suite_ticket: ticket })).errcode).toBe(40085);
    expect(sim.suiteTicket(suiteId)).not.toBe(ticket);
    now += 7200 * 1000;
    expect((await get('/cgi-bin/service/get_pre_auth_code', { suite_access_token: sat })).errcode).toBe(42009);
  });
});
