// Stand-ins for the host's capabilities, with the same argument schemas, results, quotas and failure codes, and
// nothing outside the test: the store lives in a Map, and http is answered by the stubs the test declares.
import { hostLabel, isHostAllowed } from '../capabilities/http-hosts.ts';
import { wecomEffectMethods, wecomPermissions, type WecomMethodName } from '../capabilities/wecom-permissions.ts';

/** A failure a capability reports to the plugin: what the host's capability would report. */
export class FakeFailure extends Error {
  readonly code: string;
  readonly retryable: boolean;
  /** When trying again can work (an ISO instant), as the host's contact quota says. */
  readonly retryAt: string | undefined;
  constructor(code: string, message: string, retryable = false, retryAt?: string) {
    super(message);
    this.code = code;
    this.retryable = retryable;
    this.retryAt = retryAt;
  }
}

export interface CallScope {
  httpHosts: readonly string[];
  idempotencyKey?: string;
  /** Requests with effects so far in this invocation: numbers the Idempotency-Key. */
  effects: number;
}

export type FakeMethod = (args: Record<string, unknown>, scope: CallScope) => Promise<unknown>;

export interface FakeCapability {
  /** The permission an install needs, or null for methods every plugin may call. */
  permission: string | null;
  /** Per-method permissions, where each method has its own (wecom). */
  methodPermissions?: Record<string, string>;
  methods: Record<string, FakeMethod>;
}

/** The permission one method of a capability needs (null: none). */
export function permissionOf(capability: FakeCapability, method: string): string | null {
  return capability.methodPermissions?.[method] ?? capability.permission;
}

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields?: Record<string, unknown>;
}

