// The plugin store's quota rule, shared by both dialects so that they refuse exactly the same writes.
import type { KvQuota, KvSetOutcome, KvUsage } from './types.ts';

/** UTF-8 length of a value's JSON text: what the byte quota counts. */
export function jsonBytes(json: string): number {
  return Buffer.byteLength(json, 'utf8');
}

/**
 * Judges writing `bytes` under a key that now holds `existingBytes` (null: a new key), given the install's usage.
 * Replacing a key swaps its old size for the new one and keeps the key count. A write is refused only when it takes
 * a total past its quota *and* makes it larger: an install left over a lowered quota may still shrink or replace
 * values (and delete keys) to get back under it.
 */
export function judgeKvWrite(usage: KvUsage, existingBytes: number | null, bytes: number, quota: KvQuota): KvSetOutcome {
  const keys = usage.keys + (existingBytes === null ? 1 : 0);
  const total = usage.bytes - (existingBytes ?? 0) + bytes;
  if (keys > quota.maxKeys && keys > usage.keys) {
    return { ok: false, quota: 'maxKeys', limit: quota.maxKeys, current: usage.keys, wouldBe: keys };
  }
  if (total > quota.maxBytes && total > usage.bytes) {
    return { ok: false, quota: 'maxBytes', limit: quota.maxBytes, current: usage.bytes, wouldBe: total };
  }
  return { ok: true, bytes, usage: { keys, bytes: total } };
}
