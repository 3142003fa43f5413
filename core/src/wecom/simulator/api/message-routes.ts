// Messages and members: message/send (app message to staff, doc 90236), kf/send_msg (微信客服, doc 94677), user/get (doc 90196).
import { fail, ok } from '../errors.ts';
import { messageId } from '../ids.ts';
import { num, record, str } from './params.ts';
import { corpRoute, type Route } from './route.ts';

/** A kf account may answer within 48 h of the customer's last message, at most 5 times (errcodes 95002, 95001). */
const kfWindowMs = 48 * 3_600_000;
const kfMaxReplies = 5;

export const messageRoutes: readonly Route[] = [
  corpRoute('POST', '/cgi-bin/message/send', (call) => {
    const agentid = num(call.body.agentid);
    if (agentid === undefined) return fail(41011);
    // A token acts for one app only ("获取到的access_token只能本应用使用").
    if (call.token.app !== agentid) return fail(301002);
    const msgtype = str(call.body.msgtype);
    if (msgtype !== 'text') return fail(40008);
    const content = str(record(call.body.text)?.content);
    if (content === undefined) return fail(44004);
    const touser = str(call.body.touser) ?? '';
    const toparty = str(call.body.toparty) ?? '';
    const totag = str(call.body.totag) ?? '';
    const staff = [...call.corp.staff.values()];
    const recipients = new Set<string>();
    const invalidUser: string[] = [];
    const invalidParty: string[] = [];
    if (touser === '@all') {
      for (const s of staff) recipients.add(s.userid);
    } else {
      for (const id of split(touser)) {
        // "不合法的userid，不区分大小写，统一转为小写".
        const found = staff.find((s) => s.userid.toLowerCase() === id.toLowerCase());
        if (found) recipients.add(found.userid);
        else invalidUser.push(id.toLowerCase());
      }
      for (const id of split(toparty)) {
        const members = staff.filter((s) => s.department.includes(Number(id)));
        if (members.length === 0) invalidParty.push(id);
        for (const s of members) recipients.add(s.userid);
      }
    }
    // The simulator keeps no address-book tags, so every totag id is reported invalid.
    const invalidTag = touser === '@all' ? [] : split(totag);
    if (recipients.size === 0) return fail(81013);
    const msgid = messageId();
    call.corp.appMessages.push({ msgid, time: call.now, body: call.body, recipients: [...recipients] });
    return ok({
      invaliduser: invalidUser.join('|'), invalidparty: invalidParty.join('|'), invalidtag: invalidTag.join('|'),
      unlicenseduser: '', msgid,
    });
  }, { mutates: true }),

  corpRoute('POST', '/cgi-bin/kf/send_msg', (call) => {
    const touser = str(call.body.touser);
    if (touser === undefined) return fail(40096);
    const openKfid = str(call.body.open_kfid);
    if (openKfid === undefined || !call.corp.kfAccounts.has(openKfid)) return fail(95000);
    if (str(call.body.msgtype) !== 'text') return fail(40008);
    if (str(record(call.body.text)?.content) === undefined) return fail(44004);
    const session = call.corp.kfSessions.get(`${openKfid}|${touser}`);
    if (!session || call.now - session.lastCustomerMessageAt > kfWindowMs) return fail(95002);
    if (session.sentSince >= kfMaxReplies) return fail(95001);
    session.sentSince++;
    // "若指定则原样返回": a caller-chosen msgid comes back unchanged.
    const msgid = str(call.body.msgid) ?? messageId();
    call.corp.kfMessages.push({ msgid, time: call.now, body: call.body, recipients: [touser] });
    return ok({ msgid });
  }, { mutates: true }),

  corpRoute('GET', '/cgi-bin/user/get', (call) => {
    const userid = call.query.userid;
    if (!userid) return fail(41009);
    const staff = call.corp.staff.get(userid);
    if (!staff) return fail(60111);
    return ok({
      userid: staff.userid, name: staff.name, department: staff.department, order: staff.department.map(() => 0),
      position: staff.position, mobile: staff.mobile, gender: '0', email: '', is_leader_in_dept: staff.department.map(() => 0),
      avatar: '', thumb_avatar: '', telephone: '', alias: '', status: staff.status, main_department: staff.department[0] ?? 1,
    });
  }),
];

function split(list: string): string[] {
  return list.split('|').map((s) => s.trim()).filter((s) => s !== '');
}
