// The WeCom side of a suite's lifecycle that no API call triggers: suite_ticket pushes and an admin installing the suite.
import { deliver, type CallbackTarget, type Delivery } from './delivery.ts';
import { cancelAuthXml, createAuthXml, suiteTicketXml } from './messages.ts';
import type { SimState } from './state.ts';
import { issueAuthCode, issueTicket, preAuthCodeValid, type SuiteState } from './suites.ts';
import type { WorldSeed } from './world.ts';

export interface AuthorizeCorpInput {
  corpId: string;
  corpName?: string;
  /** The agent id the suite's app gets in that corp; a fresh one by default (kept on reinstall). */
  agentId?: number;
  /** The `state` of the install link or QR code, returned by get_permanent_code and in create_auth. */
  state?: string;
  /** For a corp the simulator does not know yet: its records and app callback URLs. */
  seed?: WorldSeed;
  callbacks?: CallbackTarget[];
}

export interface AuthorizeOptions {
  /** The pre_auth_code of the install link; an unknown or expired one makes the install fail (40077). */
  preAuthCode?: string;
  /** Push create_auth to the suite's 指令回调 URL (an install from the app market) instead of only returning the code. */
  push?: boolean;
}

type AddCorp = (config: { corpId: string; corpName?: string; seed?: WorldSeed; callbacks?: CallbackTarget[] }) => unknown;

export async function pushSuiteTicket(state: SimState, suite: SuiteState): Promise<{ ticket: string; delivery?: Delivery }> {
  const now = state.clock();
  const ticket = issueTicket(suite, now);
  const timeStamp = Math.floor(now / 1000);
  const delivery = await toSuite(state, suite, 'suite_ticket', suiteTicketXml({ suiteId: suite.config.suiteId, ticket, timeStamp }), timeStamp);
  return { ticket, ...(delivery ? { delivery } : {}) };
}

export async function authorizeCorp(
  state: SimState, suite: SuiteState, input: AuthorizeCorpInput, addCorp: AddCorp, options: AuthorizeOptions = {},
): Promise<{ authCode: string; agentId: number; delivery?: Delivery }> {
  const now = state.clock();
  if (options.preAuthCode !== undefined && !preAuthCodeValid(suite, options.preAuthCode, now)) {
    throw new Error('invalid pre_auth_code (40077): get a fresh one from get_pre_auth_code');
  }
  if (!state.corps.has(input.corpId)) {
    addCorp({
      corpId: input.corpId,
      ...(input.corpName !== undefined ? { corpName: input.corpName } : {}),
      ...(input.seed ? { seed: input.seed } : {}),
      ...(input.callbacks ? { callbacks: input.callbacks } : {}),
    });
  }
  const agentId = input.agentId ?? suite.authorizations.get(input.corpId)?.agentId ?? state.nextAgentId++;
  const auth = issueAuthCode(suite, input.corpId, agentId, now, input.state);
  if (!options.push) return { authCode: auth.code, agentId };
  const timeStamp = Math.floor(now / 1000);
  const xml = createAuthXml({
    suiteId: suite.config.suiteId, authCode: auth.code, timeStamp, ...(input.state !== undefined ? { state: input.state } : {}),
  });
  const delivery = await toSuite(state, suite, 'create_auth', xml, timeStamp);
  return { authCode: auth.code, agentId, ...(delivery ? { delivery } : {}) };
}

/** The corp's admin removes the suite: its permanent code stops working (get_corp_token: 40084) and cancel_auth is pushed. */
export async function cancelAuthorization(state: SimState, suite: SuiteState, corpId: string): Promise<{ delivery?: Delivery }> {
  if (!suite.authorizations.delete(corpId)) throw new Error(`corp ${corpId} has not authorised suite ${suite.config.suiteId}`);
  const timeStamp = Math.floor(state.clock() / 1000);
  const delivery = await toSuite(state, suite, 'cancel_auth', cancelAuthXml({ suiteId: suite.config.suiteId, corpId, timeStamp }), timeStamp);
  return delivery ? { delivery } : {};
}

async function toSuite(state: SimState, suite: SuiteState, kind: string, xml: string, timeStamp: number): Promise<Delivery | undefined> {
  const target = suite.config.callback;
  if (!target) return undefined;
  // Suite command callbacks carry ToUserName = SuiteId, no AgentID, and encrypt with the suite id as receiveid.
  const delivery = await deliver({ ...target, agentId: undefined }, suite.config.suiteId, xml, timeStamp, state.delivery);
  state.sent.push({ kind, suiteId: suite.config.suiteId, time: state.clock(), deliveries: [delivery] });
  return delivery;
}
