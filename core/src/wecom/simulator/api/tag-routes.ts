// Corp customer tags (doc 92117 tag library, 92118 mark_tag): get_corp_tag_list, add_corp_tag, mark_tag.
import { fail, ok } from '../errors.ts';
import type { CorpTag, TagGroup } from '../world-types.ts';
import { chars, num, record, str, strList } from './params.ts';
import { corpRoute, type Route } from './route.ts';

export const tagRoutes: readonly Route[] = [
  corpRoute('POST', '/cgi-bin/externalcontact/get_corp_tag_list', (call) => {
    const tagIds = strList(call.body.tag_id);
    const groupIds = strList(call.body.group_id);
    const everything = tagIds.length === 0 && groupIds.length === 0;
    const groups = [...call.corp.tagGroups].sort((a, b) => b.order - a.order).flatMap((group) => {
      if (everything || groupIds.includes(group.groupId)) return [groupJson(group, group.tags)];
      const tags = group.tags.filter((t) => tagIds.includes(t.id));
      return tags.length > 0 ? [groupJson(group, tags)] : [];
    });
    return ok({ tag_group: groups });
  }),

  corpRoute('POST', '/cgi-bin/externalcontact/add_corp_tag', (call) => {
    const inputs = Array.isArray(call.body.tag) ? call.body.tag.map(record) : [];
    if (inputs.length === 0) return fail(41018);
    const names: string[] = [];
    for (const input of inputs) {
      const name = str(input?.name);
      // Tag and group names are at most 30 characters.
      if (name === undefined || chars(name) > 30) return fail(40072);
      if (names.includes(name)) return fail(40071);
      names.push(name);
    }
    const groupId = str(call.body.group_id);
    const groupName = str(call.body.group_name);
    let group: TagGroup | undefined;
    if (groupId !== undefined) {
      group = call.corp.tagGroup(groupId);
      if (!group) return fail(40068);
    } else {
      if (groupName === undefined) return fail(40063);
      if (chars(groupName) > 30) return fail(40072);
      // "如果填写的groupname已经存在，则会在此标签组下新建标签".
      group = call.corp.tagGroups.find((g) => g.groupName === groupName);
    }
    const existing = group;
    if (existing && names.some((name) => existing.tags.some((t) => t.name === name))) return fail(40071);
    const before = existing?.tags.length ?? 0;
    const target = call.corp.addTagGroup({
      ...(group ? { groupId: group.groupId } : {}),
      groupName: group?.groupName ?? groupName ?? '',
      order: num(call.body.order) ?? 0,
      tags: inputs.map((input, i) => ({ name: names[i]!, order: num(input?.order) ?? 0 })),
    });
    return ok({ tag_group: groupJson(target, target.tags.slice(before)) });
  }, { mutates: true }),

  corpRoute('POST', '/cgi-bin/externalcontact/mark_tag', (call) => {
    const userid = str(call.body.userid);
    if (userid === undefined) return fail(41009);
    const externalUserid = str(call.body.external_userid);
    if (externalUserid === undefined) return fail(41035);
    const add = strList(call.body.add_tag);
    const remove = strList(call.body.remove_tag);
    // "add_tag和remove_tag不可同时为空".
    if (add.length === 0 && remove.length === 0) return fail(41017);
    if (!call.corp.staff.has(userid)) return fail(60111);
    if (!call.corp.customers.has(externalUserid)) return fail(40096);
    const follow = call.corp.follow(externalUserid, userid);
    if (!follow) return fail(84061);
    if ([...add, ...remove].some((id) => !call.corp.tag(id))) return fail(40068);
    follow.tagIds = follow.tagIds.filter((id) => !remove.includes(id));
    for (const id of add) if (!follow.tagIds.includes(id)) follow.tagIds.push(id);
    return ok();
  }, { mutates: true }),
];

function groupJson(group: TagGroup, tags: readonly CorpTag[]): Record<string, unknown> {
  // "order值大的排序靠前": larger order first.
  const sorted = [...tags].sort((a, b) => b.order - a.order);
  return {
    group_id: group.groupId,
    group_name: group.groupName,
    create_time: group.createTime,
    order: group.order,
    tag: sorted.map((t) => ({ id: t.id, name: t.name, create_time: t.createTime, order: t.order })),
  };
}
