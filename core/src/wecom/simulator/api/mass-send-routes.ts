// Enterprise mass send (doc 92135): add_msg_template creates the task, get_groupmsg_send_result reports per recipient.
//
// How WeCom reports the receipt cap: add_msg_template still succeeds and the capped customer is NOT in `fail_list` (that list
// is for invalid or unreachable external_userids). The task simply does not reach them, and get_groupmsg_send_result shows
// `status: 3` — "因客户已经收到其他群发消息导致发送失败" (failed because the customer already received other mass messages).
// A customer who deleted the sender shows `status: 2` (not a friend). The simulator mirrors exactly that.
//
// Simplification: in WeCom the member must confirm the task in the client before anything is sent (status 0 until then).
// The simulator treats the task as confirmed when it is created, so tests see delivery outcomes at once.
import { fail, ok } from '../errors.ts';
import { massMsgId } from '../ids.ts';
import { receivedInPeriod } from '../send-caps.ts';
import type { SimState } from '../state.ts';
import type { CorpStore } from '../world.ts';
import type { FollowUser, MassSendResult, MassSendStatus } from '../world-types.ts';
import { num, page, record, str, strList } from './params.ts';
import { corpRoute, type Route } from './route.ts';

export const massSendRoutes: readonly Route[] = [
  corpRoute('POST', '/cgi-bin/externalcontact/add_msg_template', (call) => {
    const chatType = str(call.body.chat_type) ?? 'single';
    if (chatType !== 'single' && chatType !== 'group') return fail(40058);
    const attachments = Array.isArray(call.body.attachments) ? call.body.attachments : [];
    if (attachments.length > 9) return fail(41064);
    if (str(record(call.body.text)?.content) === undefined && attachments.length === 0) return fail(44004);
    const sender = str(call.body.sender);
    if (sender !== undefined && !call.corp.staff.has(sender)) return fail(60111);
    const failList: string[] = [];
    const results: MassSendResult[] = [];
    const deliver = (key: string, userid: string, reachable: boolean) => {
      results.push(receive(call.state, call.corp, key, userid, reachable, call.now, chatType));
    };
    if (chatType === 'single') {
      const ids = strList(call.body.external_userid);
      // "不可与sender同时为空"; at most 10,000 customers per task.
      if ((ids.length === 0 && sender === undefined) || ids.length > 10_000) return fail(40058);
      const targets = ids.length > 0 ? ids : customersOf(call.corp, sender!);
      const groups = tagGroups(call.body.tag_filter);
      for (const id of targets) {
        const customer = call.corp.customers.get(id);
        const follows = customer?.follow.filter((f) => sender === undefined || f.userid === sender) ?? [];
        // Without a sender, "仅会推送给最后跟客户进行聊天互动的企业成员": the simulator takes the most recent follower.
        const follow = follows.sort((a, b) => b.createtime - a.createtime)[0];
        if (!follow) {
          failList.push(id);
          continue;
        }
        if (!matchesTags(follow, groups)) continue;
        deliver(id, follow.userid, !follow.deletedByCustomer);
      }
    } else {
      if (sender === undefined) return fail(41009);
      const ids = strList(call.body.chat_id_list);
      const chats = ids.length > 0 ? ids : [...call.corp.groupChats.values()].filter((c) => c.owner === sender).map((c) => c.chatId);
      for (const id of chats) {
        const chat = call.corp.groupChats.get(id);
        if (!chat || chat.owner !== sender) failList.push(id);
        else deliver(id, sender, true);
      }
    }
    if (results.length === 0) return fail(41048);
    const msgid = massMsgId();
    call.corp.massSendTasks.push({
      msgid, chatType, ...(sender !== undefined ? { sender } : {}), body: call.body, createdAt: call.now, failList, results,
    });
    return ok({ fail_list: failList, msgid });
  }, { mutates: true }),

  corpRoute('POST', '/cgi-bin/externalcontact/get_groupmsg_send_result', (call) => {
    const msgid = str(call.body.msgid);
    if (msgid === undefined) return fail(41046);
    const task = call.corp.massSendTasks.find((t) => t.msgid === msgid);
    if (!task) return fail(41047);
    const userid = str(call.body.userid);
    if (userid === undefined) return fail(41009);
    // "最大值1000，默认值500，超过最大值时取默认值".
    const asked = num(call.body.limit) ?? 500;
    const limit = asked > 0 && asked <= 1000 ? asked : 500;
    const { items, nextCursor } = page(task.results.filter((r) => r.userid === userid), call.body.cursor, limit);
    return ok({
      next_cursor: nextCursor,
      send_list: items.map((r) => ({
        ...(r.externalUserid !== undefined ? { external_userid: r.externalUserid } : {}),
        ...(r.chatId !== undefined ? { chat_id: r.chatId } : {}),
        userid: r.userid,
        status: r.status,
        ...(r.sendTime !== undefined ? { send_time: r.sendTime } : {}),
      })),
    });
  }),
];

/** One recipient's outcome, counting the receipt against its cap when it is delivered. */
function receive(
  state: SimState, corp: CorpStore, key: string, userid: string, reachable: boolean, now: number, chatType: string,
): MassSendResult {
  const receipts = corp.receipts.get(key) ?? [];
  let status: MassSendStatus = 2;
  if (reachable) status = receivedInPeriod(state.sendCap, receipts, now) >= state.sendCap.max(now) ? 3 : 1;
  if (status === 1) corp.receipts.set(key, [...receipts, now]);
  return {
    ...(chatType === 'single' ? { externalUserid: key } : { chatId: key }),
    userid,
    status,
    ...(status === 1 ? { sendTime: Math.floor(now / 1000) } : {}),
  };
}

function customersOf(corp: CorpStore, userid: string): string[] {
  return [...corp.customers.values()].filter((c) => c.follow.some((f) => f.userid === userid)).map((c) => c.externalUserid);
}

/** tag_filter.group_list[].tag_list[]: a customer must carry one tag of every group (OR within a group, AND across). */
function tagGroups(filter: unknown): string[][] {
  const list = record(filter)?.group_list;
  if (!Array.isArray(list)) return [];
  return list.map((g) => strList(record(g)?.tag_list)).filter((tags) => tags.length > 0);
}

function matchesTags(follow: FollowUser, groups: readonly string[][]): boolean {
  return groups.every((tags) => tags.some((id) => follow.tagIds.includes(id)));
}
