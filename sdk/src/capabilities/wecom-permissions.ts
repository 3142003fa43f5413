// The `wecom` capability's methods and the permission each needs: one permission per method, so an install grants
// exactly what a plugin does (sending welcomes is not reading contacts). The host and the test kit both read it.
export const wecomPermissions = {
  getExternalContact: 'wecom.external_contact.get',
  listExternalContacts: 'wecom.external_contact.list',
  remarkExternalContact: 'wecom.external_contact.remark',
  listCorpTags: 'wecom.corp_tag.list',
  addCorpTag: 'wecom.corp_tag.add',
  markTags: 'wecom.corp_tag.mark',
  sendWelcome: 'wecom.welcome.send',
  sendMassMessage: 'wecom.mass_message.send',
  listGroupChats: 'wecom.group_chat.list',
  getGroupChat: 'wecom.group_chat.get',
  addContactWay: 'wecom.contact_way.add',
  sendAppMessage: 'wecom.app_message.send',
  sendKfMessage: 'wecom.kf_message.send',
  getUser: 'wecom.user.get',
} as const;

export type WecomMethodName = keyof typeof wecomPermissions;

/** The methods that change something in WeCom: made once per workflow step, each taking an effect ordinal. */
export const wecomEffectMethods: ReadonlySet<WecomMethodName> = new Set([
  'remarkExternalContact', 'addCorpTag', 'markTags', 'sendWelcome', 'sendMassMessage', 'addContactWay', 'sendAppMessage', 'sendKfMessage',
]);
