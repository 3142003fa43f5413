// Conversions between the store's interface types and the rows both dialects keep (epoch ms in, ISO strings out).
import type { InboxEnvelope, InboxRow, InboxStatus, StoredEvent } from './types.ts';

/** The inbox columns in the order the raw INSERTs of both dialects list them. */
export const inboxColumns = [
  'id', 'route', 'tenant_id', 'app_id', 'suite_id', 'msg_signature', 'timestamp', 'nonce', 'encrypt',
  'received_at', 'status', 'error_code', 'error_message', 'processed_at',
] as const;

export type InboxValues = [
  id: string, route: string, tenantId: string | null, appId: string | null, suiteId: string | null,
  msgSignature: string, timestamp: string, nonce: string, encrypt: string, receivedAt: number,
  status: InboxStatus, errorCode: string | null, errorMessage: string | null, processedAt: number | null,
];

/** Dead letters are judged at ingress, so they are "processed" when appended. */
export function inboxValues(id: string, e: InboxEnvelope, now: number): InboxValues {
  const dead = e.deadLetter;
  return [
    id, e.route, e.tenantId ?? null, e.appId ?? null, e.suiteId ?? null, e.msgSignature, e.timestamp, e.nonce,
    e.encrypt, e.receivedAt, dead ? 'dead' : 'pending', dead?.code ?? null, dead?.message ?? null, dead ? now : null,
  ];
}

/** An inbox row as drizzle returns it for either dialect's table (PostgreSQL bigints may arrive as strings). */
export type InboxRecord = Omit<InboxRow, 'receivedAt' | 'processedAt'> & { receivedAt: number | string; processedAt: number | string | null };

export function toInboxRow(r: InboxRecord): InboxRow {
  return {
    id: r.id, route: r.route, tenantId: r.tenantId, appId: r.appId, suiteId: r.suiteId,
    msgSignature: r.msgSignature, timestamp: r.timestamp, nonce: r.nonce, encrypt: r.encrypt,
    receivedAt: Number(r.receivedAt), status: r.status, errorCode: r.errorCode, errorMessage: r.errorMessage,
    eventId: r.eventId, processedAt: r.processedAt === null ? null : Number(r.processedAt),
  };
}

/** An event row as drizzle returns it for either dialect's table: epoch ms, data already parsed. */
export type EventRecord = Omit<StoredEvent, 'occurredAt' | 'receivedAt'> & { occurredAt: number; receivedAt: number };

export function toStoredEvent(r: EventRecord): StoredEvent {
  return {
    id: r.id, tenantId: r.tenantId, appId: r.appId, suiteId: r.suiteId, type: r.type,
    occurredAt: new Date(Number(r.occurredAt)).toISOString(), receivedAt: new Date(Number(r.receivedAt)).toISOString(),
    dedupKey: r.dedupKey, data: r.data, raw: r.raw, inboxId: r.inboxId,
  };
}

/** Negative, fractional or missing limits become a whole number of rows, never a database error. */
export function rowLimit(limit: number | undefined, fallback = 100): number {
  const n = limit === undefined ? fallback : Math.floor(limit);
  return Number.isFinite(n) && n > 0 ? n : 0;
}
