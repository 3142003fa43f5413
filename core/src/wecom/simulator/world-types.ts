// The records of one simulated enterprise: staff, customers, corp tags, customer groups, channel codes, WeChat customer service.
// Times are Unix seconds where WeCom reports seconds (createtime, join_time) and simulator milliseconds elsewhere.

export interface Staff {
  userid: string;
  name: string;
  department: number[];
  position: string;
  mobile: string;
  /** 1 active, 2 disabled, 4 not yet activated, 5 left (user/get `status`). */
  status: number;
}

/** One staff member's relation to a customer (externalcontact/get `follow_user[]`). */
export interface FollowUser {
  userid: string;
  remark: string;
  description: string;
  /** Unix seconds when the member added the customer. */
  createtime: number;
  /** Corp tag ids; externalcontact/get expands them into group and tag names. */
  tagIds: string[];
  /** The channel code's `state` when the customer came through one. */
  state?: string;
  /** 来源定义: 0 unknown, 1 scanned a QR code, 2 searched a phone number, … */
  addWay: number;
  operUserid: string;
  remarkCorpName: string;
  remarkMobiles: string[];
  /**
   * The customer deleted this member (del_follow_user). WeCom keeps the relation on the member's side, so the customer is
   * still listed, but mass sends to them fail with status 2 (not a friend).
   */
  deletedByCustomer: boolean;
}

export interface Customer {
  externalUserid: string;
  name: string;
  /** 1 WeChat user, 2 WeCom user. */
  type: 1 | 2;
  /** 0 unknown, 1 male, 2 female. */
  gender: number;
  avatar: string;
  unionid?: string;
  /** For WeCom users only. */
  corpName?: string;
  follow: FollowUser[];
}

export interface CorpTag {
  id: string;
  name: string;
  /** Unix seconds. */
  createTime: number;
  order: number;
  groupId: string;
}

export interface TagGroup {
  groupId: string;
  groupName: string;
  createTime: number;
  order: number;
  tags: CorpTag[];
}

export interface GroupMember {
  userid: string;
  /** 1 staff, 2 external contact. */
  type: 1 | 2;
  joinTime: number;
  /** 1 invited directly, 2 invite link, 3 scanned the group QR code. */
  joinScene: number;
  invitor?: string;
  groupNickname: string;
}

export interface GroupChat {
  chatId: string;
  name: string;
  owner: string;
  createTime: number;
  notice: string;
  members: GroupMember[];
  admins: string[];
  /** groupchat/list `status`: 0 normal, 1 owner left, 2 inheriting, 3 inherited. */
  status: number;
}

/** A 「联系我」 channel code (add_contact_way). */
export interface ContactWay {
  configId: string;
  /** 1 single member, 2 several. */
  type: 1 | 2;
  /** 1 mini program button, 2 QR code. */
  scene: 1 | 2;
  remark: string;
  skipVerify: boolean;
  state: string;
  users: string[];
  party: number[];
  qrCode?: string;
}

export interface KfAccount {
  openKfid: string;
  name: string;
}

/** The customer-service session window: WeCom lets a kf account answer only after the customer wrote. */
export interface KfSession {
  openKfid: string;
  externalUserid: string;
  /** Simulator ms of the customer's last message. */
  lastCustomerMessageAt: number;
  /** Messages sent by the account since then (at most 5, doc 94677 / errcode 95001). */
  sentSince: number;
}

export interface WelcomeCode {
  code: string;
  userid: string;
  externalUserid: string;
  /** Simulator ms of the add_external_contact event that carried it. */
  issuedAt: number;
  usedAt?: number;
}

/** get_groupmsg_send_result `status`: 0 not sent, 1 sent, 2 not a friend, 3 already received other mass messages (cap). */
export type MassSendStatus = 0 | 1 | 2 | 3;

export interface MassSendResult {
  externalUserid?: string;
  chatId?: string;
  userid: string;
  status: MassSendStatus;
  /** Unix seconds, when status is 1. */
  sendTime?: number;
}

export interface MassSendTask {
  msgid: string;
  chatType: 'single' | 'group';
  sender?: string;
  body: Record<string, unknown>;
  /** Simulator ms. */
  createdAt: number;
  failList: string[];
  results: MassSendResult[];
}

export interface SentMessage {
  msgid: string;
  /** Simulator ms. */
  time: number;
  body: Record<string, unknown>;
  /** Who received it: staff userids for app messages, the customer for kf messages. */
  recipients: string[];
}
