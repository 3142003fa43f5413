// POSTs signed, encrypted callbacks to a host as WeCom does (REFERENCE.md §1.3, §1.5): 5 s per try, 3 tries in all.
import { signedCallback } from './callbacks.ts';

/** Where one app (or a suite's 指令回调) receives callbacks, with the keys configured for it. */
export interface CallbackTarget {
  url: string;
  token: string;
  encodingAesKey: string;
  /** corpId for an enterprise app, suiteId for a suite; defaults to whichever applies. */
  receiveId?: string;
  /** Put in the envelope's AgentID for app callbacks. */
  agentId?: string | number;
}

export interface DeliveryOptions {
  /** Tries per callback; WeCom makes 3 ("总共重试三次"). */
  tries?: number;
  /** How long a try may take; WeCom drops the connection after 5 s. */
  timeoutMs?: number;
}

export interface Attempt {
  /** The host's HTTP status; 0 when there was no answer (refused, timed out). */
  status: number;
  body: string;
  error?: string;
}

export interface Delivery {
  url: string;
  /** The final status: 200 once the host answered 200, else the last try's. */
  status: number;
  body: string;
  attempts: Attempt[];
  /** The plaintext message, and what went over the wire for it: the query string and the envelope. */
  xml: string;
  query: string;
  envelope: string;
}

export async function deliver(
  target: CallbackTarget, receiveId: string, xml: string, timestamp: number, options: DeliveryOptions = {},
): Promise<Delivery> {
  const keys = { token: target.token, encodingAesKey: target.encodingAesKey, receiveId: target.receiveId ?? receiveId };
  const tries = Math.max(1, options.tries ?? 3);
  const attempts: Attempt[] = [];
  let query = '';
  let envelope = '';
  for (let i = 0; i < tries; i++) {
    // Each retry is encrypted afresh (new random, nonce) but keeps the event's timestamp, as WeCom's retries do.
    const signed = signedCallback(keys, xml, {
      timestamp: String(timestamp),
      ...(target.agentId !== undefined ? { agentId: target.agentId } : {}),
    });
    query = signed.query;
    envelope = signed.body;
    const attempt = await post(`${target.url}${target.url.includes('?') ? '&' : '?'}${signed.query}`, signed.body, options.timeoutMs ?? 5000);
    attempts.push(attempt);
    if (attempt.status === 200) break;
  }
  const last = attempts.at(-1)!;
  return { url: target.url, status: last.status, body: last.body, attempts, xml, query, envelope };
}

async function post(url: string, body: string, timeoutMs: number): Promise<Attempt> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: '', error: error instanceof Error ? error.message : String(error) };
  }
}
