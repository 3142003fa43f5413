// The `log` capability: a plugin's log lines as host log records, attributed to its tenant, install and run.
import type { Logger } from '../ops/logger.ts';
import { attribution, type Capability, type CapabilityMethod } from './types.ts';

/** Serialized size allowed for one record's fields; the schema caps the message and the number of fields. */
export const maxFieldsBytes = 4096;

interface Entry {
  message: string;
  fields?: Record<string, unknown>;
}

const levels = ['debug', 'info', 'warn', 'error'] as const;

export function createLogCapability(logger: Logger): Capability {
  const methods: Record<string, CapabilityMethod> = {};
  for (const level of levels) {
    methods[level] = {
      permission: null,
      async run(args, scope) {
        const { message, fields } = args as Entry;
        // Nested under `fields`, the plugin's keys cannot overwrite the attribution (and the host's redaction of
        // secret-looking keys such as `token` still reaches them one level down).
        const capped = fields === undefined ? undefined : capFields(fields, maxFieldsBytes);
        logger[level]({ source: 'plugin', ...attribution(scope), fields: capped?.fields, fieldsTruncated: capped?.truncated || undefined }, message);
        return null;
      },
    };
  }
  return { name: 'log', methods };
}

/**
 * Keeps fields in order while their JSON fits in `maxBytes`; the first that does not fit is cut (as text) to the
 * room left, and the rest are dropped. A plugin that logs too much loses the tail of that record, never the record.
 */
export function capFields(fields: Record<string, unknown>, maxBytes: number): { fields: Record<string, unknown>; truncated: boolean } {
  if (size(fields) <= maxBytes) return { fields, truncated: false };
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    kept[key] = value;
    if (size(kept) <= maxBytes) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const cut = longestFit(text, (prefix) => {
      kept[key] = `${prefix}…`;
      return size(kept) <= maxBytes;
    });
    if (cut === null) delete kept[key];
    else kept[key] = `${cut}…`;
    break;
  }
  return { fields: kept, truncated: true };
}

/** The longest prefix of `text` (never splitting a surrogate pair) that `fits`, or null when not even an empty one does. */
function longestFit(text: string, fits: (prefix: string) => boolean): string | null {
  if (!fits('')) return null;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(prefixOf(text, mid))) low = mid;
    else high = mid - 1;
  }
  return prefixOf(text, low);
}

function prefixOf(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  // A high surrogate at the end would leave half a character.
  return code >= 0xd800 && code <= 0xdbff ? text.slice(0, length - 1) : text.slice(0, length);
}

function size(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
