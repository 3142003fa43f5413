// The WeCom server API client: access tokens per credentials (cached, single-flight, fetched again when WeCom refuses
// one), the call itself, and retries with backoff where WeCom says to try again (-1 busy, 45009 rate limit).
import { createHash } from 'node:crypto';
import { busy, tokenRefused, WecomApiError } from './errors.ts';
import { createTokenCache, type IssuedToken } from './token-cache.ts';

/** A suite (third-party app): its own token needs the newest suite_ticket WeCom pushed. */
export interface SuiteCredentials {
  suiteId: string;
  suiteSecret: string;
  ticket(): string | Promise<string>;
}

/** Who a call acts as: an enterprise's own app (corpid + secret), or a suite on behalf of a corp that installed it. */
export type Credentials =
  | { kind: 'corp'; corpId: string; secret: string }
  | { kind: 'suite-corp'; suite: SuiteCredentials; corpId: string; permanentCode: string };

export interface WecomClientOptions {
  /** Default https://qyapi.weixin.qq.com; the simulator's address in tests and demos. */
  baseUrl?: string;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Attempts of a call WeCom answers busy or rate-limited (default 4), and the backoff between them. */
  retry?: { attempts?: number; initialMs?: number; maxMs?: number };
  /** Time for one HTTP exchange (default 10 s). */
  timeoutMs?: number;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

export interface CallOptions {
  method?: 'GET' | 'POST';
  query?: Record<string, string>;
  body?: unknown;
  /** Ends the call (and its retries) early: the invocation it serves is over. */
  signal?: AbortSignal;
}

export type WecomAnswer = { errcode?: number; errmsg?: string } & Record<string, unknown>;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createWecomClient(options: WecomClientOptions = {}) {
  const baseUrl = (options.baseUrl ?? 'https://qyapi.weixin.qq.com').replace(/\/+$/, '');
  const sleep = options.sleep ?? wait;
  const attempts = options.retry?.attempts ?? 4;
  const initialMs = options.retry?.initialMs ?? 250;
  const maxMs = options.retry?.maxMs ?? 4000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const tokens = createTokenCache({ clock: options.clock });
  const send = options.fetch ?? fetch;

  /** One HTTP exchange; a network failure or an answer that is not WeCom's JSON is an error without errcode. */
  async function exchange(api: string, token: string | undefined, call: CallOptions, tokenParam = 'access_token'): Promise<WecomAnswer> {
    const url = new URL(baseUrl + api);
    if (token !== undefined) url.searchParams.set(tokenParam, token);
    for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
    const method = call.method ?? (call.body === undefined ? 'GET' : 'POST');
    const timeout = AbortSignal.timeout(timeoutMs);
    let text: string;
    let status: number;
    try {
      const response = await send(url, {
        method, signal: call.signal ? AbortSignal.any([timeout, call.signal]) : timeout,
        ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(call.body ?? {}) } : {}),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const why = call.signal?.aborted ? 'the invocation ended before WeCom answered' : timeout.aborted ? `no answer within ${timeoutMs} ms`
        : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new WecomApiError(api, undefined, why);
    }
    // WeCom answers every call with HTTP 200 and a JSON object carrying errcode; anything else (a proxy's 502 with
    // `{}`, say) is not WeCom's answer, and must never be taken for success.
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = undefined;
    }
    if (status !== 200 || answer === null || typeof answer !== 'object' || Array.isArray(answer) || typeof (answer as WecomAnswer).errcode !== 'number') {
      throw new WecomApiError(api, undefined, `HTTP ${status} with ${answer === undefined ? 'a body that is not JSON' : 'a body without an errcode'}`);
    }
    return answer as WecomAnswer;
  }

  /** Repeats `attempt` while WeCom answers busy or rate-limited, with exponential backoff; throws any other errcode. */
  async function withBackoff(api: string, attempt: () => Promise<WecomAnswer>, signal?: AbortSignal): Promise<WecomAnswer> {
    for (let n = 1; ; n++) {
      const answer = await attempt();
      const errcode = answer.errcode ?? 0;
      if (errcode === 0) return answer;
      if (!busy.has(errcode) || n >= attempts || signal?.aborted) throw new WecomApiError(api, errcode, answer.errmsg ?? '');
      await sleep(Math.min(maxMs, initialMs * 2 ** (n - 1)));
    }
  }

