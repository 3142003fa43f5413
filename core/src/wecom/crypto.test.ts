import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as wecom from '@wecom/crypto';
import { decrypt, encrypt, parseAesKey, signature, verifySignature } from './crypto.ts';

// Vector set B from WeCom's own documentation (REFERENCE.md §2).
const token = 'QDG6eK';
const corpId = 'wx5823bf96d3bd56c7';
const aes = parseAesKey('jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C');
const echostr = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
const b2Encrypt = 'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';
const b2Plain = '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>';

describe('WeCom callback crypto against the official vectors', () => {
  it('verifies the B1 URL-verification signature and decrypts echostr', () => {
    expect(verifySignature(token, '1409659589', '263014780', echostr, '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3')).toBe(true);
    const opened = decrypt(aes, echostr);
    expect(opened.message.toString()).toBe('1616140317555161061');
    expect(opened.receiveId).toBe(corpId);
    expect(opened.random.toString()).toBe('c41b64491c2468d0');
  });

  it('decrypts B2 byte-exact and re-encrypting with the recovered random reproduces the official ciphertext', () => {
    expect(signature(token, '1409659813', '1372623149', b2Encrypt)).toBe('477715d11cdb4164915debcba66cb864d751f3e6');
    const opened = decrypt(aes, b2Encrypt);
    expect(opened.message.length).toBe(284);
    expect(opened.message.toString()).toBe(b2Plain);
    expect(opened.receiveId).toBe(corpId);
    expect(opened.random.toString()).toBe('0960688932c47ef1');
    // Pad byte 30 proves the 32-byte PKCS#7 block: 16 + 4 + 284 + 18 = 322, padded to 352.
    expect(Buffer.from(b2Encrypt, 'base64').length).toBe(352);
    expect(encrypt(aes, opened.message, corpId, opened.random)).toBe(b2Encrypt);
  });

  it('verifies exactly the signatures @wecom/crypto computes', () => {
    for (const [ts, nonce] of [['1409659813', '1372623149'], ['1', 'abc'], ['1700000000', '42']]) {
      const cipher = encrypt(aes, `m${ts}`, corpId);
      const good = wecom.getSignature(token, ts!, nonce!, cipher);
      expect(verifySignature(token, ts!, nonce!, cipher, good)).toBe(true);
      expect(verifySignature(token, ts!, nonce!, cipher, good.toUpperCase())).toBe(true);
      expect(verifySignature(token, ts!, nonce!, cipher, good.replace(/.$/, (c) => (c === '0' ? '1' : '0')))).toBe(false);
      expect(verifySignature(token, ts!, nonce!, cipher, good.slice(1))).toBe(false);
      expect(verifySignature('other', ts!, nonce!, cipher, good)).toBe(false);
    }
  });

  it('agrees with @wecom/crypto on valid ciphertexts', () => {
    for (const message of ['x', 'hello 你好', '<xml>' + 'a'.repeat(1000) + '</xml>']) {
      const cipher = encrypt(aes, message, corpId);
      expect(decrypt(aes, cipher).message.toString()).toBe(wecom.decrypt(aes.encodingAesKey, cipher).message);
    }
  });

  it('rejects what @wecom/crypto would let through', () => {
    expect(() => decrypt(aes, b2Encrypt.replace('+', '*'))).toThrow(expect.objectContaining({ code: 'wecom.base64_invalid' }));
    expect(() => decrypt(aes, b2Encrypt.slice(0, -1))).toThrow(expect.objectContaining({ code: 'wecom.base64_invalid' }));
    expect(() => decrypt(aes, Buffer.alloc(24).toString('base64'))).toThrow(expect.objectContaining({ code: 'wecom.decrypt_failed' }));
    // A different key decrypts to garbage whose padding does not check out.
    const other = parseAesKey('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG');
    expect(() => decrypt(other, b2Encrypt)).toThrow(expect.objectContaining({ code: 'wecom.decrypt_failed' }));
  });

  it('rejects a message length field that points past the plaintext', () => {
    // 16 random bytes, a length field claiming 256 bytes, then only 12 bytes of message and receive id.
    const body = Buffer.concat([Buffer.alloc(16), Buffer.from([0, 0, 1, 0]), Buffer.from('hi'), Buffer.from(corpId.slice(0, 10))]);
    const pad = 32 - (body.length % 32);
    const cipher = createCipheriv('aes-256-cbc', aes.key, aes.iv).setAutoPadding(false);
    const forged = Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
    expect(() => decrypt(aes, forged)).toThrow(expect.objectContaining({ code: 'wecom.decrypt_failed' }));
  });
});
