// Callbacks the simulator's world emits, received by a tiny Hono host that verifies, decrypts and normalises them.
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decrypt, parseAesKey, verifySignature } from '../crypto.ts';
import { parseEnvelope } from '../envelope.ts';
import { parseMessage } from '../message.ts';
import { normalize } from '../normalize.ts';
import { contactAddedXml } from './messages.ts';
import { createWecomSimulator } from './server.ts';
import { start } from './simulator.test-support.ts';

const keys = { token: 'QDG6eK', encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
const corpId = 'wwcallbackcorp';
const suiteId = 'wwsuitecb';

interface Received {
  path: string;
  agentId?: string;
  toUserName?: string;
  signatureOk: boolean;
  plain: string;
  receiveId: string;
}

let receiver: ServerType;
let receiverUrl = '';
let received: Received[] = [];
let answer = 200;

beforeAll(async () => {
  const app = new Hono();
  app.post('/cb/:name', async (c) => {
    const url = new URL(c.req.url);
    const envelope = parseEnvelope(await c.req.text());
    const q = (name: string) => url.searchParams.get(name) ?? '';
    const opened = decrypt(parseAesKey(keys.encodingAesKey), envelope.encrypt);
    received.push({
      path: url.pathname,
      ...(envelope.agentId !== undefined ? { agentId: envelope.agentId } : {}),
      ...(envelope.toUserName !== undefined ? { toUserName: envelope.toUserName } : {}),
      signatureOk: verifySignature(keys.token, q('timestamp'), q('nonce'), envelope.encrypt, q('msg_signature')),
      plain: opened.message.toString('utf8'),
      receiveId: opened.receiveId,
    });
    return c.text(answer === 200 ? 'success' : 'busy', answer as 200);
  });
  receiverUrl = await new Promise<string>((resolve) => {
    receiver = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => resolve(`http://127.0.0.1:${info.port}`));
  });
});
afterAll(async () => new Promise<void>((resolve) => receiver.close(() => resolve())));
beforeEach(() => {
  received = [];
  answer = 200;
});

function simulator() {
  let now = start;
  const sim = createWecomSimulator({
    clock: () => now,
    corps: [{
      corpId,
      callbacks: [{ url: `${receiverUrl}/cb/app`, ...keys, agentId: 1000002 }],
      seed: { staff: [{ userid: 'zhangsan', name: '张三' }], groupChats: [{ chatId: 'wrCHAT', owner: 'zhangsan' }] },
    }],
    suites: [{ suiteId, suiteSecret: 's', callback: { url: `${receiverUrl}/cb/suite`, ...keys } }],
  });
  return { sim, advance: (ms: number) => { now += ms; } };
}

