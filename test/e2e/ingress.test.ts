// The WeCom callback routes over real loopback HTTP, on SQLite and (with DATABASE_URL) PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encrypt, parseAesKey, signature } from '../../core/src/wecom/crypto.ts';
import { queryString, signedCallback, signedEcho } from '../../core/src/wecom/simulator/callbacks.ts';
import { contactAddedXml } from '../../core/src/wecom/simulator/messages.ts';
import { demoCorpId, demoKeys, demoSuiteId, dialects, startHost, suiteCorpId, type RunningHost } from '../support/host.ts';

const appKeys = { ...demoKeys, receiveId: demoCorpId };
const suiteKeys = { ...demoKeys, receiveId: demoSuiteId };
const appPath = '/wecom/callback/acme/crm';

// Vector set B (REFERENCE.md §2): the official GET and POST.
const b1Query = 'msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D';
const b2Query = 'msg_signature=477715d11cdb4164915debcba66cb864d751f3e6&timestamp=1409659813&nonce=1372623149';
const b2Encrypt = 'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';
const b2Body = `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[${b2Encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`;
const b2Plain = '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>';

const addContact = (userId: string, externalUserId: string, createTime = 1700000000) =>
  contactAddedXml({ corpId: demoCorpId, userId, externalUserId, createTime, state: 'store42', welcomeCode: 'WELCOME' });

