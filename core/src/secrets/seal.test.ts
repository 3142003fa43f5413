import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isLianjieError, type ErrorCode } from '../errors.ts';
import { createSealer, keyIdOf, parseSecretKey, sealerFromEnv } from './seal.ts';

const key = Buffer.alloc(32, 7);
const sealer = createSealer(key);

/** Runs `fn` and answers the LianjieError it throws. */
function failure(fn: () => unknown): { code: ErrorCode; message: string } {
  try {
    fn();
  } catch (error) {
    if (!isLianjieError(error)) throw error;
    return { code: error.code, message: error.message };
  }
  throw new Error('expected a LianjieError');
}

/** The sealed value with one bit flipped in one byte of part `index` (the parts after the version are base64url). */
function flipped(sealed: string, index: number, byte = 0): string {
  const parts = sealed.split('.');
  if (index === 0) {
    parts[0] = 'w1';
  } else if (index === 1) {
    // The key id is hex text; flip one of its digits.
    parts[1] = (parts[1]![0] === '0' ? '1' : '0') + parts[1]!.slice(1);
  } else {
    const bytes = Buffer.from(parts[index]!, 'base64url');
    bytes[byte] = bytes[byte]! ^ 0x01;
    parts[index] = bytes.toString('base64url');
  }
  return parts.join('.');
}

