// Customers (doc 92113 list, 92114 get, 92115 remark): externalcontact/get, externalcontact/list, externalcontact/remark.
import { fail, ok } from '../errors.ts';
import type { CorpStore } from '../world.ts';
import type { Customer, FollowUser } from '../world-types.ts';
import { chars, page, str, strList } from './params.ts';
import { corpRoute, type Route } from './route.ts';

/** follow_user entries per page: "当跟进人多于500人时返回" next_cursor. */
const followPage = 500;

export const contactRoutes: readonly Route[] = [
  corpRoute('GET', '/cgi-bin/externalcontact/get', (call) => {
    const id = call.query.external_userid;
    if (!id) return fail(41035);
    const customer = call.corp.customers.get(id);
    if (!customer) return fail(40096);
    // A customer every member has deleted is no longer the enterprise's customer.
    if (customer.follow.length === 0) return fail(84061);
    const { items, nextCursor } = page(customer.follow, call.query.cursor, followPage);
    return ok({
      external_contact: externalContactJson(customer),
      follow_user: items.map((f) => followUserJson(call.corp, f)),
      ...(nextCursor ? { next_cursor: nextCursor } : {}),
    });
  }),

  corpRoute('GET', '/cgi-bin/externalcontact/list', (call) => {
    const userid = call.query.userid;
    if (!userid) return fail(41009);
    if (!call.corp.staff.has(userid)) return fail(60111);
    const ids = [...call.corp.customers.values()].filter((c) => c.follow.some((f) => f.userid === userid)).map((c) => c.externalUserid);
    // WeCom answers a member without customers with 84061 ("not external contact"), not with an empty list.
    if (ids.length === 0) return fail(84061);
    return ok({ external_userid: ids });
  }),

  corpRoute('POST', '/cgi-bin/externalcontact/remark', (call) => {
    const userid = str(call.body.userid);
    if (userid === undefined) return fail(41009);
    const externalUserid = str(call.body.external_userid);
    if (externalUserid === undefined) return fail(41035);
    if (!call.corp.staff.has(userid)) return fail(60111);
    if (!call.corp.customers.has(externalUserid)) return fail(40096);
    const follow = call.corp.follow(externalUserid, userid);
    if (!follow) return fail(84061);
    const remark = typeof call.body.remark === 'string' ? call.body.remark : undefined;
    const description = typeof call.body.description === 'string' ? call.body.description : undefined;
    const company = typeof call.body.remark_company === 'string' ? call.body.remark_company : undefined;
    // Documented limits: remark and remark_company 20 characters, description 150.
    if ((remark !== undefined && chars(remark) > 20) || (company !== undefined && chars(company) > 20)) return fail(40058);
    if (description !== undefined && chars(description) > 150) return fail(40058);
    if (remark !== undefined) follow.remark = remark;
    if (description !== undefined) follow.description = description;
    if (company !== undefined) follow.remarkCorpName = company;
    // "如果填写了remark_mobiles，将会覆盖旧的备注手机号"; an empty list clears them.
    if (Array.isArray(call.body.remark_mobiles)) follow.remarkMobiles = strList(call.body.remark_mobiles);
    return ok();
  }, { mutates: true }),
];

export function externalContactJson(customer: Customer): Record<string, unknown> {
  return {
    external_userid: customer.externalUserid,
    name: customer.name,
    avatar: customer.avatar,
    type: customer.type,
    gender: customer.gender,
    ...(customer.unionid !== undefined ? { unionid: customer.unionid } : {}),
    ...(customer.type === 2 && customer.corpName !== undefined ? { corp_name: customer.corpName, corp_full_name: customer.corpName } : {}),
  };
}

export function followUserJson(corp: CorpStore, f: FollowUser): Record<string, unknown> {
  return {
    userid: f.userid,
    remark: f.remark,
    description: f.description,
    createtime: f.createtime,
    tags: f.tagIds.flatMap((id) => {
      const found = corp.tag(id);
      // A tag deleted since it was marked no longer shows.
      return found ? [{ group_name: found.group.groupName, tag_name: found.tag.name, type: 1, tag_id: id }] : [];
    }),
    remark_corp_name: f.remarkCorpName,
    remark_mobiles: f.remarkMobiles,
    add_way: f.addWay,
    oper_userid: f.operUserid,
    ...(f.state !== undefined && f.state !== '' ? { state: f.state } : {}),
  };
}
