// Third-party suite state (doc 90600 family, REFERENCE.md §3.8 and §4.1): suite tickets, pre-auth, auth and permanent codes.
import { secretString } from './ids.ts';
import type { CallbackTarget } from './delivery.ts';

export interface SuiteConfig {
  suiteId: string;
  suiteSecret: string;
  /** The suite's 指令回调 URL: suite_ticket, create_auth and the customer-contact events of authorised corps go there. */
  callback?: CallbackTarget;
}

export interface AuthCode {
  code: string;
  corpId: string;
  agentId: number;
  state?: string;
  issuedAt: number;
  used: boolean;
}

export interface Authorization {
  corpId: string;
  agentId: number;
  permanentCode: string;
  state?: string;
}

export interface SuiteState {
  config: SuiteConfig;
  tickets: { ticket: string; issuedAt: number }[];
  preAuthCodes: Map<string, number>;
  authCodes: Map<string, AuthCode>;
  /** By authorised corp id. */
  authorizations: Map<string, Authorization>;
}

const ticketPushMs = 10 * 60_000;
const ticketLifeMs = 30 * 60_000;
const preAuthLifeMs = 1200 * 1000;
const authCodeLifeMs = 10 * 60_000;

export function createSuiteState(config: SuiteConfig): SuiteState {
  return { config, tickets: [], preAuthCodes: new Map(), authCodes: new Map(), authorizations: new Map() };
}

/** A fresh ticket, as WeCom's push every 10 minutes (or the console's manual refresh) makes one. */
export function issueTicket(suite: SuiteState, now: number): string {
  const ticket = secretString();
  suite.tickets.push({ ticket, issuedAt: now });
  return ticket;
}

/** The newest ticket; a new one once the last is 10 minutes old, since WeCom would have pushed one by then. */
export function currentTicket(suite: SuiteState, now: number): string {
  const last = suite.tickets.at(-1);
  if (last && now - last.issuedAt < ticketPushMs) return last.ticket;
  return issueTicket(suite, now);
}

/** Any ticket issued in the last 30 minutes works: "actual validity 30 minutes" tolerates two missed pushes. */
export function ticketValid(suite: SuiteState, ticket: string, now: number): boolean {
  return suite.tickets.some((t) => t.ticket === ticket && now - t.issuedAt < ticketLifeMs);
}

export function issuePreAuthCode(suite: SuiteState, now: number): { code: string; expiresIn: number } {
  const code = secretString();
  suite.preAuthCodes.set(code, now);
  return { code, expiresIn: preAuthLifeMs / 1000 };
}

export function preAuthCodeValid(suite: SuiteState, code: string, now: number): boolean {
  const issuedAt = suite.preAuthCodes.get(code);
  return issuedAt !== undefined && now - issuedAt < preAuthLifeMs;
}

export function issueAuthCode(suite: SuiteState, corpId: string, agentId: number, now: number, state?: string): AuthCode {
  const auth: AuthCode = { code: secretString(), corpId, agentId, issuedAt: now, used: false };
  if (state !== undefined) auth.state = state;
  suite.authCodes.set(auth.code, auth);
  return auth;
}

/** Auth codes are valid 10 minutes and "只能消费一次" (consumed once): later calls get 40078. */
export function consumeAuthCode(suite: SuiteState, code: string, now: number): AuthCode | undefined {
  const auth = suite.authCodes.get(code);
  if (!auth || auth.used || now - auth.issuedAt >= authCodeLifeMs) return undefined;
  auth.used = true;
  return auth;
}

/** Records the authorisation; a reinstall replaces the permanent code, and the old one stops working (40084). */
export function authorize(suite: SuiteState, auth: AuthCode): Authorization {
  const authorization: Authorization = { corpId: auth.corpId, agentId: auth.agentId, permanentCode: secretString() };
  if (auth.state !== undefined) authorization.state = auth.state;
  suite.authorizations.set(auth.corpId, authorization);
  return authorization;
}