export function fakeLog(records: LogRecord[]): FakeCapability {
  const method = (level: LogRecord['level']): FakeMethod => async (args) => {
    records.push({ level, message: args.message as string, ...(args.fields ? { fields: args.fields as Record<string, unknown> } : {}) });
    return null;
  };
  return { permission: null, methods: { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') } };
}

/** The host's default store quotas. */
const quotas = { maxKeys: 1000, maxBytes: 1_048_576, maxValueBytes: 262_144 };

export function fakeStore(entries: Map<string, unknown>): FakeCapability {
  const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
  const totalBytes = () => [...entries.values()].reduce<number>((sum, value) => sum + size(value), 0);
  return {
    permission: 'store',
    methods: {
      get: async ({ key }) => (entries.has(key as string) ? { found: true, value: entries.get(key as string) } : { found: false, value: null }),
      set: async ({ key, value }) => {
        const bytes = size(value);
        if (bytes > quotas.maxValueBytes) throw new FakeFailure('store.quota_exceeded', `store quota exceeded: the value for "${String(key)}" is ${bytes} bytes; the maxValueBytes quota allows ${quotas.maxValueBytes} per value`);
        const replaced = entries.has(key as string) ? size(entries.get(key as string)) : 0;
        const keys = entries.size + (entries.has(key as string) ? 0 : 1);
        const total = totalBytes() - replaced + bytes;
        if (keys > quotas.maxKeys) throw new FakeFailure('store.quota_exceeded', `store quota exceeded: setting "${String(key)}" would bring the install to ${keys} keys; the maxKeys quota is ${quotas.maxKeys}`);
        if (total > quotas.maxBytes) throw new FakeFailure('store.quota_exceeded', `store quota exceeded: setting "${String(key)}" would bring the install to ${total} bytes; the maxBytes quota is ${quotas.maxBytes}`);
        entries.set(key as string, JSON.parse(JSON.stringify(value)) as unknown);
        return { bytes, totalKeys: entries.size, totalBytes: total };
      },
      delete: async ({ key }) => ({ deleted: entries.delete(key as string) }),
      list: async ({ prefix = '', limit }) => ({
        // Code-point order, as the host's databases return them.
        keys: [...entries.keys()].filter((k) => k.startsWith(prefix as string)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, limit as number),
      }),
    },
  };
}

export interface HttpRequest {
  method: string;
  url: string;
  /** Lower-case names, including the Idempotency-Key the host adds to requests with effects inside a run. */
  headers: Record<string, string>;
  body?: string;
}

export interface HttpStubAnswer {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** Text as it is; any other value is sent as JSON (with content-type application/json). */
  body?: unknown;
}

export type HttpStub = HttpStubAnswer | ((request: HttpRequest) => HttpStubAnswer | Promise<HttpStubAnswer>);

/** Stubs keyed `"METHOD url"`; a key without a query string answers every query of that path. */
export type HttpStubs = Record<string, HttpStub>;

const readOnly = new Set(['GET', 'HEAD', 'OPTIONS']);

export function fakeHttp(stubs: HttpStubs, requests: HttpRequest[]): FakeCapability {
  return {
    permission: 'http',
    methods: {
      fetch: async (args, scope) => {
        const method = args.method as string;
        let url: URL;
        try {
          url = new URL(args.url as string);
        } catch {
          throw new FakeFailure('capability.args_invalid', 'url is not a valid absolute URL');
        }
        if (!isHostAllowed(url, scope.httpHosts)) throw new FakeFailure('http.host_not_allowed', `host "${hostLabel(url)}" is not listed in the plugin's http.hosts`);
        if ((method === 'GET' || method === 'HEAD') && args.body !== undefined) throw new FakeFailure('capability.args_invalid', `a ${method} request cannot have a body`);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries((args.headers ?? {}) as Record<string, string>)) headers[name.toLowerCase()] = value;
        // As the host: the step's key unless the plugin set its own; the ordinal counts either way.
        if (scope.idempotencyKey && !readOnly.has(method)) {
          const key = `${scope.idempotencyKey}#http.fetch#${++scope.effects}`;
          headers['idempotency-key'] ??= key;
        }
        const request: HttpRequest = { method, url: url.href, headers, ...(args.body !== undefined ? { body: args.body as string } : {}) };
        requests.push(request);
        const stub = stubs[`${method} ${url.href}`] ?? stubs[`${method} ${url.origin}${url.pathname}`];
        if (stub === undefined) {
          throw new FakeFailure('http.failed', `${method} ${url.href} failed: no stub answers it (the test host sends nothing over the network; declare it in createTestHost({ http }))`);
        }
        const answer = typeof stub === 'function' ? await stub(request) : stub;
        const json = answer.body !== undefined && typeof answer.body !== 'string';
        const responseHeaders: Record<string, string> = json ? { 'content-type': 'application/json' } : {};
        for (const [name, value] of Object.entries(answer.headers ?? {})) responseHeaders[name.toLowerCase()] = value;
        const body = answer.body === undefined ? '' : json ? JSON.stringify(answer.body) : (answer.body as string);
        return { status: answer.status ?? 200, headers: responseHeaders, body: method === 'HEAD' ? '' : body };
      },
    },
  };
}

/**
 * Answers for `ctx.wecom`, by method: a function of the (validated) arguments returning WeCom's answer without errcode
 * and errmsg. A stub fails the call by throwing `{ code, message, retryable? }` (e.g. `wecom.welcome_code_used`).
 */
export type WecomStubs = Partial<Record<WecomMethodName, (args: any) => unknown>>;


export function fakeWecom(stubs: WecomStubs): FakeCapability {
  const methods: Record<string, FakeMethod> = {};
  for (const name of Object.keys(wecomPermissions) as WecomMethodName[]) {
    methods[name] = async (args, scope) => {
      if (scope.idempotencyKey && wecomEffectMethods.has(name)) scope.effects += 1;
      const stub = stubs[name];
      if (!stub) throw new FakeFailure('wecom.not_configured', `no stub answers ctx.wecom.${name} (the test host reaches no WeCom; declare it in createTestHost({ wecom }))`);
      try {
        return await stub(args);
      } catch (error) {
        const { code, message, retryable, retryAt } = (error ?? {}) as { code?: unknown; message?: unknown; retryable?: unknown; retryAt?: unknown };
        if (typeof code === 'string') throw new FakeFailure(code, typeof message === 'string' ? message : code, retryable === true, typeof retryAt === 'string' ? retryAt : undefined);
        throw error;
      }
    };
  }
  return { permission: null, methodPermissions: { ...wecomPermissions }, methods };
}
