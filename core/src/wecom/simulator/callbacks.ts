// The simulator's callback side: builds callbacks signed and encrypted exactly as WeCom sends them.
import { randomBytes } from 'node:crypto';
import { encrypt, parseAesKey, signature } from '../crypto.ts';

export interface CallbackKeys {
  token: string;
  encodingAesKey: string;
  /** corpId for an enterprise app, suiteId for suite callbacks. */
  receiveId: string;
}

export interface SignedCallback {
  /** `msg_signature=…&timestamp=…&nonce=…` (plus `echostr=…` for URL verification), percent-encoded. */
  query: string;
  /** The POST body (empty for URL verification). */
  body: string;
  encrypt: string;
}

export interface SignOptions {
  timestamp?: string;
  nonce?: string;
  /** The 16 random bytes before the message; fresh ones by default. */
  random?: Buffer;
  /** The envelope's ToUserName (defaults to the receive id) and AgentID (omitted by default). */
  toUserName?: string;
  agentId?: string | number;
  format?: 'xml' | 'json';
}

export function signedCallback(keys: CallbackKeys, message: string, options: SignOptions = {}): SignedCallback {
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? String(randomBytes(4).readUInt32BE(0));
  const cipher = encrypt(parseAesKey(keys.encodingAesKey), message, keys.receiveId, options.random);
  const msgSignature = signature(keys.token, timestamp, nonce, cipher);
  const to = options.toUserName ?? keys.receiveId;
  const body = options.format === 'json'
    ? JSON.stringify({ tousername: to, encrypt: cipher, ...(options.agentId !== undefined ? { agentid: String(options.agentId) } : {}) })
    : `<xml><ToUserName><![CDATA[${to}]]></ToUserName><Encrypt><![CDATA[${cipher}]]></Encrypt>` +
      `${options.agentId !== undefined ? `<AgentID><![CDATA[${options.agentId}]]></AgentID>` : ''}</xml>`;
  return { query: queryString({ msg_signature: msgSignature, timestamp, nonce }), body, encrypt: cipher };
}

/** A URL-verification request: WeCom encrypts a random number string as `echostr`. */
export function signedEcho(keys: CallbackKeys, echo: string, options: Omit<SignOptions, 'toUserName' | 'agentId' | 'format'> = {}): SignedCallback {
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? String(randomBytes(4).readUInt32BE(0));
  const cipher = encrypt(parseAesKey(keys.encodingAesKey), echo, keys.receiveId, options.random);
  const msgSignature = signature(keys.token, timestamp, nonce, cipher);
  return { query: queryString({ msg_signature: msgSignature, timestamp, nonce, echostr: cipher }), body: '', encrypt: cipher };
}

export function queryString(params: Record<string, string>): string {
  return Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}
