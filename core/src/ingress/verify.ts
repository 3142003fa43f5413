// The checks every callback passes before it is acknowledged: parameters, envelope, signature, then the
// cheap part of decryption (padding and receive id), so that a bad callback gets a clear answer at once.
import { LianjieError, isLianjieError } from '../errors.ts';
import { decrypt, verifySignature, type Decrypted } from '../wecom/crypto.ts';
import { parseEnvelope } from '../wecom/envelope.ts';
import type { InboxEnvelope } from '../store/types.ts';
import type { CallbackTarget } from './directory.ts';

export interface SignedParams {
  msgSignature: string;
  timestamp: string;
  nonce: string;
}

export function signedParams(query: Map<string, string>): SignedParams {
  const missing = ['msg_signature', 'timestamp', 'nonce'].filter((name) => !query.get(name));
  if (missing.length > 0) {
    throw new LianjieError('request.invalid', `missing query parameter ${missing.join(', ')}`,
      missing.map((name) => ({ pointer: `/query/${name}`, message: 'is required' })));
  }
  const params = { msgSignature: query.get('msg_signature')!, timestamp: query.get('timestamp')!, nonce: query.get('nonce')! };
  const malformed = [
    ['msg_signature', /^[0-9a-fA-F]{40}$/.test(params.msgSignature), '40 hex digits'],
    ['timestamp', /^\d{1,20}$/.test(params.timestamp), 'decimal digits'],
    ['nonce', /^[\x21-\x7e]{1,128}$/.test(params.nonce), '1 to 128 printable ASCII characters'],
  ] as const;
  const details = malformed.filter(([, ok]) => !ok).map(([name, , expected]) => ({ pointer: `/query/${name}`, message: `must be ${expected}` }));
  if (details.length > 0) throw new LianjieError('request.invalid', `malformed ${details.map((d) => d.pointer.slice(7)).join(', ')}`, details);
  return params;
}

/** GET URL verification: returns the decrypted echostr, to be answered as the bare body. */
export function verifyEcho(target: CallbackTarget, query: Map<string, string>): Buffer {
  const params = signedParams(query);
  const echostr = query.get('echostr');
  if (!echostr) throw new LianjieError('request.invalid', 'missing query parameter echostr', [{ pointer: '/query/echostr', message: 'is required' }]);
  assertSigned(target, params, echostr);
  return openCiphertext(target, echostr).message;
}

export interface CheckedCallback {
  envelope: InboxEnvelope;
  /** Set when the callback verified but cannot be decoded: it is kept as a dead letter and answered with this error. */
  failure?: LianjieError;
}

export type CallbackOrigin = Pick<InboxEnvelope, 'route' | 'tenantId' | 'appId' | 'suiteId'>;

/** POST callback: throws for anything unverified (nothing is kept); returns the envelope to keep otherwise. */
export function checkCallback(target: CallbackTarget, origin: CallbackOrigin, query: Map<string, string>, body: string, now: number): CheckedCallback {
  const params = signedParams(query);
  const envelope = parseEnvelope(body);
  if (target.route === 'app') assertAddressedTo(target, envelope.toUserName, envelope.agentId);
  assertSigned(target, params, envelope.encrypt);
  const kept: InboxEnvelope = { ...origin, ...params, encrypt: envelope.encrypt, receivedAt: now };
  try {
    openCiphertext(target, envelope.encrypt);
    return { envelope: kept };
  } catch (error) {
    if (!isLianjieError(error)) throw error;
    return { envelope: { ...kept, deadLetter: { code: error.code, message: error.message } }, failure: error };
  }
}

/** Decrypts and checks the receive id; the decoder calls this again after the acknowledgement. */
export function openCiphertext(target: CallbackTarget, encrypt: string): Decrypted {
  const opened = decrypt(target.aes, encrypt);
  if (!target.receiveIds.includes(opened.receiveId)) {
    throw new LianjieError('wecom.receive_id_mismatch', `receive id "${opened.receiveId}" is not ${target.receiveIds.map((id) => `"${id}"`).join(' or ')}`);
  }
  return opened;
}

function assertSigned(target: CallbackTarget, params: SignedParams, encrypt: string): void {
  if (!verifySignature(target.token, params.timestamp, params.nonce, encrypt, params.msgSignature)) {
    throw new LianjieError('wecom.signature_mismatch', 'msg_signature does not match the token, timestamp, nonce and ciphertext');
  }
}

// The envelope's addressing lies outside the signature, so a mismatch is refused before anything is kept.
function assertAddressedTo(target: CallbackTarget, toUserName?: string, agentId?: string): void {
  if (toUserName !== undefined && !target.receiveIds.includes(toUserName)) {
    throw new LianjieError('wecom.envelope_invalid', `ToUserName "${toUserName}" is not this app's corp`);
  }
  const expected = target.app?.agentId;
  if (agentId !== undefined && agentId !== '' && expected !== undefined && agentId !== String(expected)) {
    throw new LianjieError('wecom.envelope_invalid', `AgentID "${agentId}" is not this app's agent`);
  }
}
