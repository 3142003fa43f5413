// The raw SQL of the PostgreSQL write paths. Every batch is passed as one array per column through unnest(),
// so each step is one statement with a fixed text (preparable once) whatever the batch size, far from the 65535-parameter cap.
import type { EventValues, RowResult } from '../decode-plan.ts';
import { inboxColumns, type InboxValues } from '../rows.ts';

const inboxTypes = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'text', 'text', 'text', 'bigint'];

export const appendInboxSql = `INSERT INTO inbox (${inboxColumns.map((c) => `"${c}"`).join(', ')})
  SELECT * FROM unnest(${inboxTypes.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;

/** Column-wise arrays of the rows, in inboxColumns order. */
export function inboxArrays(rows: InboxValues[]): unknown[][] {
  return inboxColumns.map((_, column) => rows.map((row) => row[column]));
}

// SKIP LOCKED lets several hosts drain the inbox at once: each takes the oldest rows no one else holds.
export const claimSql = `SELECT id, route, tenant_id AS "tenantId", app_id AS "appId", suite_id AS "suiteId",
    msg_signature AS "msgSignature", "timestamp", nonce, encrypt, received_at AS "receivedAt", status,
    error_code AS "errorCode", error_message AS "errorMessage", event_id AS "eventId", processed_at AS "processedAt"
  FROM inbox WHERE status = 'pending' ORDER BY received_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`;

// Inserting in dedup-key order makes concurrent batches wait on shared keys in the same order, so they cannot deadlock.
// No conflict target: a clash on the dedup key is a redelivery, a clash on the id is settled as dead; neither throws.
export const insertEventsSql = `INSERT INTO events (id, tenant_id, app_id, suite_id, type, occurred_at, received_at, dedup_key, data, raw, inbox_id)
  SELECT id, tenant_id, app_id, suite_id, type, occurred_at, received_at, dedup_key, data::jsonb, raw, inbox_id
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[],
    $9::text[], $10::text[], $11::text[])
    AS u(id, tenant_id, app_id, suite_id, type, occurred_at, received_at, dedup_key, data, raw, inbox_id)
  ORDER BY dedup_key
  ON CONFLICT DO NOTHING
  RETURNING id, dedup_key`;

export function eventArrays(events: EventValues[]): unknown[][] {
  return [
    events.map((e) => e.id), events.map((e) => e.tenantId), events.map((e) => e.appId), events.map((e) => e.suiteId),
    events.map((e) => e.type), events.map((e) => e.occurredAt), events.map((e) => e.receivedAt),
    events.map((e) => e.dedupKey), events.map((e) => e.data), events.map((e) => e.raw), events.map((e) => e.inboxId),
  ];
}

export const findEventsSql = 'SELECT id, dedup_key FROM events WHERE dedup_key = ANY($1::text[])';

export const markRowsSql = `UPDATE inbox AS i
  SET status = u.status, event_id = u.event_id, error_code = u.error_code, error_message = u.error_message, processed_at = $6
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, status, event_id, error_code, error_message)
  WHERE i.id = u.id`;

export function markArrays(results: RowResult[], now: number): unknown[] {
  return [
    results.map((r) => r.id), results.map((r) => r.status), results.map((r) => r.eventId),
    results.map((r) => r.errorCode), results.map((r) => r.errorMessage), now,
  ];
}
