// POST /cgi-bin/externalcontact/add_contact_way (doc 92228, REFERENCE.md §4.3): 「联系我」 channel codes with a `state`.
import { fail, ok } from '../errors.ts';
import { chars, num, strList } from './params.ts';
import { corpRoute, type Route } from './route.ts';

/** `state` and `remark` are "不超过30个字符"; the state comes back in add_external_contact and follow_user.state. */
const maxChars = 30;
/** Temporary-session QR codes live at most 14 days. */
const maxTempSeconds = 14 * 86_400;

export const contactWayRoutes: readonly Route[] = [
  corpRoute('POST', '/cgi-bin/externalcontact/add_contact_way', (call) => {
    const type = num(call.body.type);
    if (type === undefined) return fail(41037);
    if (type !== 1 && type !== 2) return fail(41039);
    const scene = num(call.body.scene);
    if (scene === undefined) return fail(41038);
    if (scene !== 1 && scene !== 2) return fail(41040);
    const state = typeof call.body.state === 'string' ? call.body.state : '';
    const remark = typeof call.body.remark === 'string' ? call.body.remark : '';
    if (chars(state) > maxChars || chars(remark) > maxChars) return fail(40058);
    const users = strList(call.body.user);
    const party = Array.isArray(call.body.party) ? call.body.party.flatMap((p) => num(p) ?? []) : [];
    // Single: exactly one member. Several: members and/or departments (party only counts for type 2), at most 100 members.
    if (type === 1 ? users.length === 0 : users.length === 0 && party.length === 0) return fail(41009);
    if ((type === 1 && users.length > 1) || users.length > 100) return fail(41041);
    if (users.some((u) => !call.corp.staff.has(u))) return fail(40031);
    const isTemp = call.body.is_temp === true;
    if (isTemp && (num(call.body.expires_in) ?? 0) > maxTempSeconds) return fail(40058);
    const way = call.corp.addContactWay({
      type, scene, state, remark, users, party: type === 2 ? party : [],
      skipVerify: call.body.skip_verify !== false,
    });
    return ok({ config_id: way.configId, ...(way.qrCode !== undefined ? { qr_code: way.qrCode } : {}) });
  }, { mutates: true }),
];
