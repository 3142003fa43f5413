// Everything the simulator holds, shared by the API handlers and the world operations.
import type { CallbackTarget, Delivery, DeliveryOptions } from './delivery.ts';
import type { Effect } from './effects.ts';
import type { Injector } from './inject.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { SendCap } from './send-caps.ts';
import type { SuiteState } from './suites.ts';
import type { TokenApp, TokenStore } from './tokens.ts';
import type { CorpStore } from './world.ts';

export interface CorpRuntime {
  corpId: string;
  /** corpsecret → the app it belongs to (an agent id, or the 客户联系 secret). */
  secrets: Map<string, TokenApp>;
  store: CorpStore;
  /** The corp's apps' callback URLs: every customer-contact event goes to each, in the app form. */
  callbacks: CallbackTarget[];
}

/** One emitted callback: the event and each host's answer. */
export interface SentCallback {
  /** Event / InfoType and ChangeType, e.g. `change_external_contact/add_external_contact`, `suite_ticket`. */
  kind: string;
  corpId?: string;
  suiteId?: string;
  /** Simulator time in ms. */
  time: number;
  deliveries: Delivery[];
}

export interface SimState {
  clock: () => number;
  corps: Map<string, CorpRuntime>;
  suites: Map<string, SuiteState>;
  tokens: TokenStore;
  limiter: RateLimiter;
  injector: Injector;
  sendCap: SendCap;
  delivery: DeliveryOptions;
  effects: Effect[];
  sent: SentCallback[];
  /** Agent ids for suite installs, counting up as WeCom's do. */
  nextAgentId: number;
}
