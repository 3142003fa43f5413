// The `store` capability: a JSON key-value store private to each install, in the host database, with quotas.
//
// Results (plain JSON):
//   get({ key })             → { found: true, value } | { found: false, value: null }   (null is a storable value)
//   set({ key, value })      → { bytes, totalKeys, totalBytes }  the value's size and the install's usage after the write
//   delete({ key })          → { deleted: boolean }               false when there was no such key
//   list({ prefix?, limit }) → { keys: string[] }                 in code-point order, at most `limit` (default 100)
// Sizes are UTF-8 bytes of JSON.stringify(value); keys do not count towards maxBytes (maxKeys bounds them).
import type { KvQuota, PluginKv } from '../store/types.ts';
import { CapabilityFailure, type Capability } from './types.ts';

export interface StoreQuotas extends KvQuota {
  /** Largest single value. */
  maxValueBytes: number;
}

export const defaultStoreQuotas: StoreQuotas = { maxKeys: 1000, maxBytes: 1_048_576, maxValueBytes: 262_144 };

export function createStoreCapability(kv: PluginKv, quotas: StoreQuotas = defaultStoreQuotas): Capability {
  return {
    name: 'store',
    methods: {
      get: {
        permission: 'store',
        async run(args, scope) {
          const { key } = args as { key: string };
          const json = await kv.get(scope.installId, checkedText(key, 'key'));
          return json === null ? { found: false, value: null } : { found: true, value: JSON.parse(json) as unknown };
        },
      },

      set: {
        permission: 'store',
        async run(args, scope) {
          const { key, value } = args as { key: string; value: unknown };
          const json = JSON.stringify(value);
          const bytes = Buffer.byteLength(json, 'utf8');
          if (bytes > quotas.maxValueBytes) {
            throw quotaFailure(`the value for "${key}" is ${bytes} bytes; the maxValueBytes quota allows ${quotas.maxValueBytes} per value`);
          }
          const outcome = await kv.set(scope.installId, checkedText(key, 'key'), json, quotas);
          if (!outcome.ok) {
            const what = outcome.quota === 'maxKeys' ? 'keys' : 'bytes';
            throw quotaFailure(
              `setting "${key}" would bring the install to ${outcome.wouldBe} ${what}; the ${outcome.quota} quota is ` +
                `${outcome.limit} and the install holds ${outcome.current} now`,
            );
          }
          return { bytes: outcome.bytes, totalKeys: outcome.usage.keys, totalBytes: outcome.usage.bytes };
        },
      },

      delete: {
        permission: 'store',
        async run(args, scope) {
          const { key } = args as { key: string };
          return { deleted: await kv.delete(scope.installId, checkedText(key, 'key')) };
        },
      },

      list: {
        permission: 'store',
        async run(args, scope) {
          const { prefix = '', limit } = args as { prefix?: string; limit: number };
          return { keys: await kv.list(scope.installId, { prefix: checkedText(prefix, 'prefix'), limit }) };
        },
      },
    },
  };
}

/**
 * Refuses half a surrogate pair, which the schema's pattern cannot see: the two databases would store it
 * differently (PostgreSQL as U+FFFD), so a key written on one would not be the key read back on the other.
 */
function checkedText(text: string, name: string): string {
  if (/\p{Cs}/u.test(text)) throw new CapabilityFailure('capability.args_invalid', `${name} contains half of a surrogate pair`);
  return text;
}

function quotaFailure(message: string): CapabilityFailure {
  return new CapabilityFailure('store.quota_exceeded', `store quota exceeded: ${message}`);
}
