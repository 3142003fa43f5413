// The WeCom simulator's public surface: the API server and world, and the signed callbacks it sends.
export { createWecomSimulator } from './server.ts';
export type { CorpConfig, CorpWorld, WecomSimulator, WecomSimulatorOptions } from './server.ts';
export type { AuthorizeCorpInput, AuthorizeOptions } from './suite-install.ts';
export type { SuiteConfig } from './suites.ts';
export type { CallbackTarget, Delivery, DeliveryOptions, Attempt } from './delivery.ts';
export type { Effect } from './effects.ts';
export type { ContactAddedResult, CustomerAddsStaffInput, CustomerJoinsGroupInput, EmitResult, RelationInput, WorldEvents } from './events.ts';
export type { SentCallback } from './state.ts';
export type { RateLimitOptions } from './rate-limit.ts';
export type { SendCapOptions } from './send-caps.ts';
export type { TokenApp } from './tokens.ts';
export { memberVersion } from './world.ts';
export type {
  ContactWayInput, CorpStore, CustomerInput, FollowInput, GroupChatInput, StaffInput, TagGroupInput, WorldSeed,
} from './world.ts';
export type * from './world-types.ts';
export { errmsg } from './errors.ts';
export { queryString, signedCallback, signedEcho } from './callbacks.ts';
export type { CallbackKeys, SignedCallback, SignOptions } from './callbacks.ts';
export {
  chatMembersChangedXml, contactAddedXml, contactDeletedXml, createAuthXml, followUserDeletedXml, suiteTicketXml,
} from './messages.ts';
export type { ChatMembersChanged, ContactAdded, ContactRemoved, EventSource } from './messages.ts';