describe('createSealer', () => {
  it('opens what it sealed, unicode and empty text included', () => {
    for (const plain of ['', 'corpsecret-abc123', '企业微信的密钥 🔐 — naïve \u2028 \0 end', 'x'.repeat(10_000)]) {
      expect(sealer.open(sealer.seal(plain))).toBe(plain);
    }
    // Another sealer on an equal key (a restart) opens it too.
    expect(createSealer(Buffer.alloc(32, 7)).open(sealer.seal('again'))).toBe('again');
  });

  it('writes v1.<keyId>.<iv>.<tag>.<ciphertext>, with a 12-byte IV and a 16-byte tag', () => {
    const parts = sealer.seal('hello').split('.');
    expect(parts).toHaveLength(5);
    expect(parts[0]).toBe('v1');
    expect(parts[1]).toBe(createHash('sha256').update(key).digest('hex').slice(0, 8));
    expect(parts[1]).toBe(sealer.keyId);
    expect(Buffer.from(parts[2]!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(parts[3]!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(parts[4]!, 'base64url')).toHaveLength(5);
    for (const part of parts.slice(2)) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('uses a fresh IV for every seal: sealing the same text twice gives different values', () => {
    const a = sealer.seal('same secret');
    const b = sealer.seal('same secret');
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    const ivs = new Set(Array.from({ length: 200 }, () => sealer.seal('x').split('.')[2]));
    expect(ivs.size).toBe(200);
  });

  it('does not contain the plaintext, as text, as bytes or in base64', () => {
    const plain = 'wecom-corp-secret-0123456789-ABCDEFGHIJ-中文';
    const sealed = sealer.seal(plain);
    expect(sealed).not.toContain(plain);
    expect(sealed).not.toContain(Buffer.from(plain).toString('base64url'));
    expect(sealed).not.toContain(Buffer.from(plain).toString('base64'));
    const everyByte = Buffer.concat(sealed.split('.').slice(2).map((p) => Buffer.from(p, 'base64url')));
    expect(everyByte.includes(Buffer.from(plain))).toBe(false);
    // Nor any 8-byte run of it.
    const bytes = Buffer.from(plain);
    for (let i = 0; i + 8 <= bytes.length; i += 1) expect(everyByte.includes(bytes.subarray(i, i + 8))).toBe(false);
  });

  it('refuses a value altered in any part with a coded error, never a bare GCM error', () => {
    const sealed = sealer.seal('tamper with me');
    expect(failure(() => sealer.open(flipped(sealed, 0))).code).toBe('secret.unreadable');
    // An altered key id names another key: the value claims to be sealed under it.
    expect(failure(() => sealer.open(flipped(sealed, 1))).code).toBe('secret.key_mismatch');
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(sealed.split('.')[index]!, 'base64url').length;
      for (const byte of [0, bytes - 1]) {
        const result = failure(() => sealer.open(flipped(sealed, index, byte)));
        expect(result.code).toBe('secret.unreadable');
        expect(result.message).toMatch(/altered or truncated/);
      }
    }
  });

  it('refuses truncated, extended, re-spelled and malformed values', () => {
    const sealed = sealer.seal('tamper with me');
    const [v, id, iv, tag, ct] = sealed.split('.') as [string, string, string, string, string];
    const bad = [
      '', 'plain text', sealed.slice(0, -1), `${sealed}A`, `${sealed}.extra`, [v, id, iv, tag].join('.'),
      // Bytes cut off: the ciphertext, the tag, the IV.
      [v, id, iv, tag, Buffer.from(ct, 'base64url').subarray(1).toString('base64url')].join('.'),
      [v, id, iv, Buffer.from(tag, 'base64url').subarray(1).toString('base64url'), ct].join('.'),
      [v, id, Buffer.from(iv, 'base64url').subarray(1).toString('base64url'), tag, ct].join('.'),
      // Standard base64 or padding instead of base64url; an upper-case key id.
      [v, id, iv, `${tag}==`, ct].join('.'), [v, id.toUpperCase(), iv, tag, ct].join('.'),
      // The same parts in another order.
      [v, id, tag, iv, ct].join('.'),
    ];
    for (const value of bad) {
      expect(failure(() => sealer.open(value)).code, value).toMatch(/^secret\.(unreadable|key_mismatch)$/);
    }
    expect(failure(() => sealer.open(`${sealed}.extra`)).code).toBe('secret.unreadable');
  });

  it('says a value sealed under another key was, naming both key ids', () => {
    const other = createSealer(Buffer.alloc(32, 8));
    const sealed = other.seal('from the other key');
    const result = failure(() => sealer.open(sealed));
    expect(result.code).toBe('secret.key_mismatch');
    expect(result.message).toContain(other.keyId);
    expect(result.message).toContain(sealer.keyId);
    expect(result.message).toContain('LIANJIE_SECRET_KEY');
    expect(result.message).not.toMatch(/authenticate/i);
  });

  it('refuses a key that is not 32 bytes, and text that UTF-8 cannot carry', () => {
    expect(failure(() => createSealer(Buffer.alloc(16))).code).toBe('secret.key_invalid');
    expect(failure(() => createSealer(Buffer.alloc(33))).code).toBe('secret.key_invalid');
    expect(() => sealer.seal('lone \ud800 surrogate')).toThrow(TypeError);
  });

  it('keeps its own copy of the key', () => {
    const mine = Buffer.alloc(32, 9);
    const s = createSealer(mine);
    const sealed = s.seal('copied');
    mine.fill(0);
    expect(s.open(sealed)).toBe('copied');
  });
});

describe('parseSecretKey', () => {
  const raw = randomBytes(32);

  it('reads base64 (standard or URL-safe, padded or not) and 64 hex characters', () => {
    expect(parseSecretKey(raw.toString('base64'))).toEqual(raw);
    expect(parseSecretKey(raw.toString('base64').replace(/=$/, ''))).toEqual(raw);
    expect(parseSecretKey(raw.toString('base64url'))).toEqual(raw);
    expect(parseSecretKey(raw.toString('hex'))).toEqual(raw);
    expect(parseSecretKey(raw.toString('hex').toUpperCase())).toEqual(raw);
    // A trailing newline, as from a file or `openssl rand -base64 32 > key`.
    expect(parseSecretKey(`${raw.toString('base64')}\n`)).toEqual(raw);
    expect(keyIdOf(parseSecretKey(raw.toString('hex')))).toBe(keyIdOf(parseSecretKey(raw.toString('base64'))));
  });

  it('refuses other lengths and alphabets, naming the variable and what it expects without echoing the value', () => {
    const cases = [
      randomBytes(16).toString('base64'), randomBytes(31).toString('base64'), randomBytes(33).toString('base64'),
      randomBytes(48).toString('base64'), randomBytes(16).toString('hex'), randomBytes(32).toString('hex').slice(1),
      `${randomBytes(32).toString('hex')}00`, 'not a key at all, just a passphrase!!', `${raw.toString('base64').slice(0, 42)}!=`,
    ];
    for (const value of cases) {
      const result = failure(() => parseSecretKey(value));
      expect(result.code).toBe('secret.key_invalid');
      expect(result.message).toContain('LIANJIE_SECRET_KEY');
      expect(result.message).toMatch(/32-byte key .*base64.*64 hex characters/);
      expect(result.message).not.toContain(value);
    }
    expect(failure(() => parseSecretKey(randomBytes(16).toString('hex'))).message).toContain('32 hex characters (16 bytes)');
    expect(failure(() => parseSecretKey(randomBytes(16).toString('base64'))).message).toContain('24 base64 characters (16 bytes)');
  });
});

describe('sealerFromEnv', () => {
  it('builds the sealer from LIANJIE_SECRET_KEY', () => {
    const fromEnv = sealerFromEnv({ LIANJIE_SECRET_KEY: key.toString('base64') });
    expect(fromEnv.keyId).toBe(sealer.keyId);
    expect(fromEnv.open(sealer.seal('shared'))).toBe('shared');
    expect(sealerFromEnv({ LIANJIE_SECRET_KEY: key.toString('hex') }).open(sealer.seal('hex'))).toBe('hex');
  });

  it('says how to make a key when it is unset or empty', () => {
    for (const env of [{}, { LIANJIE_SECRET_KEY: '' }, { LIANJIE_SECRET_KEY: '  \n' }]) {
      const result = failure(() => sealerFromEnv(env));
      expect(result.code).toBe('secret.key_missing');
      expect(result.message).toContain('LIANJIE_SECRET_KEY');
      expect(result.message).toContain('openssl rand -base64 32');
    }
  });

  it('refuses a key of the wrong shape', () => {
    expect(failure(() => sealerFromEnv({ LIANJIE_SECRET_KEY: 'hunter2' })).code).toBe('secret.key_invalid');
  });
});
