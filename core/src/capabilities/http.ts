// The `http` capability: fetch from the hosts the manifest lists, with a time limit, a size cap and no redirects.
//
// fetch({ url, method = 'GET', headers?, body?, timeoutMs? }) → { status, headers, body }
//   headers: lower-case names, string values (repeated headers joined with ", "); body: the response as UTF-8 text.
//   A 3xx comes back as it is, with its location header: following it is the plugin's choice, through this check again.
//
// Within a workflow step, a request that may change something (any method but GET, HEAD and OPTIONS) is an effect:
// it carries an Idempotency-Key header (the step's key and the request's ordinal in the invocation), its response is
// recorded in the effects ledger, and a retried or resumed step gets the recorded response instead of sending again.
// A 5xx, 429 or 408 answer is not recorded: the target did not act, and a retry sends again (with the same key).
// A process that dies between the send and the record sends once more on resume, with the same key, for the target
// to recognise.
import { readCappedStream } from '../read-capped-stream.ts';
import type { EffectLedger } from '../store/types.ts';
import { hostLabel, isHostAllowed } from '../../../sdk/src/capabilities/http-hosts.ts';
import { once } from './effects.ts';
import { CapabilityFailure, type Capability } from './types.ts';

export interface HttpCapabilityOptions {
  /** Largest response body (after decompression). Default 1 MiB. */
  maxResponseBytes?: number;
  /** Time for the whole exchange when the call names none. Default 10 s. */
  defaultTimeoutMs?: number;
  /** Where the responses to effects are recorded; without it, requests are never deduplicated. */
  effects?: EffectLedger;
}

interface FetchArgs {
  url: string;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

// Hop-by-hop and framing headers belong to the host's connection, not the plugin: host and content-length would let a
// plugin lie about the request it sends; the others would change how undici frames or keeps the connection.
const strippedHeaders = new Set([
  'host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect',
  'proxy-connection', 'proxy-authorization', 'http2-settings',
]);

export function createHttpCapability(options: HttpCapabilityOptions = {}): Capability {
  const maxBytes = options.maxResponseBytes ?? 1_048_576;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 10_000;
  return {
    name: 'http',
    methods: {
      fetch: {
        permission: 'http',
        async run(args, scope) {
          const request = args as FetchArgs;
          const url = parseUrl(request.url);
          if (!isHostAllowed(url, scope.httpHosts)) {
            throw new CapabilityFailure('http.host_not_allowed', `host "${hostLabel(url)}" is not listed in the plugin's http.hosts`);
          }
          if (request.body !== undefined && (request.method === 'GET' || request.method === 'HEAD')) {
            throw new CapabilityFailure('capability.args_invalid', `a ${request.method} request cannot have a body`);
          }
          const headers = requestHeaders(request.headers);
          const send = () => exchange(url, request, headers, request.timeoutMs ?? defaultTimeoutMs, maxBytes, scope.signal);
          if (safeMethods.has(request.method)) return send();
          return once(options.effects, scope, {
            effect: 'http.fetch',
            perform: (key) => {
              if (key !== undefined && !headers.has('idempotency-key')) headers.set('idempotency-key', key);
              return send();
            },
            // These statuses say the request was not acted on: a retry must send it again, not read them back.
            actedOn: (response) => !notActedOn(response.status),
          });
        },
      },
    },
  };
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const notActedOn = (status: number) => status >= 500 || status === 429 || status === 408;

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CapabilityFailure('capability.args_invalid', 'url is not a valid absolute URL');
  }
  // fetch refuses these anyway; refusing here says why instead of failing as a network error.
  if (url.username || url.password) throw new CapabilityFailure('capability.args_invalid', 'url must not carry a user name or password');
  return url;
}

function requestHeaders(given: Record<string, string> = {}): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(given)) {
    if (strippedHeaders.has(name.toLowerCase())) continue;
    try {
      headers.append(name, value);
    } catch {
      throw new CapabilityFailure('capability.args_invalid', `header "${name.slice(0, 100)}" is not a valid HTTP header name and value`);
    }
  }
  return headers;
}

async function exchange(url: URL, request: FetchArgs, headers: Headers, timeoutMs: number, maxBytes: number, ended?: AbortSignal): Promise<HttpResponse> {
  const what = `${request.method} ${url.origin}`;
  const controller = new AbortController();
  // The invocation that asked has ended (finished, timed out, crashed): nobody will read the answer.
  if (ended?.aborted) controller.abort();
  ended?.addEventListener('abort', () => controller.abort(), { once: true });
  let timedOut = false;
  // One deadline for everything, reading the body included: a server trickling bytes cannot hold the call open.
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const fail = (error: unknown): CapabilityFailure =>
    timedOut
      ? new CapabilityFailure('http.timeout', `${what} did not complete within ${timeoutMs} ms`, true)
      : new CapabilityFailure('http.failed', `${what} failed: ${networkReason(error)}`, true);
  try {
    let response: Response;
    try {
      response = await fetch(url, { method: request.method, headers, body: request.body, redirect: 'manual', signal: controller.signal });
    } catch (error) {
      throw fail(error);
    }
    const declared = Number(response.headers.get('content-length'));
    if (declared > maxBytes) {
      controller.abort();
      throw tooLarge(what, maxBytes, ` (its content-length is ${declared})`);
    }
    const body = await readCapped(response, maxBytes, () => controller.abort()).catch((error: unknown) => {
      throw fail(error);
    });
    if (body === null) throw tooLarge(what, maxBytes, '');
    return { status: response.status, headers: responseHeaders(response.headers), body };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The body as text, or null once it passes `maxBytes` (counted after decompression, so a small gzip bomb is caught too):
 * reading stops there and the connection is dropped rather than drained.
 */
async function readCapped(response: Response, maxBytes: number, abort: () => void): Promise<string | null> {
  if (!response.body) return '';
  const bytes = await readCappedStream(response.body, maxBytes);
  if (bytes === null) {
    abort();
    return null;
  }
  // As Response.text() decodes: UTF-8, a leading BOM dropped, invalid bytes as U+FFFD.
  return new TextDecoder().decode(bytes);
}

function responseHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  // Headers iterates lower-case names; get() joins repeated ones (set-cookie included) with ", ".
  for (const [name] of headers) out[name] ??= headers.get(name) ?? '';
  return out;
}

function tooLarge(what: string, maxBytes: number, note: string): CapabilityFailure {
  return new CapabilityFailure('http.response_too_large', `the response to ${what} is larger than the ${maxBytes}-byte limit${note}`);
}

/** A short, host-path-free reason: undici's error code (ECONNREFUSED, ENOTFOUND, a TLS code) or its first words. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  const message = typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : 'network error';
  return message.slice(0, 120);
}
