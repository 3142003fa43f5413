// The pipeline every simulated API call goes through: injected failure → token → rate limit → handler → effect record.
import type { Hono } from 'hono';
import { responseBody, type ApiResult } from '../errors.ts';
import type { SimState } from '../state.ts';
import type { SuiteState } from '../suites.ts';
import type { CorpToken } from '../tokens.ts';
import type { CorpStore } from '../world.ts';

export interface Call {
  state: SimState;
  path: string;
  query: Record<string, string>;
  /** The JSON body of a POST ({} when absent or not an object). */
  body: Record<string, unknown>;
  /** Simulator time in ms, read once per call. */
  now: number;
  /** The corp the call's token belongs to, once known (for the effect record). */
  corpId?: string;
}

export interface CorpCall extends Call {
  token: CorpToken;
  corp: CorpStore;
}

export interface SuiteCall extends Call {
  suite: SuiteState;
}

type Result = ApiResult | Promise<ApiResult>;

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** Calls that change the world are recorded in `effects`, whatever their outcome. */
  mutates: boolean;
  run(call: Call): Result;
}

interface RouteOptions {
  mutates?: boolean;
}

/** An API called with `access_token`: counted against the token's corp. */
export function corpRoute(method: Route['method'], path: string, handle: (call: CorpCall) => Result, options: RouteOptions = {}): Route {
  return {
    method, path, mutates: options.mutates ?? false,
    run(call) {
      const found = call.state.tokens.corp(call.query.access_token);
      if ('errcode' in found) return { errcode: found.errcode };
      const runtime = call.state.corps.get(found.ok.corpId);
      if (!runtime) return { errcode: 40014 };
      call.corpId = runtime.corpId;
      if (!call.state.limiter.hit(runtime.corpId, path)) return { errcode: 45009 };
      return handle({ ...call, token: found.ok, corp: runtime.store });
    },
  };
}

/** A suite API called with `suite_access_token`: counted against the suite. */
export function suiteRoute(method: Route['method'], path: string, handle: (call: SuiteCall) => Result, options: RouteOptions = {}): Route {
  return {
    method, path, mutates: options.mutates ?? false,
    run(call) {
      const found = call.state.tokens.suite(call.query.suite_access_token);
      if ('errcode' in found) return { errcode: found.errcode };
      const suite = call.state.suites.get(found.ok.suiteId);
      if (!suite) return { errcode: 40082 };
      if (!call.state.limiter.hit(`suite:${suite.config.suiteId}`, path)) return { errcode: 45009 };
      return handle({ ...call, suite });
    },
  };
}

/**
 * A credential API (gettoken, get_suite_token): `scope` names whose allowance the call counts against once its parameters
 * identify a known corp or suite; calls naming nobody known are not counted, as there is no enterprise to count them for.
 */
export function openRoute(
  method: Route['method'], path: string, scope: (call: Call) => string | undefined, handle: (call: Call) => Result,
): Route {
  return {
    method, path, mutates: false,
    run(call) {
      const who = scope(call);
      if (who !== undefined && !call.state.limiter.hit(who, path)) return { errcode: 45009 };
      return handle(call);
    },
  };
}

export function mount(app: Hono, state: SimState, routes: readonly Route[]): void {
  for (const route of routes) {
    const register = route.method === 'GET' ? app.get.bind(app) : app.post.bind(app);
    register(route.path, async (c) => {
      const query = Object.fromEntries(new URL(c.req.url).searchParams);
      const parsed = route.method === 'POST' ? parseBody(await c.req.text()) : { body: {}, warning: false };
      const call: Call = { state, path: route.path, query, body: parsed.body, now: state.clock() };
      const injected = state.injector.take(route.path);
      const result = injected !== undefined ? { errcode: injected } : await route.run(call);
      if (route.mutates) record(state, call, result, injected !== undefined);
      // WeCom answers errors with HTTP 200 too; only the errcode tells them apart.
      return c.json(responseBody(result, parsed.warning));
    });
  }
}

function record(state: SimState, call: Call, result: ApiResult, injected: boolean): void {
  state.effects.push({
    path: call.path,
    ...(call.corpId !== undefined ? { corpId: call.corpId } : {}),
    body: call.body,
    time: call.now,
    errcode: result.errcode,
    response: result.data ?? {},
    ...(injected ? { injected: true } : {}),
  });
}

function parseBody(text: string): { body: Record<string, unknown>; warning: boolean } {
  if (text.trim() === '') return { body: {}, warning: false };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { body: value as Record<string, unknown>, warning: false };
  } catch {
    // Falls through: WeCom reads what it can and flags the body in errmsg.
  }
  return { body: {}, warning: true };
}
