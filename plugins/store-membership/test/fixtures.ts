// A chain with two stores, and WeCom as the stubs answer it: WeCom's JSON without errcode/errmsg, and the host's
// failure codes for WeCom's errcodes (wecom.api_error with "errcode N" for those it has no code of its own for).
export const config = {
  stores: {
    '0755-01': {
      name: '深圳南山店',
      assistants: ['dg-nanshan-1', 'dg-nanshan-2'],
      groupChatId: 'wr-nanshan',
      invitation: { text: '欢迎加入南山店福利群，扫码入群领券', attachments: [{ msgtype: 'image', image: { pic_url: 'https://cdn.example.com/qr/nanshan.png' } }] },
      couponTemplateId: 'tpl-nanshan',
    },
    '0755-02': { assistants: ['dg-futian'], groupChatId: 'wr-futian', invitation: { text: '欢迎加入福田店群' } },
  },
  coupon: { url: 'https://api.coupons.example.com/v1/issue', token: 'secret-token', templateId: 'tpl-default' },
};

const apiError = (api: string, errcode: number, errmsg: string) => ({ code: 'wecom.api_error', message: `${api}: WeCom errcode ${errcode}: ${errmsg}`, retryable: false });

/** externalcontact/get follow_user per customer. */
const follows: Record<string, { userid: string; createtime: number }[]> = {
  'wm-a': [{ userid: 'other-store', createtime: 1_600_000_000 }, { userid: 'dg-nanshan-1', createtime: 1_700_000_200 }, { userid: 'dg-nanshan-2', createtime: 1_700_000_100 }],
  'wm-b': [{ userid: 'other-store', createtime: 1_600_000_000 }],
  'wm-member': [{ userid: 'dg-nanshan-1', createtime: 1_700_000_000 }],
  'wm-quota': [{ userid: 'dg-nanshan-1', createtime: 1_700_000_000 }],
  'wm-unreachable': [{ userid: 'dg-nanshan-1', createtime: 1_700_000_000 }],
};

export function wecomWorld() {
  const welcomes: unknown[] = [];
  const massMessages: { sender?: string; externalUserIds: string[]; text?: string; attachments?: unknown[] }[] = [];
  const usedCodes = new Set<string>();
  const stubs = {
    getExternalContact: ({ externalUserId }: { externalUserId: string }) => {
      if (externalUserId === 'wm-busy') throw { code: 'wecom.busy', message: '/cgi-bin/externalcontact/get: WeCom is busy (WeCom errcode -1: system busy)', retryable: true };
      if (externalUserId === 'wm-unknown') throw apiError('/cgi-bin/externalcontact/get', 40096, 'invalid external userid');
      const follow = follows[externalUserId];
      if (!follow) throw apiError('/cgi-bin/externalcontact/get', 84061, 'not external contact');
      return { external_contact: { external_userid: externalUserId, name: '顾客', type: 1 }, follow_user: follow.map((f) => ({ ...f, remark: '', tags: [] })) };
    },
    getGroupChat: ({ chatId }: { chatId: string }) => {
      if (chatId !== 'wr-nanshan' && chatId !== 'wr-futian') throw apiError('/cgi-bin/externalcontact/groupchat/get', 40050, 'chatid not found');
      return {
        group_chat: {
          chat_id: chatId, name: '福利群', owner: 'dg-nanshan-1',
          member_list: [{ userid: 'dg-nanshan-1', type: 1, join_time: 1_700_000_000 }, { userid: 'wm-member', type: 2, join_time: 1_700_000_500, unionid: 'u-member' }],
        },
      };
    },
    sendWelcome: (args: { welcomeCode: string }) => {
      if (usedCodes.has(args.welcomeCode)) throw { code: 'wecom.welcome_code_used', message: '/cgi-bin/externalcontact/send_welcome_msg: the welcome code was already used (WeCom errcode 41051)' };
      usedCodes.add(args.welcomeCode);
      welcomes.push(args);
      return {};
    },
    sendMassMessage: (args: { sender?: string; externalUserIds: string[] }) => {
      if (args.externalUserIds.includes('wm-quota')) throw { code: 'quota.exceeded', message: "customer wm-quota reached the tenant's contact quota (4 per month)", retryable: true };
      if (args.externalUserIds.includes('wm-unreachable')) return { fail_list: ['wm-unreachable'], msgid: 'msg-none' };
      // As WeCom: a sender who does not have the customer leaves no one to send to (41048).
      if (!args.externalUserIds.some((id) => follows[id]?.some((f) => f.userid === args.sender))) throw apiError('/cgi-bin/externalcontact/add_msg_template', 41048, 'no customers to send to');
      massMessages.push(args);
      return { fail_list: [], msgid: `msg-${massMessages.length}` };
    },
  };
  return { stubs, welcomes, massMessages };
}
