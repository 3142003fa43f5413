// The simulator's credentials and call controls over loopback HTTP: gettoken, expiry, 45009, injected failures.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appSecret, contactSecret, corpId, startSimulator, type Running } from './simulator.test-support.ts';

describe('gettoken and access_token checks', () => {
  let s: Running;
  beforeEach(async () => {
    s = await startSimulator({ corps: [{ corpId, secrets: { [appSecret]: 1000002, [contactSecret]: 'contact' }, seed: { staff: [{ userid: 'zhangsan', name: '张三' }] } }] });
  });
  afterEach(async () => s.close());

  const userGet = (token?: string) => s.get('/cgi-bin/user/get', { ...(token !== undefined ? { access_token: token } : {}), userid: 'zhangsan' });

  it('issues a 7,200 s token and returns the same one while it is valid', async () => {
    const first = await s.get('/cgi-bin/gettoken', { corpid: corpId, corpsecret: appSecret });
    expect(first).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    expect(typeof first.access_token).toBe('string');
    s.advance(1000 * 1000);
    const again = await s.get('/cgi-bin/gettoken', { corpid: corpId, corpsecret: appSecret });
    expect(again.access_token).toBe(first.access_token);
    expect(again.expires_in).toBe(6200);
    // Tokens are per app: the contact secret gets its own.
    expect(await s.token(contactSecret)).not.toBe(first.access_token);
  });

  it('expires tokens 7,200 s after issue on the simulator clock (42001), then issues a new one', async () => {
    const token = await s.token();
    s.advance(7199 * 1000);
    expect(await userGet(token)).toMatchObject({ errcode: 0, userid: 'zhangsan', name: '张三' });
    s.advance(1000);
    const expired = await userGet(token);
    expect(expired.errcode).toBe(42001);
    expect(expired.errmsg).toContain('access_token expired');
    const fresh = await s.token();
    expect(fresh).not.toBe(token);
    expect((await userGet(fresh)).errcode).toBe(0);
  });

  it('answers 40014 for a garbled token, 41001 for none, 40001/40013 for bad credentials — all with HTTP 200', async () => {
    expect(await userGet('not-a-token')).toMatchObject({ errcode: 40014 });
    expect(await userGet()).toMatchObject({ errcode: 41001 });
    expect(await s.get('/cgi-bin/gettoken', { corpid: corpId, corpsecret: 'wrong' })).toMatchObject({ errcode: 40001 });
    expect(await s.get('/cgi-bin/gettoken', { corpid: 'wwnobody', corpsecret: appSecret })).toMatchObject({ errcode: 40013 });
    expect(Object.keys(await userGet('x'))).toEqual(['errcode', 'errmsg']);
  });

  it('invalidates early on demand: expireToken → 42001, invalidateTokens → 40014', async () => {
    const token = await s.token();
    expect(s.sim.expireToken(token)).toBe(true);
    expect((await userGet(token)).errcode).toBe(42001);
    const second = await s.token();
    expect(second).not.toBe(token);
    expect(s.sim.invalidateTokens(corpId)).toBeGreaterThanOrEqual(1);
    expect((await userGet(second)).errcode).toBe(40014);
    expect((await userGet(await s.token())).errcode).toBe(0);
  });
});

describe('rate limit and injected failures', () => {
  let s: Running;
  beforeEach(async () => {
    s = await startSimulator({
      rateLimit: { perMinute: 5 },
      corps: [{ corpId, secrets: { [appSecret]: 1000002 }, seed: { staff: [{ userid: 'zhangsan', name: '张三' }] } }],
    });
  });
  afterEach(async () => s.close());

  it('answers 45009 past the per-minute limit for the rest of the minute, then recovers', async () => {
    const token = await s.token();
    const call = () => s.get('/cgi-bin/user/get', { access_token: token, userid: 'zhangsan' });
    for (let i = 0; i < 5; i++) expect((await call()).errcode).toBe(0);
    expect((await call()).errcode).toBe(45009);
    s.advance(59_000);
    expect((await call()).errcode).toBe(45009);
    // The limit is per API: another path still answers.
    expect((await s.get('/cgi-bin/externalcontact/list', { access_token: token, userid: 'zhangsan' })).errcode).toBe(84061);
    s.advance(1000);
    expect((await call()).errcode).toBe(0);
  });

  it('fails injected calls before anything else, then answers normally', async () => {
    const token = await s.token();
    s.sim.inject('/cgi-bin/user/get', -1, 2);
    s.sim.inject('externalcontact/list', 45009);
    const call = () => s.get('/cgi-bin/user/get', { access_token: token, userid: 'zhangsan' });
    expect(await call()).toMatchObject({ errcode: -1 });
    // Injection comes before the token check.
    expect(await s.get('/cgi-bin/user/get', { access_token: 'garbage', userid: 'zhangsan' })).toMatchObject({ errcode: -1 });
    expect(await call()).toMatchObject({ errcode: 0 });
    expect((await s.get('/cgi-bin/externalcontact/list', { access_token: token, userid: 'zhangsan' })).errcode).toBe(45009);
  });

  it('records injected failures of mutating calls in effects, then the real outcome', async () => {
    const token = await s.token();
    s.sim.inject('/cgi-bin/message/send', -1);
    const body = { touser: 'zhangsan', msgtype: 'text', agentid: 1000002, text: { content: 'hi' } };
    expect((await s.post('/cgi-bin/message/send', { access_token: token }, body)).errcode).toBe(-1);
    const sent = await s.post('/cgi-bin/message/send', { access_token: token }, body);
    expect(sent).toMatchObject({ errcode: 0, invaliduser: '' });
    expect(s.sim.effects.map((e) => [e.path, e.errcode, e.injected ?? false])).toEqual([
      ['/cgi-bin/message/send', -1, true],
      ['/cgi-bin/message/send', 0, false],
    ]);
    expect(s.sim.effects[1]).toMatchObject({ corpId, body, response: { msgid: sent.msgid } });
    expect(s.sim.world().appMessages.map((m) => m.recipients)).toEqual([['zhangsan']]);
  });

  it('flags a body that is not JSON in errmsg, as WeCom does', async () => {
    const token = await s.token();
    const answer = await s.post('/cgi-bin/externalcontact/mark_tag', { access_token: token }, '{not json');
    expect(answer.errcode).toBe(41009);
    expect(answer.errmsg).toContain('Warning: wrong json format.');
  });
});
