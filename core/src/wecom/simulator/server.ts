// The WeCom simulator: a Hono app serving WeCom's API paths over a simulated world, and the controls tests drive it with.
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { contactRoutes } from './api/contact-routes.ts';
import { contactWayRoutes } from './api/contact-way-routes.ts';
import { groupChatRoutes } from './api/group-chat-routes.ts';
import { massSendRoutes } from './api/mass-send-routes.ts';
import { messageRoutes } from './api/message-routes.ts';
import { mount } from './api/route.ts';
import { suiteRoutes } from './api/suite-routes.ts';
import { tagRoutes } from './api/tag-routes.ts';
import { tokenRoutes } from './api/token-routes.ts';
import { welcomeRoutes } from './api/welcome-routes.ts';
import type { CallbackTarget, Delivery, DeliveryOptions } from './delivery.ts';
import type { Effect } from './effects.ts';
import { createWorldEvents, type WorldEvents } from './events.ts';
import { createInjector } from './inject.ts';
import { createRateLimiter, type RateLimitOptions } from './rate-limit.ts';
import { createSendCap, type SendCapOptions } from './send-caps.ts';
import type { CorpRuntime, SentCallback, SimState } from './state.ts';
import { createSuiteState, currentTicket, type SuiteConfig } from './suites.ts';
import { authorizeCorp, cancelAuthorization, pushSuiteTicket, type AuthorizeCorpInput, type AuthorizeOptions } from './suite-install.ts';
import { createTokenStore, type TokenApp } from './tokens.ts';
import { createCorpStore, type CorpStore, type WorldSeed } from './world.ts';

export interface CorpConfig {
  corpId: string;
  corpName?: string;
  /** The valid corpsecrets: each names the app it belongs to (an agent id) or `'contact'` for the 客户联系 secret. */
  secrets?: Record<string, TokenApp>;
  /** The corp's app callback URLs (self-built / 代开发): customer-contact events go to each. */
  callbacks?: CallbackTarget[];
  seed?: WorldSeed;
}

export interface WecomSimulatorOptions {
  /** Simulator time in ms; tests pass their own to move time. Defaults to Date.now. */
  clock?: () => number;
  corps?: CorpConfig[];
  suites?: SuiteConfig[];
  /** Per corp, per API; defaults to WeCom's 10,000/min and 150,000/hour. */
  rateLimit?: RateLimitOptions;
  /** Mass-send receipts per customer or group; defaults to the month's days per natural month. */
  sendCaps?: SendCapOptions;
  /** Callback tries and timeout; defaults to WeCom's 3 tries of 5 s. */
  delivery?: DeliveryOptions;
}

/** One enterprise's world: its records (read and seed them directly) and the WeChat-side events that push callbacks. */
export type CorpWorld = CorpStore & WorldEvents;

export interface WecomSimulator {
  app: Hono;
  /** Serves on 127.0.0.1 (port 0: any free port). */
  listen(port?: number): Promise<{ url: string; port: number; close(): Promise<void> }>;
  /** A corp's world; the corp id may be omitted when there is exactly one corp. */
  world(corpId?: string): CorpWorld;
  addCorp(config: CorpConfig): CorpWorld;
  setCallbacks(corpId: string, targets: CallbackTarget[]): void;
  setSuiteCallback(suiteId: string, target: CallbackTarget | undefined): void;
  /** API calls that change the world, in order. */
  readonly effects: Effect[];
  /** Callbacks emitted, in order. */
  readonly callbacks: SentCallback[];
  /** Ends a token now: calls get 42001 (42009 for a suite token). */
  expireToken(token: string): boolean;
  /** Drops every token of a corp, as WeCom may do early: calls get 40014. Returns how many. */
  invalidateTokens(corpId: string): number;
  /** The next `times` calls to `path` fail with `errcode` before anything else happens. */
  inject(path: string, errcode: number, times?: number): void;
  /** The suite's current suite_ticket (a new one every 10 minutes, each valid 30). */
  suiteTicket(suiteId: string): string;
  /** Issues a fresh ticket and pushes the suite_ticket callback to the suite's 指令回调 URL. */
  pushSuiteTicket(suiteId: string): Promise<{ ticket: string; delivery?: Delivery }>;
  /** An admin installs the suite in a corp: returns the auth code the install flow yields (create_auth when `push`). */
  authorizeCorp(suiteId: string, corp: AuthorizeCorpInput, options?: AuthorizeOptions): Promise<{ authCode: string; agentId: number; delivery?: Delivery }>;
  /** The corp's admin removes the suite: its permanent code stops working and cancel_auth is pushed. */
  cancelAuthorization(suiteId: string, corpId: string): Promise<{ delivery?: Delivery }>;
}

