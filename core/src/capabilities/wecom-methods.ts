// The `wecom` capability's methods: the WeCom API each calls, and how its camelCase arguments become WeCom's request.
// Arguments arrive validated against schemas/capabilities/wecom.schema.json; permissions come from the SDK's table.
import { wecomEffectMethods, wecomPermissions, type WecomMethodName } from '../../../sdk/src/capabilities/wecom-permissions.ts';

export interface WecomMethod {
  api: string;
  method: 'GET' | 'POST';
  request(args: Record<string, any>, app: { agentId?: number }): { query?: Record<string, string>; body?: unknown };
}

const defined = <T extends Record<string, unknown>>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

const text = (content: string | undefined) => (content === undefined ? undefined : { content });

const apis: Record<WecomMethodName, WecomMethod> = {
  getExternalContact: {
    api: '/cgi-bin/externalcontact/get', method: 'GET',
    request: (a) => ({ query: { external_userid: a.externalUserId } }),
  },
  listExternalContacts: {
    api: '/cgi-bin/externalcontact/list', method: 'GET',
    request: (a) => ({ query: { userid: a.userId } }),
  },
  remarkExternalContact: {
    api: '/cgi-bin/externalcontact/remark', method: 'POST',
    request: (a) => ({ body: defined({ userid: a.userId, external_userid: a.externalUserId, remark: a.remark, description: a.description }) }),
  },
  listCorpTags: {
    api: '/cgi-bin/externalcontact/get_corp_tag_list', method: 'POST',
    request: (a) => ({ body: defined({ tag_id: a.tagIds, group_id: a.groupIds }) }),
  },
  addCorpTag: {
    api: '/cgi-bin/externalcontact/add_corp_tag', method: 'POST',
    request: (a) => ({ body: defined({ group_id: a.groupId, group_name: a.groupName, tag: a.tags }) }),
  },
  markTags: {
    api: '/cgi-bin/externalcontact/mark_tag', method: 'POST',
    request: (a) => ({ body: { userid: a.userId, external_userid: a.externalUserId, add_tag: a.add ?? [], remove_tag: a.remove ?? [] } }),
  },
  sendWelcome: {
    api: '/cgi-bin/externalcontact/send_welcome_msg', method: 'POST',
    request: (a) => ({ body: defined({ welcome_code: a.welcomeCode, text: text(a.text), attachments: a.attachments }) }),
  },
  sendMassMessage: {
    api: '/cgi-bin/externalcontact/add_msg_template', method: 'POST',
    request: (a) => ({ body: defined({ chat_type: 'single', external_userid: a.externalUserIds, sender: a.sender, text: text(a.text), attachments: a.attachments }) }),
  },
  listGroupChats: {
    api: '/cgi-bin/externalcontact/groupchat/list', method: 'POST',
    request: (a) => ({ body: defined({ status_filter: a.statusFilter, owner_filter: a.ownerUserIds ? { userid_list: a.ownerUserIds } : undefined, cursor: a.cursor, limit: a.limit }) }),
  },
  getGroupChat: {
    api: '/cgi-bin/externalcontact/groupchat/get', method: 'POST',
    request: (a) => ({ body: { chat_id: a.chatId, need_name: a.needName ? 1 : 0 } }),
  },
  addContactWay: {
    api: '/cgi-bin/externalcontact/add_contact_way', method: 'POST',
    request: (a) => ({ body: defined({ type: a.type, scene: a.scene, user: a.userIds, state: a.state, remark: a.remark, skip_verify: a.skipVerify }) }),
  },
  sendAppMessage: {
    api: '/cgi-bin/message/send', method: 'POST',
    request: (a, app) => ({ body: { touser: (a.toUserIds as string[]).join('|'), msgtype: 'text', agentid: app.agentId, text: { content: a.text } } }),
  },
  sendKfMessage: {
    api: '/cgi-bin/kf/send_msg', method: 'POST',
    request: (a) => ({ body: { touser: a.toUser, open_kfid: a.openKfId, msgtype: 'text', text: { content: a.text } } }),
  },
  getUser: {
    api: '/cgi-bin/user/get', method: 'GET',
    request: (a) => ({ query: { userid: a.userId } }),
  },
};

export interface WecomMethodSpec extends WecomMethod {
  permission: string;
  /** Changes something in WeCom: made once per workflow step through the effects ledger. */
  effect: boolean;
}

/** Every method with its permission and whether it is an effect. */
export const wecomMethods: Record<WecomMethodName, WecomMethodSpec> = Object.fromEntries(
  Object.entries(apis).map(([name, spec]) => [name, { ...spec, permission: wecomPermissions[name as WecomMethodName], effect: wecomEffectMethods.has(name as WecomMethodName) }]),
) as Record<WecomMethodName, WecomMethodSpec>;
