import { describe, expect, it } from 'vitest';
import { parseEnvelope } from './envelope.ts';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'no error';
};

describe('parseEnvelope', () => {
  it('reads the XML envelope with CDATA and plain values, in any order and spacing', () => {
    expect(parseEnvelope('<xml><ToUserName><![CDATA[wx1]]></ToUserName><Encrypt><![CDATA[abc=]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>'))
      .toEqual({ toUserName: 'wx1', encrypt: 'abc=', agentId: '218' });
    expect(parseEnvelope('<?xml version="1.0"?>\n<xml>\n  <Encrypt>abc=</Encrypt>\n  <AgentID>7</AgentID>\n</xml>\n'))
      .toEqual({ encrypt: 'abc=', agentId: '7' });
  });

  it('reads the JSON envelope with keys in either case', () => {
    expect(parseEnvelope('{"tousername":"wx1","encrypt":"abc=","agentid":"218"}')).toEqual({ toUserName: 'wx1', encrypt: 'abc=', agentId: '218' });
    expect(parseEnvelope('{"ToUserName":"wx1","Encrypt":"abc=","AgentID":218}')).toEqual({ toUserName: 'wx1', encrypt: 'abc=', agentId: '218' });
  });

  it('refuses DTDs, entities and processing instructions', () => {
    expect(code(() => parseEnvelope('<!DOCTYPE xml [<!ENTITY e "x">]><xml><Encrypt>&e;</Encrypt></xml>'))).toBe('wecom.xml_forbidden');
    expect(code(() => parseEnvelope('<xml><Encrypt>a&amp;b</Encrypt></xml>'))).toBe('wecom.xml_forbidden');
    expect(code(() => parseEnvelope('<xml><!ENTITY e "x"><Encrypt>a</Encrypt></xml>'))).toBe('wecom.xml_forbidden');
  });

  it('refuses truncated, trailing, unknown and repeated content', () => {
    const good = '<xml><ToUserName><![CDATA[wx1]]></ToUserName><Encrypt><![CDATA[abc=]]></Encrypt></xml>';
    for (let cut = 1; cut < good.length; cut++) expect(code(() => parseEnvelope(good.slice(0, cut)))).toMatch(/^wecom\./);
    expect(code(() => parseEnvelope(`${good}<xml/>`))).toBe('wecom.envelope_invalid');
    expect(code(() => parseEnvelope('<xml><Encrypt>a</Encrypt><Other>b</Other></xml>'))).toBe('wecom.envelope_invalid');
    expect(code(() => parseEnvelope('<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>'))).toBe('wecom.envelope_invalid');
    expect(code(() => parseEnvelope('<xml><ToUserName>wx1</ToUserName></xml>'))).toBe('wecom.envelope_invalid');
    expect(code(() => parseEnvelope('{"encrypt":"a","extra":1}'))).toBe('wecom.envelope_invalid');
    expect(code(() => parseEnvelope('{"encrypt":'))).toBe('wecom.envelope_invalid');
    expect(code(() => parseEnvelope(''))).toBe('wecom.envelope_invalid');
  });
});
