// World operations that happen in WeChat, not through the API, and make WeCom push a callback to the host.
//
// Each changes the world first and then delivers the event, as WeCom's state is already updated when the callback arrives
// (hosts re-fetch details on a callback). Events go to every app callback of the corp in the app form, and to the 指令回调
// URL of every suite the corp authorised, in the suite form (doc 92277).
import { deliver, type Delivery } from './delivery.ts';
import { externalUserId as newExternalUserId, secretString } from './ids.ts';
import {
  chatMembersChangedXml, contactAddedXml, contactDeletedXml, followUserDeletedXml, type EventSource,
} from './messages.ts';
import type { CorpRuntime, SimState } from './state.ts';
import { memberVersion } from './world.ts';

export interface EmitResult {
  /** The event in the app form (what a self-built app receives). */
  xml: string;
  /** One per callback URL, with the host's HTTP status. */
  deliveries: Delivery[];
}

export interface CustomerAddsStaffInput {
  /** The channel code the customer scanned: its `state` goes into State, its member is the one added. */
  configId?: string;
  /** The member added; defaults to the channel code's first member. Required without a channel code. */
  userId?: string;
  /** An existing customer; a new WeChat customer is created otherwise. */
  externalUserId?: string;
  name?: string;
  /** The State to report when there is no channel code. */
  state?: string;
  /** false: no WelcomeCode, as when the customer already chatted or a native welcome message is configured. */
  welcomeCode?: boolean;
}

export interface ContactAddedResult extends EmitResult {
  externalUserId: string;
  welcomeCode?: string;
}

export interface CustomerJoinsGroupInput {
  chatId: string;
  /** A customer of the corp, or any external user; a new id is made when omitted. */
  externalUserId?: string;
  /** How they joined: direct invitation, invite link, or the group QR code (default). */
  joinScene?: 'invite' | 'link' | 'qrcode';
  invitor?: string;
}

export interface RelationInput {
  userId: string;
  externalUserId: string;
}

export interface WorldEvents {
  /** add_external_contact: a customer adds a member, usually by scanning a channel code; the WelcomeCode is valid 20 s. */
  customerAddsStaff(input: CustomerAddsStaffInput): Promise<ContactAddedResult>;
  /** change_external_chat update/add_member: an external user joins a customer group. */
  customerJoinsGroup(input: CustomerJoinsGroupInput): Promise<EmitResult & { externalUserId: string }>;
  /** del_external_contact: the member deletes the customer. */
  staffDeletesCustomer(input: RelationInput): Promise<EmitResult>;
  /** del_follow_user: the customer deletes the member. */
  customerDeletesStaff(input: RelationInput): Promise<EmitResult>;
}

// groupchat/get join_scene (1 direct, 2 link, 3 QR code) and the callback's JoinScene (0 direct, 1 link, 3 QR code) differ.
const joinScenes = { invite: { member: 1, event: 0 }, link: { member: 2, event: 1 }, qrcode: { member: 3, event: 3 } } as const;

export function createWorldEvents(state: SimState, corp: CorpRuntime): WorldEvents {
  const store = corp.store;
  const source = (suiteId?: string): EventSource => ({
    corpId: corp.corpId, createTime: Math.floor(state.clock() / 1000), ...(suiteId !== undefined ? { suiteId } : {}),
  });

  async function emit(kind: string, build: (from: EventSource) => string): Promise<EmitResult> {
    const timestamp = Math.floor(state.clock() / 1000);
    const xml = build(source());
    const sends = corp.callbacks.map((target) => deliver(target, corp.corpId, xml, timestamp, state.delivery));
    for (const suite of state.suites.values()) {
      const target = suite.config.callback;
      if (target && suite.authorizations.has(corp.corpId)) {
        sends.push(deliver(target, suite.config.suiteId, build(source(suite.config.suiteId)), timestamp, state.delivery));
      }
    }
    const deliveries = await Promise.all(sends);
    state.sent.push({ kind, corpId: corp.corpId, time: state.clock(), deliveries });
    return { xml, deliveries };
  }

  function relation(input: RelationInput) {
    const follow = store.follow(input.externalUserId, input.userId);
    if (!follow) throw new Error(`${input.userId} has no customer ${input.externalUserId}`);
    return follow;
  }

  return {
    async customerAddsStaff(input) {
      const way = input.configId === undefined ? undefined : store.contactWays.get(input.configId);
      if (input.configId !== undefined && !way) throw new Error(`no contact way ${input.configId}`);
      const userId = input.userId ?? way?.users[0];
      if (userId === undefined || !store.staff.has(userId)) throw new Error(`no staff member ${userId ?? '(none given)'}`);
      if (way && !way.users.includes(userId)) throw new Error(`${userId} is not on contact way ${way.configId}`);
      const externalUserId = input.externalUserId ?? newExternalUserId();
      const customer = store.customers.get(externalUserId) ??
        store.addCustomer({ externalUserid: externalUserId, name: input.name ?? `客户${externalUserId.slice(-4)}` });
      const channelState = way ? (way.state === '' ? undefined : way.state) : input.state;
      // add_way 1: scanned a QR code; the customer started it, so oper_userid is the customer.
      store.addFollow(customer, {
        userid: userId, addWay: way ? 1 : 0, operUserid: externalUserId, ...(channelState !== undefined ? { state: channelState } : {}),
      });
      let welcomeCode: string | undefined;
      if (input.welcomeCode !== false) {
        welcomeCode = secretString();
        store.welcomeCodes.set(welcomeCode, { code: welcomeCode, userid: userId, externalUserid: externalUserId, issuedAt: state.clock() });
      }
      const result = await emit('change_external_contact/add_external_contact', (from) => contactAddedXml({
        ...from, userId, externalUserId, ...(channelState !== undefined ? { state: channelState } : {}), ...(welcomeCode !== undefined ? { welcomeCode } : {}),
      }));
      return { ...result, externalUserId, ...(welcomeCode !== undefined ? { welcomeCode } : {}) };
    },

    async customerJoinsGroup(input) {
      const chat = store.groupChats.get(input.chatId);
      if (!chat) throw new Error(`no group chat ${input.chatId}`);
      const externalUserId = input.externalUserId ?? newExternalUserId();
      if (chat.members.some((m) => m.userid === externalUserId)) throw new Error(`${externalUserId} is already in ${chat.chatId}`);
      const scene = joinScenes[input.joinScene ?? 'qrcode'];
      const lastMemVer = memberVersion(chat);
      chat.members.push({
        userid: externalUserId, type: 2, joinTime: Math.floor(state.clock() / 1000), joinScene: scene.member, groupNickname: '',
        ...(input.invitor !== undefined ? { invitor: input.invitor } : {}),
      });
      const curMemVer = memberVersion(chat);
      const result = await emit('change_external_chat/update/add_member', (from) => chatMembersChangedXml({
        ...from, chatId: chat.chatId, detail: 'add_member', joinScene: scene.event, members: [externalUserId], lastMemVer, curMemVer,
      }));
      return { ...result, externalUserId };
    },

    async staffDeletesCustomer(input) {
      relation(input);
      const customer = store.customers.get(input.externalUserId)!;
      customer.follow = customer.follow.filter((f) => f.userid !== input.userId);
      return emit('change_external_contact/del_external_contact', (from) => contactDeletedXml({ ...from, ...input }));
    },

    async customerDeletesStaff(input) {
      relation(input).deletedByCustomer = true;
      return emit('change_external_contact/del_follow_user', (from) => followUserDeletedXml({ ...from, ...input }));
    },
  };
}
