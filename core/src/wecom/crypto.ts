// WeCom's callback crypto (WXBizMsgCrypt): SHA-1 signatures and AES-256-CBC with 32-byte PKCS#7 blocks.
// Signing and encryption come from WeCom's own package; decryption is ours because that package accepts
// bad padding, lenient base64 and out-of-range lengths without complaint (see docs/decisions.md).
import { createDecipheriv, createSecretKey, hash, timingSafeEqual, type Decipheriv, type KeyObject } from 'node:crypto';
import { encrypt as wecomEncrypt, getSignature } from '@wecom/crypto';
import { LianjieError } from '../errors.ts';

export interface AesKey {
  key: KeyObject;
  iv: Buffer;
  /** The EncodingAESKey it came from, for the encrypting side. */
  encodingAesKey: string;
  /**
   * AES-256 in ECB mode, kept for the life of the key. CBC decryption is ECB decryption XOR the previous
   * ciphertext block, and ECB holds no state between whole blocks, so one decipher serves every callback:
   * creating a CBC decipher per callback cost ~13 µs, this ~3 µs (measured on 500-byte messages).
   */
  blockDecipher: Decipheriv;
}

export interface Decrypted {
  /** The message exactly as encrypted (XML or JSON). */
  message: Buffer;
  receiveId: string;
  /** The 16 random bytes that prefix the plaintext. */
  random: Buffer;
}

/** `AESKey = base64(EncodingAESKey + "=")`, IV = its first 16 bytes. Parse once per app, not per callback. */
export function parseAesKey(encodingAesKey: string): AesKey {
  if (!/^[A-Za-z0-9]{43}$/.test(encodingAesKey)) throw new Error('EncodingAESKey must be 43 letters or digits');
  const raw = Buffer.from(`${encodingAesKey}=`, 'base64');
  const key = createSecretKey(raw);
  const blockDecipher = createDecipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  return { key, iv: raw.subarray(0, 16), encodingAesKey, blockDecipher };
}

/** `sha1(sort([token, timestamp, nonce, encrypt]).join(''))` in lower-case hex, as `@wecom/crypto`'s getSignature. */
export function signature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return getSignature(token, timestamp, nonce, encrypt);
}

/**
 * The same SHA-1, computed one-shot and compared as 20 raw bytes in constant time: on the acknowledgement path this
 * is a third cheaper than hashing through getSignature and comparing hex strings (measured: 6.1 → 4.4 µs).
 */
export function verifySignature(token: string, timestamp: string, nonce: string, encrypt: string, given: string): boolean {
  if (!/^[0-9a-fA-F]{40}$/.test(given)) return false;
  const expected = hash('sha1', [token, timestamp, nonce, encrypt].sort().join(''), 'buffer');
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

/** Decrypts strictly: base64 alphabet and length, block size, PKCS#7 padding and the length field are all checked. */
export function decrypt(aes: AesKey, encrypt: string): Decrypted {
  const cipherText = Buffer.from(encrypt, 'base64');
  // Node's decoder skips characters outside the alphabet; only canonical base64 survives the round trip.
  if (cipherText.length === 0 || cipherText.toString('base64') !== encrypt) {
    throw new LianjieError('wecom.base64_invalid', 'Encrypt is not valid base64');
  }
  if (cipherText.length % 16 !== 0) {
    throw new LianjieError('wecom.decrypt_failed', `ciphertext is ${cipherText.length} bytes, not a multiple of the AES block`);
  }
  const plain = aes.blockDecipher.update(cipherText);
  for (let i = 0; i < plain.length; i++) plain[i]! ^= i < 16 ? aes.iv[i]! : cipherText[i - 16]!;
  const pad = plain[plain.length - 1] ?? 0;
  if (pad < 1 || pad > 32 || pad > plain.length || !plain.subarray(plain.length - pad).every((b) => b === pad)) {
    throw new LianjieError('wecom.decrypt_failed', 'bad PKCS#7 padding (wrong key or corrupted ciphertext)');
  }
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < 20) throw new LianjieError('wecom.decrypt_failed', 'plaintext is shorter than its 20-byte header');
  const length = body.readUInt32BE(16);
  if (length > body.length - 20) {
    throw new LianjieError('wecom.decrypt_failed', `message length field ${length} exceeds the ${body.length - 20} bytes present`);
  }
  return {
    random: body.subarray(0, 16),
    message: body.subarray(20, 20 + length),
    receiveId: body.subarray(20 + length).toString('utf8'),
  };
}

/** Encrypts as WeCom does; `random` defaults to 16 fresh bytes. Used by the simulator, tests and passive replies. */
export function encrypt(aes: AesKey, message: string | Buffer, receiveId: string, random?: Buffer): string {
  // The package's typings want a string; it only ever passes the value to Buffer.from, which takes both.
  return wecomEncrypt(aes.encodingAesKey, message as string, receiveId, random);
}
