// Builders shared by the store contract: envelopes, the events a decoder makes of them, and a few decoders.
import { afterEach, beforeEach } from 'vitest';
import { newId } from '../../core/src/ids.ts';
import type { CanonicalEvent, DecodeOutcome, InboxEnvelope, InboxRow, Store } from '../../core/src/store/types.ts';

export interface StoreHandle {
  store: Store;
  /** Another Store on the same database, as a second process (or a restart) would open it; the test closes it. */
  reopen(): Store;
  /** Closes `store` and removes the database. */
  cleanup(): Promise<void>;
}

export const t0 = Date.parse('2025-01-02T03:04:05.678Z');
export const iso = (ms: number): string => new Date(ms).toISOString();

let counter = 0;

/** A pending app envelope; `nonce` is what the default decoder uses as the dedup key. */
export function envelope(overrides: Partial<InboxEnvelope> = {}): InboxEnvelope {
  counter += 1;
  return {
    route: 'app', tenantId: 'acme', appId: 'crm', suiteId: null,
    msgSignature: `sig${counter}`, timestamp: '1409659813', nonce: `nonce-${counter}`,
    encrypt: `ZW5jcnlwdGVk${counter}==`, receivedAt: t0 + counter, ...overrides,
  };
}

export function eventFor(row: InboxRow, overrides: Partial<CanonicalEvent> = {}): CanonicalEvent {
  return {
    id: newId('evt'), tenantId: row.tenantId, appId: row.appId, suiteId: row.suiteId, type: 'message.text',
    occurredAt: iso(row.receivedAt - 1000), receivedAt: iso(row.receivedAt), dedupKey: row.nonce,
    data: { encrypt: row.encrypt }, ...overrides,
  };
}

/** Decodes every row to an event keyed by its nonce, and records the order rows were seen in. */
export function recordingDecoder(make: (row: InboxRow) => DecodeOutcome = (row) => ({ kind: 'event', event: eventFor(row), raw: `<xml>${row.encrypt}</xml>` })) {
  const seen: InboxRow[] = [];
  const decode = (row: InboxRow): DecodeOutcome => {
    seen.push(row);
    return make(row);
  };
  return { seen, decode };
}

/** Data that a lossy store would alter: nesting, arrays, unicode, escapes, numbers at the edges. */
export const trickyData = {
  text: '你好，世界 — 中文消息 😀 ',
  nested: { list: [1, 'two', { three: [3, null, true, false] }], empty: {}, none: [] },
  quotes: 'He said "hi" \\ back\\slash \n newline \t tab \u2028 sep',
  numbers: { zero: 0, negative: -12.5, big: 9007199254740991, small: 1e-7, exp: 6.02e23 },
  keysInOrder: { zebra: 1, apple: 2, 中文键: 3, 'a.b': 4, '': 5 },
  backslashU: '\\u0000 is six characters, not NUL',
};

/** A decrypted message with everything a re-encoding would disturb. */
export const trickyRaw =
  '<xml>\r\n\t<ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\r\n' +
  '\t<Content><![CDATA[中文 😀 & <b>not a tag</b> \\ "q" \'s\']]></Content>  \n</xml>\n \u00a0';

/** A fresh, migrated store for each test of the calling suite, cleaned up after it. */
export function useMigratedStore(makeStore: () => Promise<StoreHandle>): { readonly store: Store; readonly handle: StoreHandle } {
  let handle: StoreHandle;
  beforeEach(async () => {
    handle = await makeStore();
    await handle.store.migrate();
  });
  afterEach(() => handle.cleanup());
  return {
    get store() {
      return handle.store;
    },
    get handle() {
      return handle;
    },
  };
}
