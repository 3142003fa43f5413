// Opaque ids and secrets the simulator hands out, shaped like WeCom's so clients that store or log them see realistic values.
import { randomBytes } from 'node:crypto';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function letters(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** Tokens, codes and tickets: WeCom's are long URL-safe strings ("最长为512字节"); 64 random bytes make 86 characters. */
export function secretString(): string {
  return randomBytes(64).toString('base64url');
}

/** `wm…` is a WeChat customer's external_userid (`wo…` is the other documented prefix), 32 characters in all. */
export function externalUserId(): string {
  return `wm${letters(30)}`;
}

/** Corp tag and tag-group ids start `et` (e.g. `etAJ2GCAAAXtWyujaWJHDDGi0mACHAAA`). */
export function tagId(): string {
  return `et${letters(30)}`;
}

/** Customer group ids start `wr` (e.g. `wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA`). */
export function chatId(): string {
  return `wr${letters(30)}`;
}

/** Contact-way config ids are 32 hex digits. */
export function configId(): string {
  return randomBytes(16).toString('hex');
}

export function massMsgId(): string {
  return `msg${letters(29)}`;
}

export function messageId(): string {
  return letters(40);
}
