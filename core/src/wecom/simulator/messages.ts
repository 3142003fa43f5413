// The simulator's plaintext messages: WeCom's XML for the events it emits, before signing and encryption.

export interface ContactAdded {
  corpId: string;
  userId: string;
  externalUserId: string;
  /** Unix seconds. */
  createTime: number;
  /** The channel code's `state`, when the customer came through one. */
  state?: string;
  welcomeCode?: string;
}

/** `change_external_contact` / `add_external_contact`: a customer added a staff member (REFERENCE.md §3.1). */
export function contactAddedXml(m: ContactAdded): string {
  return `<xml><ToUserName><![CDATA[${m.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
    `<CreateTime>${m.createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event>` +
    `<ChangeType><![CDATA[add_external_contact]]></ChangeType><UserID><![CDATA[${m.userId}]]></UserID>` +
    `<ExternalUserID><![CDATA[${m.externalUserId}]]></ExternalUserID>` +
    (m.state === undefined ? '' : `<State><![CDATA[${m.state}]]></State>`) +
    (m.welcomeCode === undefined ? '' : `<WelcomeCode><![CDATA[${m.welcomeCode}]]></WelcomeCode>`) +
    '</xml>';
}
