// normalize dedup keys: distinct keys for same-second events, stable keys per route, hashing long values, and JSON-mode messages.
import { describe, expect, it } from 'vitest';
import { parseMessage } from './message.ts';
import { normalize, type CallbackSource } from './normalize.ts';
import { expectValid, sourceFor } from './normalize.test-support.ts';

const tagXml = (id: string, tagType: string, changeType = 'create') =>
  `<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1700000000</CreateTime>` +
  `<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_tag]]></Event><Id><![CDATA[${id}]]></Id>` +
  `<TagType><![CDATA[${tagType}]]></TagType><ChangeType><![CDATA[${changeType}]]></ChangeType></xml>`;

describe('normalize: dedup keys', () => {
  it('tells apart change_external_tag events that share a second (WxJava #2314)', () => {
    const source: CallbackSource = { route: 'app', corpId: 'wwcorp' };
    const keys = [tagXml('GROUP_1', 'tag_group'), tagXml('TAG_1', 'tag'), tagXml('TAG_2', 'tag'), tagXml('TAG_1', 'tag', 'update')].map(
      (xml) => normalize(parseMessage(xml), source).dedupKey,
    );
    expect(new Set(keys).size).toBe(4);
    expect(keys[1]).toBe('wwcorp:change_external_tag.create@1700000000:id=TAG_1:tagType=tag');
  });

  it('gives the same key to the same message every time, and the route config decides the scope', () => {
    const xml = tagXml('TAG_1', 'tag');
    const first = normalize(parseMessage(xml), { route: 'app', corpId: 'wwcorp' });
    const again = normalize(parseMessage(xml), { route: 'app', corpId: 'wwcorp' });
    expect(again.dedupKey).toBe(first.dedupKey);
    expect(normalize(parseMessage(xml), { route: 'app', corpId: 'wwother' }).dedupKey).toBe(first.dedupKey.replace('wwcorp', 'wwother'));
  });

  it('keeps keys short by hashing long values such as a suite ticket', () => {
    const ticket = 'x'.repeat(300);
    const xml = `<xml><SuiteId><![CDATA[wwsuite]]></SuiteId><InfoType><![CDATA[suite_ticket]]></InfoType><TimeStamp>1403610513</TimeStamp><SuiteTicket><![CDATA[${ticket}]]></SuiteTicket></xml>`;
    const key = normalize(parseMessage(xml), { route: 'suite', suiteId: 'wwsuite' }).dedupKey;
    expect(key).toMatch(/^wwsuite:suite_ticket@1403610513:suiteTicket=#[0-9a-f]{16}$/);
  });
});

describe('normalize: JSON-mode messages', () => {
  // REFERENCE.md B3 plaintext. Its MsgId, 4561255354251345929, is above Number.MAX_SAFE_INTEGER, so JSON.parse (in parseMessage)
  // has already rounded it to 4561255354251346000 before normalize sees it. The data keeps that rounded id as text; the dedup key
  // uses it too, plus a hash of the whole message, so a redelivery matches and two ids that round alike do not collide.
  const json =
    '{"ToUserName":"wx5823bf96d3bd56c7","FromUserName":"mycreate","CreateTime": 1409659813,"MsgType":"text","Content":"hello","MsgId":4561255354251345929,"AgentID": 218}';

  it('normalizes and validates, with the lossy MsgId kept as text', () => {
    const fields = parseMessage(json);
    const source = sourceFor(fields);
    const event = normalize(fields, source);
    expect(event).toMatchObject({
      type: 'wecom.message.text',
      occurredAt: '2014-09-02T12:10:13.000Z',
      data: { toUserName: 'wx5823bf96d3bd56c7', fromUserName: 'mycreate', content: 'hello', agentId: 218, createTime: 1409659813 },
    });
    expect(event.data.msgId).toBe(String(4561255354251345929));
    expect(event.dedupKey).toMatch(/^msg:wx5823bf96d3bd56c7:218:4561255354251346000:sha=[0-9a-f]{16}$/);
    expect(normalize(parseMessage(json), source).dedupKey).toBe(event.dedupKey);
    expect(normalize(parseMessage(json.replace('hello', 'bye')), source).dedupKey).not.toBe(event.dedupKey);
    expectValid(event, source);
  });
});
