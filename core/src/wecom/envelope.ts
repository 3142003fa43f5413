// Reads the small fixed callback envelope (<xml><ToUserName/><AgentID/><Encrypt/></xml>, or its JSON form)
// without a general XML parser: this runs before every acknowledgement, so it must be cheap and strict.
import { LianjieError } from '../errors.ts';

export interface Envelope {
  encrypt: string;
  toUserName?: string;
  agentId?: string;
}

const fieldNames: Record<string, keyof Envelope> = {
  ToUserName: 'toUserName',
  AgentID: 'agentId',
  Encrypt: 'encrypt',
};

export function parseEnvelope(body: string): Envelope {
  const start = skipSpace(body, 0);
  if (body.charCodeAt(start) === 0x7b /* { */) return parseJsonEnvelope(body);
  return parseXmlEnvelope(body, start);
}

function parseXmlEnvelope(body: string, from: number): Envelope {
  let at = from;
  if (body.startsWith('<?xml', at)) {
    const end = body.indexOf('?>', at);
    if (end < 0) throw invalid('unterminated XML declaration');
    at = skipSpace(body, end + 2);
  }
  if (body.startsWith('<!', at)) throw forbidden();
  if (!body.startsWith('<xml>', at)) throw invalid('expected <xml> as the root element');
  at += 5;
  const found: Partial<Envelope> = {};
  for (;;) {
    at = skipSpace(body, at);
    if (body.startsWith('</xml>', at)) {
      if (skipSpace(body, at + 6) !== body.length) throw invalid('content after </xml>');
      break;
    }
    if (body.startsWith('<!', at) && !body.startsWith('<![CDATA[', at)) throw forbidden();
    const open = /^<([A-Za-z]+)>/.exec(body.slice(at, at + 40));
    if (!open) throw invalid(at >= body.length ? 'truncated: missing </xml>' : `unexpected content at offset ${at}`);
    const tag = open[1] as string;
    const field = fieldNames[tag];
    if (!field) throw invalid(`unexpected element <${tag}> in the envelope`);
    if (found[field] !== undefined) throw invalid(`element <${tag}> appears twice`);
    at += open[0].length;
    const value = readValue(body, at, tag);
    found[field] = value.text;
    at = value.end;
  }
  if (!found.encrypt) throw invalid('the envelope has no <Encrypt> value');
  return found as Envelope;
}

/** Reads `<![CDATA[…]]></Tag>` or `text</Tag>` starting at `at`, with optional space around a CDATA section. */
function readValue(body: string, at: number, tag: string): { text: string; end: number } {
  const close = `</${tag}>`;
  const lead = skipSpace(body, at);
  if (body.startsWith('<![CDATA[', lead)) {
    const end = body.indexOf(']]>', lead + 9);
    if (end < 0) throw invalid(`unterminated CDATA in <${tag}>`);
    const after = skipSpace(body, end + 3);
    if (!body.startsWith(close, after)) throw invalid(`expected ${close}`);
    return { text: body.slice(lead + 9, end), end: after + close.length };
  }
  const end = body.indexOf('<', at);
  if (end < 0) throw invalid(`truncated inside <${tag}>`);
  const text = body.slice(at, end);
  if (text.includes('&')) throw forbidden();
  if (!body.startsWith(close, end)) throw invalid(`expected ${close}`);
  return { text: text.trim(), end: end + close.length };
}

function parseJsonEnvelope(body: string): Envelope {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw invalid('the body is neither the XML nor the JSON envelope');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('the JSON envelope is not an object');
  // WeCom's samples spell the keys both `encrypt` and `Encrypt`: match them case-insensitively.
  const found: Partial<Envelope> = {};
  for (const [key, raw] of Object.entries(value)) {
    const field = Object.entries(fieldNames).find(([name]) => name.toLowerCase() === key.toLowerCase())?.[1];
    if (!field) throw invalid(`unexpected key "${key}" in the envelope`);
    if (typeof raw !== 'string' && typeof raw !== 'number') throw invalid(`"${key}" must be a string`);
    if (found[field] !== undefined) throw invalid(`key "${key}" appears twice`);
    found[field] = String(raw);
  }
  if (!found.encrypt) throw invalid('the envelope has no encrypt value');
  return found as Envelope;
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

function invalid(reason: string): LianjieError {
  return new LianjieError('wecom.envelope_invalid', `invalid callback envelope: ${reason}`);
}

function forbidden(): LianjieError {
  return new LianjieError('wecom.xml_forbidden', 'the callback envelope contains a DTD, an entity or a processing instruction');
}
