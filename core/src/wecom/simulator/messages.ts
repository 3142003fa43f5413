// The simulator's plaintext messages: WeCom's XML for the events it emits, before signing and encryption.
//
// Customer-contact events come in two forms (REFERENCE.md §3): the app form (ToUserName, FromUserName "sys", CreateTime,
// MsgType "event", Event) that self-built and 代开发 apps receive, and the suite form (SuiteId, AuthCorpId, InfoType, TimeStamp)
// pushed to a third-party suite's 指令回调 URL. Setting `suiteId` on a message picks the suite form.

/** The sender and form of an event: the corp it is about, and the suite when it goes to a suite's 指令回调 URL. */
export interface EventSource {
  corpId: string;
  /** Unix seconds. */
  createTime: number;
  suiteId?: string;
}

export interface ContactAdded extends EventSource {
  userId: string;
  externalUserId: string;
  /** The channel code's `state`, when the customer came through one. */
  state?: string;
  welcomeCode?: string;
}

/** `change_external_contact` / `add_external_contact`: a customer added a staff member (REFERENCE.md §3.1). */
export function contactAddedXml(m: ContactAdded): string {
  return head(m, 'change_external_contact') +
    `<ChangeType><![CDATA[add_external_contact]]></ChangeType>${field('UserID', m.userId)}${field('ExternalUserID', m.externalUserId)}` +
    optional('State', m.state) + optional('WelcomeCode', m.welcomeCode) + '</xml>';
}

export interface ContactRemoved extends EventSource {
  userId: string;
  externalUserId: string;
  /** del_external_contact only: `DELETE_BY_TRANSFER` when 在职继承 moved the customer away. */
  source?: string;
}

/** `del_external_contact`: the staff member deleted the customer (REFERENCE.md §3.1). */
export function contactDeletedXml(m: ContactRemoved): string {
  return head(m, 'change_external_contact') +
    `<ChangeType><![CDATA[del_external_contact]]></ChangeType>${field('UserID', m.userId)}${field('ExternalUserID', m.externalUserId)}` +
    optional('Source', m.source) + '</xml>';
}

/** `del_follow_user`: the customer deleted the staff member, WeCom's churn signal (REFERENCE.md §3.1). */
export function followUserDeletedXml(m: ContactRemoved): string {
  return head(m, 'change_external_contact') +
    `<ChangeType><![CDATA[del_follow_user]]></ChangeType>${field('UserID', m.userId)}${field('ExternalUserID', m.externalUserId)}</xml>`;
}

export interface ChatMembersChanged extends EventSource {
  chatId: string;
  detail: 'add_member' | 'del_member';
  /** add_member: 0 invited directly, 1 invite link, 3 scanned the group QR code. */
  joinScene?: number;
  /** del_member: 0 left, 1 removed by the owner or an admin. */
  quitScene?: number;
  members: string[];
  lastMemVer: string;
  curMemVer: string;
}

/** `change_external_chat` / `update` with a member change, as the official 92130 sample (REFERENCE.md §3.2). */
export function chatMembersChangedXml(m: ChatMembersChanged): string {
  return head(m, 'change_external_chat') + field('ChatId', m.chatId) + '<ChangeType><![CDATA[update]]></ChangeType>' +
    field('UpdateDetail', m.detail) +
    (m.detail === 'add_member' ? `<JoinScene>${m.joinScene ?? 0}</JoinScene>` : `<QuitScene>${m.quitScene ?? 0}</QuitScene>`) +
    `<MemChangeCnt>${m.members.length}</MemChangeCnt>` +
    `<MemChangeList>${m.members.map((id) => `<Item>${cdata(id)}</Item>`).join('')}</MemChangeList>` +
    `<LastMemVer>${m.lastMemVer}</LastMemVer><CurMemVer>${m.curMemVer}</CurMemVer></xml>`;
}

/** `suite_ticket` to the suite's 指令回调 URL (REFERENCE.md §3.8). */
export function suiteTicketXml(m: { suiteId: string; ticket: string; timeStamp: number }): string {
  return `<xml>${field('SuiteId', m.suiteId)}<InfoType><![CDATA[suite_ticket]]></InfoType><TimeStamp>${m.timeStamp}</TimeStamp>` +
    `${field('SuiteTicket', m.ticket)}</xml>`;
}

/** `create_auth`: an install from the app market finished; the AuthCode goes to get_permanent_code (REFERENCE.md §3.8). */
export function createAuthXml(m: { suiteId: string; authCode: string; timeStamp: number; state?: string }): string {
  return `<xml>${field('SuiteId', m.suiteId)}${field('AuthCode', m.authCode)}<InfoType><![CDATA[create_auth]]></InfoType>` +
    `<TimeStamp>${m.timeStamp}</TimeStamp>${optional('State', m.state)}</xml>`;
}

export function cancelAuthXml(m: { suiteId: string; corpId: string; timeStamp: number }): string {
  return `<xml>${field('SuiteId', m.suiteId)}<InfoType><![CDATA[cancel_auth]]></InfoType><TimeStamp>${m.timeStamp}</TimeStamp>${field('AuthCorpId', m.corpId)}</xml>`;
}

function head(m: EventSource, kind: string): string {
  if (m.suiteId !== undefined) {
    return `<xml>${field('SuiteId', m.suiteId)}${field('AuthCorpId', m.corpId)}${field('InfoType', kind)}<TimeStamp>${m.createTime}</TimeStamp>`;
  }
  return `<xml>${field('ToUserName', m.corpId)}<FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${m.createTime}</CreateTime>` +
    `<MsgType><![CDATA[event]]></MsgType>${field('Event', kind)}`;
}

function field(tag: string, value: string): string {
  return `<${tag}>${cdata(value)}</${tag}>`;
}

function optional(tag: string, value: string | undefined): string {
  return value === undefined ? '' : field(tag, value);
}

/** A CDATA section holding any text: a `]]>` inside is split across two sections. */
function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
