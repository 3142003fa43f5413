// Secrets at rest: AES-256-GCM under one 32-byte key from LIANJIE_SECRET_KEY. A sealed value names the key it was
// sealed under (the first 8 hex of the key's sha256), so opening it under another key says so instead of failing
// as an unexplained authentication error.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { LianjieError } from '../errors.ts';

/** The environment variable holding the key. */
export const secretKeyVariable = 'LIANJIE_SECRET_KEY';

const version = 'v1';
const keyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;
const expected = 'a 32-byte key written as base64 (44 characters) or as 64 hex characters';
/** In a `u` pattern a paired surrogate is one code point, so only a lone one matches. */
const loneSurrogate = /\p{Cs}/u;
const makeOne = 'make one with `openssl rand -base64 32`';

export interface Sealer {
  /** The first 8 hex characters of sha256(key), written into every sealed value. */
  readonly keyId: string;
  /** `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts), under a fresh random IV each time. */
  seal(plain: string): string;
  /** The text sealed, or a LianjieError: `secret.key_mismatch` under another key, `secret.unreadable` otherwise. */
  open(sealed: string): string;
}

/** The first 8 hex characters of the key's sha256: names the key without revealing it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * The key written as 64 hex characters, or as base64 (standard or URL-safe alphabet) of 32 bytes; surrounding
 * whitespace is ignored. The error describes what was given by its shape only, never by its characters.
 */
export function parseSecretKey(text: string): Buffer {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(value) || /^[A-Za-z0-9_-]{43}$/.test(value)) return Buffer.from(value, 'base64');
  throw new LianjieError('secret.key_invalid', `${secretKeyVariable} must be ${expected}, but it is ${shapeOf(value)}; ${makeOne}.`);
}

function shapeOf(value: string): string {
  if (value.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(value)) return `${value.length} hex characters (${value.length / 2} bytes)`;
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return `${value.length} base64 characters (${Buffer.from(value, 'base64').length} bytes)`;
  return `${value.length} characters that are neither hex nor base64`;
}

export function createSealer(key: Buffer): Sealer {
  if (key.length !== keyBytes) {
    throw new LianjieError('secret.key_invalid', `The secret key must be ${keyBytes} bytes, not ${key.length}.`);
  }
  // A copy: the caller zeroing or reusing its buffer must not change what this sealer opens.
  const secret = Buffer.from(key);
  const keyId = keyIdOf(secret);
  const header = `${version}.${keyId}`;
  // The header is authenticated too: a value cannot be passed off as another version or key.
  const aad = Buffer.from(header, 'utf8');

  return {
    keyId,

    seal(plain) {
      // A lone surrogate would be replaced by U+FFFD in UTF-8, and what opens would not be what was sealed.
      if (typeof plain !== 'string' || loneSurrogate.test(plain)) throw new TypeError('seal() takes well-formed Unicode text');
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', secret, iv, { authTagLength: tagBytes });
      cipher.setAAD(aad);
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [header, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
    },

    open(sealed) {
      const parts = typeof sealed === 'string' ? sealed.split('.') : [];
      if (parts.length !== 5 || parts[0] !== version || !/^[0-9a-f]{8}$/.test(parts[1]!)) {
        throw unreadable(`The stored secret is not a sealed value (${version}.<key id>.<iv>.<tag>.<ciphertext>).`);
      }
      const [, sealedKeyId, ivText, tagText, ciphertextText] = parts as [string, string, string, string, string];
      if (sealedKeyId !== keyId) {
        throw new LianjieError(
          'secret.key_mismatch',
          `The stored secret was sealed under key ${sealedKeyId}, but ${secretKeyVariable} is key ${keyId}: set the key it was sealed with, or enter the secret again.`,
        );
      }
      const iv = fromBase64url(ivText);
      const tag = fromBase64url(tagText);
      const ciphertext = fromBase64url(ciphertextText);
      if (iv?.length !== ivBytes || tag?.length !== tagBytes || ciphertext === undefined) {
        throw unreadable('The stored secret is not a sealed value: its iv, tag or ciphertext is not base64url of the right length.');
      }
      const decipher = createDecipheriv('aes-256-gcm', secret, iv, { authTagLength: tagBytes });
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      } catch (cause) {
        throw unreadable(`The stored secret fails its authentication check under key ${keyId}: it was altered or truncated.`, cause);
      }
      return plain.toString('utf8');
    },
  };
}

/**
 * The sealer for the key in `LIANJIE_SECRET_KEY`; throws `secret.key_missing` when it is unset or empty and
 * `secret.key_invalid` when it is not a 32-byte key.
 */
export function sealerFromEnv(env: Record<string, string | undefined> = process.env): Sealer {
  const value = env[secretKeyVariable];
  if (value === undefined || value.trim() === '') {
    throw new LianjieError(
      'secret.key_missing',
      `${secretKeyVariable} is not set: the host seals secrets at rest with ${expected}. ` +
        `Make one with \`openssl rand -base64 32\` and keep it outside the database; without it sealed secrets cannot be opened.`,
    );
  }
  return createSealer(parseSecretKey(value));
}

function unreadable(message: string, cause?: unknown): LianjieError {
  return new LianjieError('secret.unreadable', message, [], cause === undefined ? undefined : { cause });
}

/** Strict base64url: only its alphabet, no padding, and only the one spelling of the bytes. */
function fromBase64url(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