  function issued(api: string, answer: WecomAnswer, field: string): IssuedToken {
    const token = answer[field];
    if (typeof token !== 'string' || token === '') throw new WecomApiError(api, undefined, `the answer has no ${field}`);
    const expiresIn = Number(answer.expires_in);
    return { token, expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 7200 };
  }

  function suiteToken(suite: SuiteCredentials): Promise<string> {
    return tokens.get(`suite:${suite.suiteId}`, async () => {
      const ticket = await suite.ticket();
      const api = '/cgi-bin/service/get_suite_token';
      const body = { suite_id: suite.suiteId, suite_secret: suite.suiteSecret, suite_ticket: ticket };
      return issued(api, await withBackoff(api, () => exchange(api, undefined, { method: 'POST', body })), 'suite_access_token');
    });
  }

  /** Calls a suite API with the suite's own token, fetching it again once if WeCom refuses it. */
  async function suiteCall(suite: SuiteCredentials, api: string, call: CallOptions): Promise<WecomAnswer> {
    for (let refused = false; ; refused = true) {
      const token = await suiteToken(suite);
      try {
        return await withBackoff(api, () => exchange(api, token, call, 'suite_access_token'));
      } catch (error) {
        if (refused || !(error instanceof WecomApiError) || !tokenRefused.has(error.errcode ?? 0)) throw error;
        tokens.invalidate(`suite:${suite.suiteId}`, token);
      }
    }
  }

  function tokenKey(credentials: Credentials): string {
    if (credentials.kind === 'suite-corp') return `suite-corp:${credentials.suite.suiteId}:${credentials.corpId}`;
    // The secret names the app (each has its own token); only a digest of it is kept as the key.
    return `corp:${credentials.corpId}:${createHash('sha256').update(credentials.secret).digest('hex').slice(0, 16)}`;
  }

  function accessToken(credentials: Credentials): Promise<string> {
    return tokens.get(tokenKey(credentials), async () => {
      if (credentials.kind === 'corp') {
        const api = '/cgi-bin/gettoken';
        const query = { corpid: credentials.corpId, corpsecret: credentials.secret };
        return issued(api, await withBackoff(api, () => exchange(api, undefined, { method: 'GET', query })), 'access_token');
      }
      const body = { auth_corpid: credentials.corpId, permanent_code: credentials.permanentCode };
      return issued('/cgi-bin/service/get_corp_token', await suiteCall(credentials.suite, '/cgi-bin/service/get_corp_token', { method: 'POST', body }), 'access_token');
    });
  }

  return {
    /**
     * Calls `api` (a path such as `/cgi-bin/externalcontact/get`) as `credentials`. Answers WeCom's JSON when its
     * errcode is 0; throws WecomApiError otherwise. A refused token (40014, 42001) is fetched again and the call
     * repeated once; busy and rate-limited answers are retried with backoff.
     */
    async call(credentials: Credentials, api: string, call: CallOptions = {}): Promise<WecomAnswer> {
      for (let refused = false; ; refused = true) {
        const token = await accessToken(credentials);
        try {
          return await withBackoff(api, () => exchange(api, token, call), call.signal);
        } catch (error) {
          if (refused || !(error instanceof WecomApiError) || !tokenRefused.has(error.errcode ?? 0)) throw error;
          tokens.invalidate(tokenKey(credentials), token);
        }
      }
    },

    /** Suite mode, the steps of an install (REFERENCE.md §4.1). */
    suite: {
      preAuthCode: async (suite: SuiteCredentials) => String((await suiteCall(suite, '/cgi-bin/service/get_pre_auth_code', { method: 'GET' })).pre_auth_code),
      /** Exchanges a (single-use) auth code for the corp's permanent code and what it authorised. */
      permanentCode: (suite: SuiteCredentials, authCode: string) =>
        suiteCall(suite, '/cgi-bin/service/get_permanent_code', { method: 'POST', body: { auth_code: authCode } }),
    },
  };
}

export type WecomClient = ReturnType<typeof createWecomClient>;
