// Turns a decoded WeCom callback into a canonical event's type, time, dedup key and camelCased data.
//
// Mapping (the table itself is in event-types.ts; every type has schemas/events/<type>.schema.json):
//   Event | InfoType = change_external_contact + ChangeType add_external_contact, edit_external_contact,
//     add_half_external_contact, del_external_contact, del_follow_user, transfer_fail, msg_audit_approved
//       → wecom.external_contact.{add, edit, add_half, del, del_follow_user, transfer_fail, msg_audit_approved}
//   change_external_chat + create | update | dismiss → wecom.external_chat.{create, update, dismiss}
//     (update only with a documented UpdateDetail: add_member, del_member, change_owner, change_name, change_notice)
//   change_external_tag + create | update | delete | shuffle → wecom.external_tag.{create, update, delete, shuffle}
//   change_contact + create_user | update_user | delete_user | create_party | update_party | delete_party | update_tag
//       → wecom.contact.<ChangeType>
//   sys_approval_change → wecom.approval.change;  kf_msg_or_event → wecom.kf.msg_or_event;  msgaudit_notify → wecom.msgaudit.notify
//   InfoType suite_ticket | create_auth | change_auth | cancel_auth | reset_permanent_code → wecom.suite.{ticket, <InfoType>}
//   MsgType text | image → wecom.message.{text, image}; any other MsgType except event → wecom.message.other
//   MsgType event with any other Event (enter_agent, click, add_schedule, batch_job_result, open_approval_change, …) → wecom.app_event
//   Everything else → wecom.unknown with data.raw = the fields verbatim: an unknown InfoType, no MsgType/InfoType at all, and a
//   known family with a ChangeType or UpdateDetail we do not know, whose schema would otherwise refuse it (WeCom adds values).
//
// Data keeps every field (WeCom adds fields over time), keys camelCased at every depth (UserID → userId); the fields a type's
// schema names are typed (numbers, lists split from "1,2,3", repeated elements as arrays). Everything else stays as decoded.
import { createHash } from 'node:crypto';
import { classify } from './event-types.ts';
import { applyShape, camelCase, isRecord, text, unixToIso } from './fields.ts';
import type { MessageFields } from './message.ts';

export interface CallbackSource {
  route: 'app' | 'suite';
  corpId?: string;
  suiteId?: string;
}

export interface Normalized {
  type: string;
  occurredAt: string;
  dedupKey: string;
  data: Record<string, unknown>;
  authCorpId?: string;
}

export function normalize(fields: MessageFields, source: CallbackSource): Normalized {
  const { type, shape } = classify(fields);
  const data = shape === undefined ? unknownData(fields) : applyShape(fields, shape);
  // A message without a usable time is still kept; "now" is the best estimate of when it happened.
  const occurredAt = unixToIso(fields.CreateTime) ?? unixToIso(fields.TimeStamp) ?? new Date().toISOString();
  const normalized: Normalized = { type, occurredAt, dedupKey: dedupKey(fields, source, type), data };
  const authCorpId = text(fields.AuthCorpId);
  if (authCorpId) normalized.authCorpId = authCorpId;
  return normalized;
}

function unknownData(fields: MessageFields): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [tag, name] of [['MsgType', 'msgType'], ['Event', 'event'], ['InfoType', 'infoType'], ['ChangeType', 'changeType']] as const) {
    const value = text(fields[tag]);
    if (value !== undefined) data[name] = value;
  }
  data.raw = fields;
  return data;
}

// Dedup keys. WeCom retries a callback it got no answer to within 5 s, with the same content. MsgId identifies messages; events
// have none, and the documented FromUserName + CreateTime collapses distinct events that share a second (several
// change_external_tag events when a tag group is created with its tags, WxJava #2314). So an event's key names its kind, change,
// time and the ids of the entities it is about:
//   message: msg:<scope>:<AgentID|->:<MsgId>
//   event:   <scope>:<Event|InfoType|MsgType>[.<ChangeType>][.<UpdateDetail>]@<CreateTime|TimeStamp>[:<name>=<value>]…
// scope is the route's corp id on the app route, and <suiteId>[/<AuthCorpId, or ToUserName on data callbacks>] on the suite
// route. Values are URI-encoded so ':' and '=' stay separators; values longer than 64 characters (a suite ticket, an auth code)
// and lists are replaced by '#' and 16 hex digits of their sha256, which keeps keys short and still distinct.

