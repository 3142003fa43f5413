// The table from WeCom's (MsgType, Event | InfoType, ChangeType) to a canonical event type, and how each type's fields are typed.
import { text, type Shape } from './fields.ts';

// Customer-contact and address-book events name their family in Event (self-built, 代开发) or InfoType (suite
// 指令回调); both forms carry the same ChangeType values, so one table serves both.
const byChangeType: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  change_external_contact: {
    add_external_contact: 'wecom.external_contact.add',
    edit_external_contact: 'wecom.external_contact.edit',
    add_half_external_contact: 'wecom.external_contact.add_half',
    del_external_contact: 'wecom.external_contact.del',
    del_follow_user: 'wecom.external_contact.del_follow_user',
    transfer_fail: 'wecom.external_contact.transfer_fail',
    msg_audit_approved: 'wecom.external_contact.msg_audit_approved',
  },
  change_external_chat: {
    create: 'wecom.external_chat.create',
    update: 'wecom.external_chat.update',
    dismiss: 'wecom.external_chat.dismiss',
  },
  change_external_tag: {
    create: 'wecom.external_tag.create',
    update: 'wecom.external_tag.update',
    delete: 'wecom.external_tag.delete',
    shuffle: 'wecom.external_tag.shuffle',
  },
  change_contact: {
    create_user: 'wecom.contact.create_user',
    update_user: 'wecom.contact.update_user',
    delete_user: 'wecom.contact.delete_user',
    create_party: 'wecom.contact.create_party',
    update_party: 'wecom.contact.update_party',
    delete_party: 'wecom.contact.delete_party',
    update_tag: 'wecom.contact.update_tag',
  },
};

const byKind: Readonly<Record<string, string>> = {
  sys_approval_change: 'wecom.approval.change',
  kf_msg_or_event: 'wecom.kf.msg_or_event',
  msgaudit_notify: 'wecom.msgaudit.notify',
  suite_ticket: 'wecom.suite.ticket',
  create_auth: 'wecom.suite.create_auth',
  change_auth: 'wecom.suite.change_auth',
  cancel_auth: 'wecom.suite.cancel_auth',
  reset_permanent_code: 'wecom.suite.reset_permanent_code',
};

const byMsgType: Readonly<Record<string, string>> = {
  text: 'wecom.message.text',
  image: 'wecom.message.image',
};

/** The schema enumerates these; a new value would fail it, so it becomes wecom.unknown instead of being refused. */
const chatUpdateDetails: readonly string[] = ['add_member', 'del_member', 'change_owner', 'change_name', 'change_notice'];

const fallbackTypes = ['wecom.message.other', 'wecom.app_event', 'wecom.unknown'];

/** Every type normalize() can produce; each has schemas/events/<type>.schema.json. */
export const canonicalTypes: readonly string[] = [
  ...Object.values(byChangeType).flatMap((changes) => Object.values(changes)),
  ...Object.values(byKind),
  ...Object.values(byMsgType),
  ...fallbackTypes,
];

// Envelope fields typed for every known type. MsgId stays a string: it is a 64-bit id that a JS number cannot hold.
const envelope: Shape = { CreateTime: 'int', TimeStamp: 'int', AgentID: 'int', MsgId: 'string' };

const user: Shape = {
  Department: 'intCsv',
  MainDepartment: 'int',
  IsLeaderInDept: 'intCsv',
  DirectLeader: 'stringCsv',
  Gender: 'int',
  Status: 'int',
  IsLeader: 'int',
  Enable: 'int',
  HideMobile: 'int',
  // Phone numbers look numeric but are text (leading zeros, '+', '-').
  Mobile: 'string',
  Telephone: 'string',
  ExtAttr: { items: { Type: 'int' } },
};

const party: Shape = { Id: 'int', ParentId: 'int', Order: 'int' };

const chat: Shape = { JoinScene: 'int', QuitScene: 'int', MemChangeCnt: 'int', MemChangeList: 'stringItems' };

// Tag ids are opaque strings ("et…"); StrategyId is an integer in the API but a placeholder text in the docs' samples.
const externalTag: Shape = { Id: 'string', StrategyId: 'intOrString' };

const approvalInfo: Shape = {
  SpNo: 'string',
  SpNoStr: 'string',
  SpStatus: 'int',
  ApplyTime: 'int',
  StatuChangeEvent: 'int',
  SpRecord: { list: { SpStatus: 'int', ApproverAttr: 'int', Details: { list: { SpStatus: 'int', SpTime: 'int' } } } },
  Notifyer: { list: {} },
  Comments: { list: { CommentTime: 'int', CommentId: 'string' } },
};

const shapes: Readonly<Record<string, Shape>> = {
  'wecom.external_chat.create': chat,
  'wecom.external_chat.update': chat,
  'wecom.external_chat.dismiss': chat,
  'wecom.external_tag.create': externalTag,
  'wecom.external_tag.update': externalTag,
  'wecom.external_tag.delete': externalTag,
  'wecom.external_tag.shuffle': externalTag,
  'wecom.contact.create_user': user,
  'wecom.contact.update_user': user,
  'wecom.contact.delete_user': user,
  'wecom.contact.create_party': party,
  'wecom.contact.update_party': party,
  'wecom.contact.delete_party': party,
  'wecom.contact.update_tag': {
    TagId: 'int',
    AddUserItems: 'stringCsv',
    DelUserItems: 'stringCsv',
    AddPartyItems: 'intCsv',
    DelPartyItems: 'intCsv',
  },
  'wecom.approval.change': { ApprovalInfo: { object: approvalInfo } },
};

export interface Classified {
  type: string;
  /** How to type the fields; undefined for wecom.unknown, whose fields are kept verbatim. */
  shape: Shape | undefined;
}

export function classify(fields: Record<string, unknown>): Classified {
  const msgType = text(fields.MsgType);
  if (msgType !== undefined && msgType !== 'event') return known(byMsgType[msgType] ?? 'wecom.message.other');

  const kind = msgType === 'event' ? text(fields.Event) : text(fields.InfoType);
  if (kind === undefined || kind === '') return { type: 'wecom.unknown', shape: undefined };

  const family = byChangeType[kind];
  if (family !== undefined) {
    const type = family[text(fields.ChangeType) ?? ''];
    if (type === undefined) return { type: 'wecom.unknown', shape: undefined };
    if (type === 'wecom.external_chat.update' && !chatUpdateDetails.includes(text(fields.UpdateDetail) ?? '')) {
      return { type: 'wecom.unknown', shape: undefined };
    }
    return known(type);
  }
  const single = byKind[kind];
  if (single !== undefined) return known(single);
  return msgType === 'event' ? known('wecom.app_event') : { type: 'wecom.unknown', shape: undefined };
}

function known(type: string): Classified {
  return { type, shape: { ...envelope, ...shapes[type] } };
}
