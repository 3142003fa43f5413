// What a handler receives as `ctx`: the install's config, the idempotency key of a workflow step, and the host
// capabilities the install was granted. Calling a capability the install was not granted throws capability.denied.
import type * as Http from './generated/capability-http.ts';
import type * as Log from './generated/capability-log.ts';
import type * as Store from './generated/capability-store.ts';
import type * as Wecom from './generated/capability-wecom.ts';

/** A failure the host or a plugin reports: a dotted code, a message, and whether trying again may help. */
export interface Failure {
  code: string;
  message: string;
  retryable?: boolean;
}

/** Fire-and-forget: a call returns at once, nothing to await; an entry the host cannot take is dropped. */
export interface LogCapability {
  debug(entry: Log.Entry): void;
  info(entry: Log.Entry): void;
  warn(entry: Log.Entry): void;
  error(entry: Log.Entry): void;
}

/** The install's private key-value store (permission `store`), with key-count and byte quotas. */
export interface StoreCapability {
  get(args: Store.Get): Promise<{ found: true; value: unknown } | { found: false; value: null }>;
  // The schema's `value` is "any JSON value": the generated type narrows it to an object, which it is not.
  set(args: Omit<Store.Set, 'value'> & { value: unknown }): Promise<{ bytes: number; totalKeys: number; totalBytes: number }>;
  delete(args: Store.Delete): Promise<{ deleted: boolean }>;
  list(args: Store.List): Promise<{ keys: string[] }>;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

/** Fetches from the hosts the manifest lists in `http.hosts` (permission `http`); redirects are not followed. */
export interface HttpCapability {
  fetch(args: Http.Fetch): Promise<HttpResponse>;
}

/** WeCom's answer to a call, without errcode and errmsg: its fields as WeCom names them (snake_case). */
export type WecomAnswer = Record<string, unknown>;

/**
 * The WeCom server API for the install's tenant. Each method needs its own permission (`wecom.<area>.<verb>`, see
 * the README); methods the install was not granted are absent. Changes are made once per workflow step; messages to
 * customers count against the tenant's contact quota (`quota.exceeded`).
 */
export interface WecomCapability {
  getExternalContact(args: Wecom.GetExternalContact): Promise<WecomAnswer>;
  listExternalContacts(args: Wecom.ListExternalContacts): Promise<WecomAnswer>;
  remarkExternalContact(args: Wecom.RemarkExternalContact): Promise<WecomAnswer>;
  listCorpTags(args: Wecom.ListCorpTags): Promise<WecomAnswer>;
  addCorpTag(args: Wecom.AddCorpTag): Promise<WecomAnswer>;
  markTags(args: Wecom.MarkTags): Promise<WecomAnswer>;
  /** Within 20 s of the add_external_contact event that carried the code, once per code. */
  sendWelcome(args: Wecom.SendWelcome): Promise<WecomAnswer>;
  /** Customers over the contact quota are left out and listed in `refused_by_quota`; all over it: quota.exceeded. */
  sendMassMessage(args: Wecom.SendMassMessage): Promise<WecomAnswer>;
  listGroupChats(args: Wecom.ListGroupChats): Promise<WecomAnswer>;
  getGroupChat(args: Wecom.GetGroupChat): Promise<WecomAnswer>;
  addContactWay(args: Wecom.AddContactWay): Promise<WecomAnswer>;
  sendAppMessage(args: Wecom.SendAppMessage): Promise<WecomAnswer>;
  sendKfMessage(args: Wecom.SendKfMessage): Promise<WecomAnswer>;
  getUser(args: Wecom.GetUser): Promise<WecomAnswer>;
}

export interface PluginContext<Config = Record<string, unknown>> {
  /** The install's settings, checked against the manifest's `config` schema, defaults applied. */
  readonly config: Config;
  /** `runId:stepPath` when a workflow step calls: the same on every attempt, for effects to be made once. */
  readonly idempotencyKey?: string;
  readonly runId?: string;
  readonly log: LogCapability;
  readonly store: StoreCapability;
  readonly http: HttpCapability;
  readonly wecom: WecomCapability;
}