describe('callbacks to a host', () => {
  it('sends add_external_contact signed and encrypted for the corp, decrypting to the expected XML', async () => {
    const { sim } = simulator();
    const world = sim.world(corpId);
    const way = world.addContactWay({ users: ['zhangsan'], state: 'store42' });
    const added = await world.customerAddsStaff({ configId: way.configId });
    expect(added.deliveries).toMatchObject([{ url: `${receiverUrl}/cb/app`, status: 200, body: 'success' }]);
    const expected = contactAddedXml({
      corpId, createTime: Math.floor(start / 1000), userId: 'zhangsan', externalUserId: added.externalUserId, state: 'store42',
      welcomeCode: added.welcomeCode!,
    });
    expect(added.xml).toBe(expected);
    expect(received).toEqual([{ path: '/cb/app', agentId: '1000002', toUserName: corpId, signatureOk: true, plain: expected, receiveId: corpId }]);
    const event = normalize(parseMessage(received[0]!.plain), { route: 'app', corpId });
    expect(event).toMatchObject({ type: 'wecom.external_contact.add', data: { state: 'store42', welcomeCode: added.welcomeCode } });
    expect(sim.callbacks).toMatchObject([{ kind: 'change_external_contact/add_external_contact', corpId }]);
  });

  it('emits group joins and both deletions in forms the host classifies', async () => {
    const { sim } = simulator();
    const world = sim.world();
    const { externalUserId } = await world.customerAddsStaff({ userId: 'zhangsan', welcomeCode: false });
    await world.customerJoinsGroup({ chatId: 'wrCHAT', externalUserId, joinScene: 'link' });
    await world.customerDeletesStaff({ userId: 'zhangsan', externalUserId });
    await world.staffDeletesCustomer({ userId: 'zhangsan', externalUserId });
    const events = received.map((r) => normalize(parseMessage(r.plain), { route: 'app', corpId }));
    expect(events.map((e) => e.type)).toEqual([
      'wecom.external_contact.add', 'wecom.external_chat.update', 'wecom.external_contact.del_follow_user', 'wecom.external_contact.del',
    ]);
    expect(received[0]!.plain).not.toContain('WelcomeCode');
    expect(events[1]!.data).toMatchObject({ chatId: 'wrCHAT', updateDetail: 'add_member', joinScene: 1, memChangeCnt: 1 });
  });

  it('pushes suite tickets and create_auth to the suite, and an authorised corp’s events in the suite form', async () => {
    const { sim } = simulator();
    const pushed = await sim.pushSuiteTicket(suiteId);
    expect(pushed.delivery?.status).toBe(200);
    expect(sim.suiteTicket(suiteId)).toBe(pushed.ticket);
    const auth = await sim.authorizeCorp(suiteId, { corpId }, { push: true });
    expect(received.map((r) => [r.path, r.receiveId, r.toUserName, r.agentId])).toEqual([
      ['/cb/suite', suiteId, suiteId, undefined], ['/cb/suite', suiteId, suiteId, undefined],
    ]);
    expect(received[0]!.plain).toContain(`<SuiteTicket><![CDATA[${pushed.ticket}]]></SuiteTicket>`);
    expect(normalize(parseMessage(received[1]!.plain), { route: 'suite', suiteId })).toMatchObject({ type: 'wecom.suite.create_auth', data: { authCode: auth.authCode } });

    // The install completes when the suite exchanges the auth code; from then on the corp's events reach the suite too.
    const server = await sim.listen();
    const call = async (path: string, body: unknown) =>
      (await (await fetch(`${server.url}${path}`, { method: 'POST', body: JSON.stringify(body) })).json()) as Record<string, unknown>;
    const sat = (await call('/cgi-bin/service/get_suite_token', { suite_id: suiteId, suite_secret: 's', suite_ticket: pushed.ticket })).suite_access_token;
    expect((await call(`/cgi-bin/service/get_permanent_code?suite_access_token=${sat as string}`, { auth_code: auth.authCode })).errcode).toBe(0);
    await server.close();
    received = [];
    const added = await sim.world(corpId).customerAddsStaff({ userId: 'zhangsan' });
    expect(added.deliveries.map((d) => d.url).sort()).toEqual([`${receiverUrl}/cb/app`, `${receiverUrl}/cb/suite`]);
    const suiteCopy = received.find((r) => r.path === '/cb/suite')!;
    expect(suiteCopy.receiveId).toBe(suiteId);
    expect(normalize(parseMessage(suiteCopy.plain), { route: 'suite', suiteId })).toMatchObject({
      type: 'wecom.external_contact.add', authCorpId: corpId, data: { externalUserId: added.externalUserId },
    });
  });

  it('retries a host that does not answer 200, three tries in all, and reports each status', async () => {
    const { sim } = simulator();
    answer = 503;
    const added = await sim.world().customerAddsStaff({ userId: 'zhangsan' });
    expect(added.deliveries[0]).toMatchObject({ status: 503, attempts: [{ status: 503 }, { status: 503 }, { status: 503 }] });
    expect(received).toHaveLength(3);
    // Each try is encrypted afresh but carries the same event.
    expect(new Set(received.map((r) => r.plain)).size).toBe(1);
    const unreachable = createWecomSimulator({
      corps: [{ corpId, callbacks: [{ url: 'http://127.0.0.1:1/cb', ...keys }], seed: { staff: [{ userid: 'zhangsan' }] } }],
      delivery: { tries: 1 },
    });
    const lost = await unreachable.world().customerAddsStaff({ userId: 'zhangsan' });
    expect(lost.deliveries[0]).toMatchObject({ status: 0, attempts: [{ status: 0, error: expect.any(String) }] });
  });
});