describe.each(dialects)('ingress on %s', (dialect) => {
  let h: RunningHost;
  beforeAll(async () => {
    h = await startHost(dialect, { decode: false });
  });
  afterAll(async () => h?.close());

  const eventCount = () => h.host.store.countEvents({});
  const drain = () => h.host.decoder.drain();

  it('answers the official URL verification with the bare plaintext', async () => {
    const response = await fetch(`${h.url}${appPath}?${b1Query}`);
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.toString()).toBe('1616140317555161061');
    expect(bytes.length).toBe(19);
  });

  it('acknowledges the official POST and stores the decoded message byte-exact', async () => {
    const response = await h.post(`${appPath}?${b2Query}`, b2Body);
    expect(response).toEqual({ status: 200, text: 'success' });
    await drain();
    const [event] = await h.host.store.listEvents({ tenantId: 'acme', type: 'wecom.message.text' });
    expect(event?.raw).toBe(b2Plain);
    expect(Buffer.byteLength(event!.raw)).toBe(284);
    expect(event?.data).toMatchObject({ content: 'hello', fromUserName: 'mycreate' });
    expect(event?.occurredAt).toBe('2014-09-02T12:10:13.000Z');
    // Re-encrypting the stored plaintext with the recovered random reproduces WeCom's ciphertext.
    expect(encrypt(parseAesKey(demoKeys.encodingAesKey), event!.raw, demoCorpId, Buffer.from('0960688932c47ef1'))).toBe(b2Encrypt);
  });

  it('turns three deliveries of one callback into one event', async () => {
    const before = await eventCount();
    const message = addContact('zhangsan', 'wmTriple', 1700000100);
    // WeCom's retries re-encrypt: each delivery has fresh random bytes, timestamp and nonce.
    for (let i = 0; i < 3; i++) {
      const cb = signedCallback(appKeys, message, { agentId: 218, nonce: String(1000 + i) });
      expect((await h.post(`${appPath}?${cb.query}`, cb.body)).text).toBe('success');
    }
    await drain();
    expect(await eventCount()).toBe(before + 1);
    const [event] = await h.host.store.listEvents({ tenantId: 'acme', type: 'wecom.external_contact.add' });
    expect(event?.data).toMatchObject({ userId: 'zhangsan', externalUserId: 'wmTriple', state: 'store42', welcomeCode: 'WELCOME' });
  });

  it('keeps tag events that share a second apart', async () => {
    const before = await eventCount();
    for (const id of ['TAG_A', 'TAG_B', 'TAG_C']) {
      const message = `<xml><ToUserName><![CDATA[${demoCorpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1700000200</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_tag]]></Event><Id><![CDATA[${id}]]></Id><TagType><![CDATA[tag]]></TagType><ChangeType><![CDATA[create]]></ChangeType></xml>`;
      const cb = signedCallback(appKeys, message);
      expect((await h.post(`${appPath}?${cb.query}`, cb.body)).text).toBe('success');
    }
    await drain();
    expect(await eventCount()).toBe(before + 3);
  });

  it('accepts the JSON envelope form', async () => {
    const cb = signedCallback(appKeys, addContact('lisi', 'wmJson', 1700000300), { format: 'json', agentId: 218 });
    expect((await h.post(`${appPath}?${cb.query}`, cb.body, { 'content-type': 'application/json' })).text).toBe('success');
    await drain();
    const events = await h.host.store.listEvents({ tenantId: 'acme', type: 'wecom.external_contact.add' });
    expect(events.map((e) => e.data.externalUserId)).toContain('wmJson');
  });

  it('verifies suite URLs and records suite events, attributing AuthCorpId to its tenant', async () => {
    const echo = signedEcho(suiteKeys, '8841233');
    expect(await h.get(`/wecom/suite/${demoSuiteId}?${echo.query}`)).toEqual({ status: 200, text: '8841233' });
    const ticket = `<xml><SuiteId><![CDATA[${demoSuiteId}]]></SuiteId><InfoType> <![CDATA[suite_ticket]]></InfoType><TimeStamp>1700000400</TimeStamp><SuiteTicket><![CDATA[TICKET1]]></SuiteTicket></xml>`;
    const contact = `<xml><SuiteId><![CDATA[${demoSuiteId}]]></SuiteId><AuthCorpId><![CDATA[${suiteCorpId}]]></AuthCorpId><InfoType><![CDATA[change_external_contact]]></InfoType><TimeStamp>1700000401</TimeStamp><ChangeType><![CDATA[del_follow_user]]></ChangeType><UserID><![CDATA[wangwu]]></UserID><ExternalUserID><![CDATA[wmGone]]></ExternalUserID></xml>`;
    for (const message of [ticket, contact]) {
      const cb = signedCallback(suiteKeys, message);
      const started = performance.now();
      expect((await h.post(`/wecom/suite/${demoSuiteId}?${cb.query}`, cb.body)).text).toBe('success');
      expect(performance.now() - started).toBeLessThan(1000); // WeCom's budget for suite auth events
    }
    await drain();
    const [suiteEvent] = await h.host.store.listEvents({ suiteId: demoSuiteId, type: 'wecom.suite.ticket' });
    // A ticket is a credential: never stored in the clear, neither in the event nor in its raw message.
    expect(suiteEvent?.data).toMatchObject({ infoType: 'suite_ticket', suiteTicket: expect.any(String) });
    expect(JSON.stringify(suiteEvent)).not.toContain('TICKET1');
    expect(suiteEvent?.tenantId).toBeNull();
    const [churn] = await h.host.store.listEvents({ tenantId: 'beta', type: 'wecom.external_contact.del_follow_user' });
    expect(churn).toMatchObject({ suiteId: demoSuiteId, data: { externalUserId: 'wmGone' } });
  });

  it('accepts a suite data callback encrypted to the authorising corp, and attributes it to that tenant', async () => {
    const message = `<xml><ToUserName><![CDATA[${suiteCorpId}]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName><CreateTime>1700000450</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>88990011</MsgId><AgentID>1</AgentID></xml>`;
    const cb = signedCallback({ ...demoKeys, receiveId: suiteCorpId }, message, { toUserName: suiteCorpId });
    expect((await h.post(`/wecom/suite/${demoSuiteId}?${cb.query}`, cb.body)).text).toBe('success');
    await drain();
    const [text] = await h.host.store.listEvents({ tenantId: 'beta', type: 'wecom.message.text' });
    expect(text).toMatchObject({ suiteId: demoSuiteId, data: { content: '你好' } });
    // A corp no tenant holds is still refused: the receive id must be one this suite can be sent.
    const stranger = signedCallback({ ...demoKeys, receiveId: 'wwStrangerCorp' }, message);
    expect((await h.post(`/wecom/suite/${demoSuiteId}?${stranger.query}`, stranger.body)).status).toBe(400);
  });

  describe('refuses bad input with a clear status and message, storing no event', () => {
    const message = addContact('badguy', 'wmBad', 1700000500);
    const valid = () => signedCallback(appKeys, message, { agentId: 218 });
    const aes = parseAesKey(demoKeys.encodingAesKey);
    // A correctly signed callback around an arbitrary ciphertext: it verifies, then fails to decode.
    const signedAround = (cipher: string) => {
      const timestamp = '1700000500', nonce = '42';
      return { query: queryString({ msg_signature: signature(demoKeys.token, timestamp, nonce, cipher), timestamp, nonce }),
        body: `<xml><ToUserName><![CDATA[${demoCorpId}]]></ToUserName><Encrypt><![CDATA[${cipher}]]></Encrypt></xml>` };
    };
    const cases: [string, () => { path?: string; query: string; body: string }, number, string][] = [
      ['wrong signature', () => ({ ...valid(), query: valid().query.replace(/msg_signature=[0-9a-f]{40}/, `msg_signature=${'0'.repeat(40)}`) }), 401, 'wecom.signature_mismatch'],
      ['tampered ciphertext', () => { const v = valid(); return { ...v, body: v.body.replace(v.encrypt, v.encrypt.slice(0, 40) + (v.encrypt[40] === 'A' ? 'B' : 'A') + v.encrypt.slice(41)) }; }, 401, 'wecom.signature_mismatch'],
      ['wrong receive id', () => signedAround(encrypt(aes, message, 'wwSomeoneElse')), 400, 'wecom.receive_id_mismatch'],
      ['bad base64', () => signedAround('not*base64!'), 400, 'wecom.base64_invalid'],
      ['bad padding', () => signedAround(Buffer.alloc(64, 7).toString('base64')), 400, 'wecom.decrypt_failed'],
      ['truncated body', () => { const v = valid(); return { ...v, body: v.body.slice(0, v.body.length - 10) }; }, 400, 'wecom.envelope_invalid'],
      ['XML with a DTD', () => { const v = valid(); return { ...v, body: `<!DOCTYPE xml [<!ENTITY x "y">]>${v.body}` }; }, 400, 'wecom.xml_forbidden'],
      ['XML with an entity', () => { const v = valid(); return { ...v, body: v.body.replace('<AgentID><![CDATA[218]]>', '<AgentID>&x;') }; }, 400, 'wecom.xml_forbidden'],
      ['missing signature', () => ({ ...valid(), query: 'timestamp=1&nonce=2' }), 400, 'request.invalid'],
      ['malformed nonce', () => ({ ...valid(), query: valid().query.replace(/nonce=\d+/, 'nonce=%00') }), 400, 'request.invalid'],
      ['wrong ToUserName', () => { const v = valid(); return { ...v, body: v.body.replace(demoCorpId, 'wwOther') }; }, 400, 'wecom.envelope_invalid'],
      ['unknown tenant', () => ({ ...valid(), path: '/wecom/callback/nobody/crm' }), 404, 'tenant.not_found'],
      ['unknown app', () => ({ ...valid(), path: '/wecom/callback/acme/nothing' }), 404, 'app.not_found'],
      ['unknown suite', () => ({ ...valid(), path: '/wecom/suite/wwNoSuite' }), 404, 'app.not_found'],
    ];

    it.each(cases)('%s', async (_name, make, status, code) => {
      const before = await eventCount();
      const { path = appPath, query, body } = make();
      const response = await h.post(`${path}?${query}`, body);
      expect(response.status).toBe(status);
      expect(response.text.startsWith(`${code}: `)).toBe(true);
      await drain();
      expect(await eventCount()).toBe(before);
      expect((await h.get('/healthz')).status).toBe(200);
    });

    it('an oversized body gets 413', async () => {
      const v = valid();
      const response = await h.post(`${appPath}?${v.query}`, v.body.replace('<xml>', `<xml>${' '.repeat(70_000)}`));
      expect(response.status).toBe(413);
      expect(response.text).toMatch(/^request\.too_large: /);
    });

    it('verified but undecodable callbacks are kept as dead letters with their reason', async () => {
      const dead = await h.host.store.listInbox('dead', 100);
      const reasons = new Set(dead.map((row) => row.errorCode));
      expect(reasons).toEqual(new Set(['wecom.receive_id_mismatch', 'wecom.base64_invalid', 'wecom.decrypt_failed']));
      expect(dead.every((row) => row.errorMessage)).toBe(true);
    });
  });

  it('serves health, readiness and metrics', async () => {
    expect(JSON.parse((await h.get('/readyz')).text)).toEqual({ status: 'ready', database: dialect });
    const metrics = (await h.get('/metrics')).text;
    expect(metrics).toMatch(/lianjie_callbacks_accepted_total\{route="app"\} \d+/);
    expect(metrics).toMatch(/lianjie_callbacks_rejected_total\{route="app",reason="wecom.signature_mismatch"\} [1-9]/);
    expect(metrics).toMatch(/lianjie_inbox_depth 0/);
    expect(metrics).toMatch(/lianjie_decode_lag_seconds_count [1-9]/);
  });
});