export function createWecomSimulator(options: WecomSimulatorOptions = {}): WecomSimulator {
  const clock = options.clock ?? Date.now;
  const state: SimState = {
    clock,
    corps: new Map(),
    suites: new Map((options.suites ?? []).map((s) => [s.suiteId, createSuiteState(s)])),
    tokens: createTokenStore(clock),
    limiter: createRateLimiter(clock, options.rateLimit),
    injector: createInjector(),
    sendCap: createSendCap(options.sendCaps),
    delivery: options.delivery ?? {},
    effects: [],
    sent: [],
    nextAgentId: 1000001,
  };
  const app = new Hono();
  mount(app, state, [
    ...tokenRoutes, ...suiteRoutes, ...contactRoutes, ...tagRoutes, ...welcomeRoutes, ...massSendRoutes, ...groupChatRoutes,
    ...contactWayRoutes, ...messageRoutes,
  ]);

  function addCorp(config: CorpConfig): CorpWorld {
    if (state.corps.has(config.corpId)) throw new Error(`corp ${config.corpId} already exists`);
    const runtime: CorpRuntime = {
      corpId: config.corpId,
      secrets: new Map(Object.entries(config.secrets ?? {})),
      store: createCorpStore(config.corpId, clock, config.corpName),
      callbacks: [...(config.callbacks ?? [])],
    };
    state.corps.set(config.corpId, runtime);
    const world: CorpWorld = Object.assign(runtime.store, createWorldEvents(state, runtime));
    if (config.seed) world.seed(config.seed);
    return world;
  }
  for (const corp of options.corps ?? []) addCorp(corp);

  function runtimeOf(corpId: string | undefined): CorpRuntime {
    if (corpId === undefined) {
      if (state.corps.size !== 1) throw new Error(`name the corp: the simulator has ${state.corps.size}`);
      return state.corps.values().next().value!;
    }
    const runtime = state.corps.get(corpId);
    if (!runtime) throw new Error(`no corp ${corpId}`);
    return runtime;
  }

  function suiteOf(suiteId: string) {
    const suite = state.suites.get(suiteId);
    if (!suite) throw new Error(`no suite ${suiteId}`);
    return suite;
  }

  return {
    app,
    async listen(port = 0) {
      let server: ServerType | undefined;
      const bound = await new Promise<number>((resolve, reject) => {
        server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, (info) => resolve(info.port));
        server.once('error', reject);
      });
      return {
        url: `http://127.0.0.1:${bound}`,
        port: bound,
        close: () => new Promise<void>((resolve) => {
          server!.close(() => resolve());
          // Keep-alive connections from clients would hold close() open; the simulator has nothing to drain.
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        }),
      };
    },
    world: (corpId) => runtimeOf(corpId).store as CorpWorld,
    addCorp,
    setCallbacks(corpId, targets) {
      runtimeOf(corpId).callbacks = [...targets];
    },
    setSuiteCallback(suiteId, target) {
      const suite = suiteOf(suiteId);
      if (target) suite.config = { ...suite.config, callback: target };
      else {
        const { callback: _dropped, ...rest } = suite.config;
        suite.config = rest;
      }
    },
    effects: state.effects,
    callbacks: state.sent,
    expireToken: (token) => state.tokens.expire(token),
    invalidateTokens: (corpId) => state.tokens.invalidateCorp(corpId),
    inject: (path, errcode, times) => state.injector.add(path, errcode, times),
    suiteTicket: (suiteId) => currentTicket(suiteOf(suiteId), clock()),
    pushSuiteTicket: (suiteId) => pushSuiteTicket(state, suiteOf(suiteId)),
    authorizeCorp: (suiteId, corp, authorizeOptions) => authorizeCorp(state, suiteOf(suiteId), corp, addCorp, authorizeOptions),
    cancelAuthorization: (suiteId, corpId) => cancelAuthorization(state, suiteOf(suiteId), corpId),
  };
}
