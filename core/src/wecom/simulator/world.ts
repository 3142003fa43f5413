// One simulated enterprise's state: what the API handlers read and change, what tests seed and inspect.
import { createHash } from 'node:crypto';
import { chatId, configId, externalUserId, tagId } from './ids.ts';
import type {
  ContactWay, CorpTag, Customer, FollowUser, GroupChat, GroupMember, KfAccount, KfSession, MassSendTask, SentMessage, Staff,
  TagGroup, WelcomeCode,
} from './world-types.ts';

export interface StaffInput extends Partial<Omit<Staff, 'userid'>> {
  userid: string;
}

export interface FollowInput extends Partial<Omit<FollowUser, 'userid' | 'tagIds'>> {
  userid: string;
  /** Corp tag ids. */
  tags?: string[];
}

export interface CustomerInput extends Partial<Omit<Customer, 'follow'>> {
  name: string;
  follow?: FollowInput[];
}

export interface TagGroupInput {
  groupId?: string;
  groupName: string;
  order?: number;
  tags: { id?: string; name: string; order?: number }[];
}

export interface GroupChatInput extends Partial<Omit<GroupChat, 'members' | 'owner'>> {
  owner: string;
  /** Members by id; staff are recognised by being in the corp's staff, anyone else is an external contact. */
  members?: (string | (Partial<GroupMember> & { userid: string }))[];
}

export interface ContactWayInput extends Partial<Omit<ContactWay, 'users'>> {
  users: string[];
}

/** Everything a corp can be seeded with; ids are generated where omitted. */
export interface WorldSeed {
  staff?: StaffInput[];
  tagGroups?: TagGroupInput[];
  customers?: CustomerInput[];
  groupChats?: GroupChatInput[];
  contactWays?: ContactWayInput[];
  kfAccounts?: KfAccount[];
}

export interface CorpStore {
  corpId: string;
  corpName: string;
  staff: Map<string, Staff>;
  customers: Map<string, Customer>;
  tagGroups: TagGroup[];
  groupChats: Map<string, GroupChat>;
  contactWays: Map<string, ContactWay>;
  kfAccounts: Map<string, KfAccount>;
  /** Keyed `${openKfid}|${externalUserid}`. */
  kfSessions: Map<string, KfSession>;
  welcomeCodes: Map<string, WelcomeCode>;
  massSendTasks: MassSendTask[];
  /** Mass messages received, per external_userid or chat_id: simulator ms of each, for the receipt cap. */
  receipts: Map<string, number[]>;
  appMessages: SentMessage[];
  kfMessages: SentMessage[];
  welcomeMessages: SentMessage[];
  addStaff(input: StaffInput): Staff;
  addCustomer(input: CustomerInput): Customer;
  /** Adds or replaces one member's relation to a customer. */
  addFollow(customer: Customer, input: FollowInput): FollowUser;
  addTagGroup(input: TagGroupInput): TagGroup;
  addGroupChat(input: GroupChatInput): GroupChat;
  addContactWay(input: ContactWayInput): ContactWay;
  addKfAccount(input: KfAccount): KfAccount;
  /** A customer wrote to a kf account: opens (or reopens) the 48-hour window for 5 replies. */
  kfCustomerMessage(openKfid: string, externalUserid: string): KfSession;
  seed(seed: WorldSeed): void;
  tag(id: string): { group: TagGroup; tag: CorpTag } | undefined;
  tagGroup(id: string): TagGroup | undefined;
  follow(externalUserid: string, userid: string): FollowUser | undefined;
}

