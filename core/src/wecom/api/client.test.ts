// The WeCom client against the simulator over loopback HTTP: tokens cached, fetched once for concurrent callers,
// fetched again on expiry and on 40014 without failing the call; -1 and 45009 retried with backoff.
import { afterEach, describe, expect, it } from 'vitest';
import { appSecret, corpId, startSimulator, type Running } from '../simulator/simulator.test-support.ts';
import { createWecomClient } from './client.ts';
import { failureOf, WecomApiError } from './errors.ts';

const credentials = { kind: 'corp' as const, corpId, secret: appSecret };

describe('the WeCom API client', () => {
  let sim: Running;
  afterEach(() => sim?.close());

  async function setup() {
    sim = await startSimulator();
    const world = sim.sim.world(corpId);
    world.addStaff({ userid: 'zhangsan', name: '张三' });
    const calls: string[] = [];
    const sleeps: number[] = [];
    let now = Date.UTC(2025, 0, 15, 2, 0, 0);
    const client = createWecomClient({
      baseUrl: sim.url,
      clock: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      fetch: (url, init) => {
        calls.push(new URL(String(url)).pathname);
        return fetch(url, init);
      },
    });
    const advance = (ms: number) => {
      now += ms;
      sim.advance(ms);
    };
    return { client, calls, sleeps, advance };
  }

  it('fetches one token for concurrent calls and reuses it', async () => {
    const { client, calls } = await setup();
    const answers = await Promise.all(Array.from({ length: 10 }, () => client.call(credentials, '/cgi-bin/user/get', { query: { userid: 'zhangsan' } })));
    expect(answers.every((a) => a.name === '张三')).toBe(true);
    expect(calls.filter((p) => p === '/cgi-bin/gettoken')).toHaveLength(1);
    await client.call(credentials, '/cgi-bin/user/get', { query: { userid: 'zhangsan' } });
    expect(calls.filter((p) => p === '/cgi-bin/gettoken')).toHaveLength(1);
  });

  it('handles expiry (42001) and an early invalidation (40014) without failing the call', async () => {
    const { client, calls } = await setup();
    await client.call(credentials, '/cgi-bin/user/get', { query: { userid: 'zhangsan' } });
    // Past 7,200 s on WeCom's clock but not the host's: the cached token is refused with 42001.
    sim.advance(7_200_000);
    expect((await client.call(credentials, '/cgi-bin/user/get', { query: { userid: 'zhangsan' } })).userid).toBe('zhangsan');
    sim.sim.invalidateTokens(corpId);
    expect((await client.call(credentials, '/cgi-bin/user/get', { query: { userid: 'zhangsan' } })).userid).toBe('zhangsan');
    expect(calls.filter((p) => p === '/cgi-bin/gettoken')).toHaveLength(3);
  });

  it('fetches a new token shortly before the old one expires', async () => {
    const { client, calls, advance } = await setup();
    await client.call(credentials, '/cgi-bin/user/get', { query: { userid: 'zhangsan' } });
    advance(7_000_000);
    await client.call(credentials, '/cgi-bin/user/get', { query: { userid: 'zhangsan' } });
    expect(calls).toEqual(['/cgi-bin/gettoken', '/cgi-bin/user/get', '/cgi-bin/gettoken', '/cgi-bin/user/get']);
  });

  it('backs off on 45009 and -1, then succeeds', async () => {
    const { client, sleeps } = await setup();
    sim.sim.inject('user/get', 45009, 2);
    expect((await client.call(credentials, '/cgi-bin/user/get', { query: { userid: 'zhangsan' } })).userid).toBe('zhangsan');
    sim.sim.inject('user/get', -1, 1);
    expect((await client.call(credentials, '/cgi-bin/user/get', { query: { userid: 'zhangsan' } })).userid).toBe('zhangsan');
    expect(sleeps).toEqual([250, 500, 250]);
  });

  it('gives up after its attempts with a typed, coded error', async () => {
    const { client } = await setup();
    sim.sim.inject('user/get', -1, 10);
    const error = await client.call(credentials, '/cgi-bin/user/get', { query: { userid: 'zhangsan' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WecomApiError);
    expect((error as WecomApiError).errcode).toBe(-1);
    expect(failureOf(error as WecomApiError)).toMatchObject({ code: 'wecom.busy', retryable: true });
    const bad = await client.call({ ...credentials, secret: 'wrong' }, '/cgi-bin/user/get', { query: { userid: 'zhangsan' } }).catch((e: unknown) => e);
    expect(failureOf(bad as WecomApiError)).toMatchObject({ code: 'wecom.credentials_invalid', retryable: false });
  });

  it('reports an unreachable WeCom as retryable', async () => {
    const client = createWecomClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
    sim = await startSimulator();
    const error = await client.call(credentials, '/cgi-bin/user/get', { query: { userid: 'x' } }).catch((e: unknown) => e);
    expect(failureOf(error as WecomApiError)).toMatchObject({ code: 'wecom.unreachable', retryable: true });
  });

  it('runs the suite flow: suite token from the ticket, pre-auth code, permanent code, then corp calls', async () => {
    sim = await startSimulator({ suites: [{ suiteId: 'wwsuite01', suiteSecret: 'suite-secret' }] });
    const client = createWecomClient({ baseUrl: sim.url, sleep: async () => {} });
    const suite = { suiteId: 'wwsuite01', suiteSecret: 'suite-secret', ticket: () => sim.sim.suiteTicket('wwsuite01') };
    const preAuth = await client.suite.preAuthCode(suite);
    const { authCode } = await sim.sim.authorizeCorp('wwsuite01', { corpId: 'wwinstalled01', corpName: 'Installed' }, { preAuthCode: preAuth });
    const permanent = await client.suite.permanentCode(suite, authCode);
    expect(permanent.auth_corp_info).toMatchObject({ corpid: 'wwinstalled01' });
    sim.sim.world('wwinstalled01').addStaff({ userid: 'li', name: '李' });
    const user = await client.call({ kind: 'suite-corp', suite, corpId: 'wwinstalled01', permanentCode: String(permanent.permanent_code) }, '/cgi-bin/user/get', { query: { userid: 'li' } });
    expect(user.name).toBe('李');
    await expect(client.suite.permanentCode(suite, authCode)).rejects.toMatchObject({ errcode: 40078 });
  });
});
