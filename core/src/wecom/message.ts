// Turns a decrypted WeCom message (XML, or JSON in JSON-mode callbacks) into a plain object of its fields.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { LianjieError } from '../errors.ts';
import { jsonErrorWhere } from '../json-error.ts';

/** A decoded message: element name → text, nested object, or array for repeated elements. */
export type MessageFields = Record<string, unknown>;

// A DTD is refused before parsing, so no entity can ever be declared; what is left to decode is XML's five
// predefined entities and character references, which real messages use (`a &amp; b`).
const parser = new XMLParser({
  ignoreAttributes: true,
  processEntities: true,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const forbidden = /<!DOCTYPE|<!ENTITY|<!ELEMENT|<!ATTLIST/i;

export function parseMessage(message: Buffer | string): MessageFields {
  const text = typeof message === 'string' ? message : message.toString('utf8');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) return parseJson(trimmed);
  if (forbidden.test(text)) {
    throw new LianjieError('wecom.xml_forbidden', 'message XML contains a DTD or an entity declaration, which are not accepted');
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new LianjieError('wecom.message_invalid', `message is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const parsed = parser.parse(text) as Record<string, unknown>;
  const root = parsed.xml;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new LianjieError('wecom.message_invalid', 'message XML has no <xml> root element with fields');
  }
  return root as MessageFields;
}

function parseJson(text: string): MessageFields {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LianjieError('wecom.message_invalid', `message is ${jsonErrorWhere(text, error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LianjieError('wecom.message_invalid', 'JSON message is not an object');
  }
  return value as MessageFields;
}