/** Fields whose value tells two events of the same kind and second apart, in key order; dotted names are nested. */
const entityFields = [
  'FromUserName', 'AgentID', 'UserID', 'NewUserID', 'ExternalUserID', 'ChatId', 'Id', 'TagType', 'TagId', 'StrategyId',
  'Source', 'FailReason', 'CurMemVer', 'OpenKfId', 'Token', 'AuthCode', 'SuiteTicket', 'EventKey', 'TaskId', 'ResponseCode',
  'CalId', 'ScheduleId', 'BatchJob.JobId', 'ApprovalInfo.SpNo', 'ApprovalInfo.ThirdNo', 'ApprovalInfo.SpStatus',
  'ApprovalInfo.OpenSpStatus', 'ApprovalInfo.StatuChangeEvent',
];

/** List fields: which members changed is what tells two member or tag changes in one second apart. */
const hashedFields = ['MemChangeList', 'AddUserItems', 'DelUserItems', 'AddPartyItems', 'DelPartyItems'];

function dedupKey(fields: MessageFields, source: CallbackSource, type: string): string {
  const scope = keyScope(fields, source);
  const msgId = fields.MsgId;
  const msgIdText = text(msgId);
  if (msgIdText) {
    const key = `msg:${scope}:${part(text(fields.AgentID) || '-')}:${part(msgIdText)}`;
    // JSON-mode callbacks give MsgId as a JSON number, and JSON.parse rounds a 19-digit id to a double: ids that differ only in
    // their low digits would share a key. The rounded form still identifies a redelivery (same text, same rounding); the hash
    // of the whole message separates distinct messages that happen to round alike.
    return typeof msgId === 'number' && !Number.isSafeInteger(msgId) ? `${key}:sha=${digest(stable(fields))}` : key;
  }

  const kind = [fields.Event, fields.InfoType, fields.MsgType].map(text).find((value) => value) ?? '-';
  const changes = [kind, text(fields.ChangeType), text(fields.UpdateDetail)].filter((value): value is string => Boolean(value));
  let head = `${scope}:${changes.map(part).join('.')}`;
  head += `@${part(text(fields.CreateTime) || text(fields.TimeStamp) || '-')}`;

  const parts: string[] = [];
  for (const path of entityFields) {
    const value = text(lookup(fields, path));
    if (value === undefined || (path === 'FromUserName' && value === 'sys')) continue;
    parts.push(`${keyName(path)}=${part(value)}`);
  }
  for (const name of hashedFields) {
    if (fields[name] !== undefined) parts.push(`${keyName(name)}=#${digest(stable(fields[name]))}`);
  }
  // Nothing is known about an unknown event's ids; its whole content is what tells it apart.
  if (type === 'wecom.unknown') parts.push(`sha=${digest(stable(fields))}`);
  return [head, ...parts].join(':');
}

function keyScope(fields: MessageFields, source: CallbackSource): string {
  if (source.route === 'app') return part(source.corpId || text(fields.ToUserName) || '-');
  const suiteId = source.suiteId || text(fields.SuiteId) || '-';
  const to = text(fields.ToUserName);
  const corp = text(fields.AuthCorpId) || (to && to !== suiteId ? to : undefined);
  return corp ? `${part(suiteId)}/${part(corp)}` : part(suiteId);
}

function lookup(fields: MessageFields, path: string): unknown {
  let value: unknown = fields;
  for (const name of path.split('.')) value = isRecord(value) ? value[name] : undefined;
  return value;
}

function keyName(path: string): string {
  const last = path.slice(path.lastIndexOf('.') + 1);
  return last === 'FromUserName' ? 'from' : camelCase(last);
}

function part(value: string): string {
  return value.length > 64 ? `#${digest(value)}` : encodeURIComponent(value);
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

/** JSON with sorted keys, so a hash does not depend on the order a parser listed the fields in. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stable(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