export function createCorpStore(corpId: string, clock: () => number, corpName = corpId): CorpStore {
  const seconds = () => Math.floor(clock() / 1000);
  const store: CorpStore = {
    corpId,
    corpName,
    staff: new Map(),
    customers: new Map(),
    tagGroups: [],
    groupChats: new Map(),
    contactWays: new Map(),
    kfAccounts: new Map(),
    kfSessions: new Map(),
    welcomeCodes: new Map(),
    massSendTasks: [],
    receipts: new Map(),
    appMessages: [],
    kfMessages: [],
    welcomeMessages: [],
    addStaff(input) {
      const staff: Staff = { name: input.userid, department: [1], position: '', mobile: '', status: 1, ...input };
      store.staff.set(staff.userid, staff);
      return staff;
    },
    addCustomer(input) {
      const { follow = [], ...rest } = input;
      const customer: Customer = { externalUserid: externalUserId(), type: 1, gender: 0, avatar: '', ...rest, follow: [] };
      store.customers.set(customer.externalUserid, customer);
      for (const f of follow) store.addFollow(customer, f);
      return customer;
    },
    addFollow(customer, input) {
      const { tags = [], ...rest } = input;
      const follow: FollowUser = {
        remark: '', description: '', createtime: seconds(), addWay: 0, operUserid: input.userid, remarkCorpName: '',
        remarkMobiles: [], deletedByCustomer: false, ...rest, tagIds: [...tags],
      };
      customer.follow = customer.follow.filter((f) => f.userid !== follow.userid).concat(follow);
      return follow;
    },
    addTagGroup(input) {
      const existing = input.groupId === undefined ? undefined : store.tagGroup(input.groupId);
      const group: TagGroup = existing ?? {
        groupId: input.groupId ?? tagId(), groupName: input.groupName, createTime: seconds(), order: input.order ?? 0, tags: [],
      };
      if (!existing) store.tagGroups.push(group);
      for (const t of input.tags) {
        group.tags.push({ id: t.id ?? tagId(), name: t.name, createTime: seconds(), order: t.order ?? 0, groupId: group.groupId });
      }
      return group;
    },
    addGroupChat(input) {
      const { members = [], ...rest } = input;
      const chat: GroupChat = {
        chatId: chatId(), name: '', createTime: seconds(), notice: '', admins: [], status: 0, ...rest, members: [],
      };
      const ids = members.map((m) => (typeof m === 'string' ? { userid: m } : m));
      // The owner is always a member, as in WeCom, even when the seed forgets it.
      if (!ids.some((m) => m.userid === chat.owner)) ids.unshift({ userid: chat.owner });
      for (const m of ids) {
        chat.members.push({
          type: store.staff.has(m.userid) ? 1 : 2, joinTime: chat.createTime, joinScene: 1, groupNickname: '', ...m,
        });
      }
      store.groupChats.set(chat.chatId, chat);
      return chat;
    },
    addContactWay(input) {
      const way: ContactWay = {
        configId: configId(), type: input.users.length > 1 ? 2 : 1, scene: 2, remark: '', skipVerify: true, state: '',
        party: [], ...input,
      };
      if (way.scene === 2 && way.qrCode === undefined) way.qrCode = `https://wework.qpic.cn/wwpic/simulator_${way.configId}/0`;
      store.contactWays.set(way.configId, way);
      return way;
    },
    addKfAccount(input) {
      store.kfAccounts.set(input.openKfid, { ...input });
      return input;
    },
    kfCustomerMessage(openKfid, externalUserid) {
      const session: KfSession = { openKfid, externalUserid, lastCustomerMessageAt: clock(), sentSince: 0 };
      store.kfSessions.set(`${openKfid}|${externalUserid}`, session);
      return session;
    },
    seed(seed) {
      for (const s of seed.staff ?? []) store.addStaff(s);
      for (const g of seed.tagGroups ?? []) store.addTagGroup(g);
      for (const c of seed.customers ?? []) store.addCustomer(c);
      for (const g of seed.groupChats ?? []) store.addGroupChat(g);
      for (const w of seed.contactWays ?? []) store.addContactWay(w);
      for (const k of seed.kfAccounts ?? []) store.addKfAccount(k);
    },
    tag(id) {
      for (const group of store.tagGroups) {
        const tag = group.tags.find((t) => t.id === id);
        if (tag) return { group, tag };
      }
      return undefined;
    },
    tagGroup(id) {
      return store.tagGroups.find((g) => g.groupId === id);
    },
    follow(externalUserid, userid) {
      return store.customers.get(externalUserid)?.follow.find((f) => f.userid === userid);
    },
  };
  return store;
}

/** A digest of a group's members: it changes exactly when members change, like WeCom's member_version and CurMemVer. */
export function memberVersion(chat: GroupChat): string {
  return createHash('md5').update(chat.members.map((m) => m.userid).sort().join('|')).digest('hex');
}
