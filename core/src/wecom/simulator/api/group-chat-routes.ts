// Customer groups (doc 92120 list, 92122 get): externalcontact/groupchat/list and externalcontact/groupchat/get.
import { fail, ok } from '../errors.ts';
import { memberVersion, type CorpStore } from '../world.ts';
import type { GroupChat } from '../world-types.ts';
import { num, page, record, str, strList } from './params.ts';
import { corpRoute, type Route } from './route.ts';

export const groupChatRoutes: readonly Route[] = [
  corpRoute('POST', '/cgi-bin/externalcontact/groupchat/list', (call) => {
    // limit is required, 1 to 1000.
    const limit = num(call.body.limit);
    if (limit === undefined || limit < 1 || limit > 1000) return fail(40058);
    const status = num(call.body.status_filter) ?? 0;
    const owners = strList(record(call.body.owner_filter)?.userid_list);
    if (owners.length > 100) return fail(40058);
    const chats = [...call.corp.groupChats.values()].filter((c) =>
      (owners.length === 0 || owners.includes(c.owner)) && (status === 0 || c.status === status));
    const { items, nextCursor } = page(chats, call.body.cursor, limit);
    return ok({ group_chat_list: items.map((c) => ({ chat_id: c.chatId, status: c.status })), next_cursor: nextCursor });
  }),

  corpRoute('POST', '/cgi-bin/externalcontact/groupchat/get', (call) => {
    const id = str(call.body.chat_id);
    if (id === undefined) return fail(40058);
    const chat = call.corp.groupChats.get(id);
    if (!chat) return fail(40050);
    return ok({ group_chat: groupChatJson(call.corp, chat, num(call.body.need_name) === 1) });
  }),
];

function groupChatJson(corp: CorpStore, chat: GroupChat, needName: boolean): Record<string, unknown> {
  return {
    chat_id: chat.chatId,
    name: chat.name,
    owner: chat.owner,
    create_time: chat.createTime,
    notice: chat.notice,
    member_list: chat.members.map((m) => ({
      userid: m.userid,
      type: m.type,
      ...(m.type === 2 && corp.customers.get(m.userid)?.unionid !== undefined ? { unionid: corp.customers.get(m.userid)!.unionid } : {}),
      join_time: m.joinTime,
      join_scene: m.joinScene,
      ...(m.invitor !== undefined ? { invitor: { userid: m.invitor } } : {}),
      group_nickname: m.groupNickname,
      ...(needName ? { name: memberName(corp, m.userid) } : {}),
    })),
    admin_list: chat.admins.map((userid) => ({ userid })),
    member_version: memberVersion(chat),
  };
}

function memberName(corp: CorpStore, userid: string): string {
  return corp.staff.get(userid)?.name ?? corp.customers.get(userid)?.name ?? '';
}
