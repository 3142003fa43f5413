// Runs the caller's decoder over claimed rows and turns every outcome, even a throw or a malformed event, into a row
// we can write: one bad row must become a dead letter, never an exception that rolls back (and so re-blocks) the batch.
import type { EventRecord } from './rows.ts';
import type { CanonicalEvent, DecodeBatchResult, DecodeOutcome, InboxRow } from './types.ts';

/** An event as both dialects insert it: epoch ms, data as JSON text. */
export type EventValues = Omit<EventRecord, 'data'> & { data: string };

export type RowPlan =
  | { row: InboxRow; kind: 'event'; event: EventValues }
  | { row: InboxRow; kind: 'dead'; code: string; message: string };

export interface RowResult {
  id: string;
  status: 'done' | 'dead';
  eventId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export function planRows(rows: InboxRow[], decode: (row: InboxRow) => DecodeOutcome): RowPlan[] {
  return rows.map((row) => planRow(row, decode));
}

function planRow(row: InboxRow, decode: (row: InboxRow) => DecodeOutcome): RowPlan {
  let outcome: DecodeOutcome;
  try {
    outcome = decode(row);
  } catch (error) {
    return { row, kind: 'dead', code: 'internal', message: `decode threw: ${describe(error)}` };
  }
  if (outcome?.kind === 'dead') return { row, kind: 'dead', code: String(outcome.code), message: String(outcome.message) };
  if (outcome?.kind !== 'event') {
    return { row, kind: 'dead', code: 'internal', message: 'decode returned neither an event nor a dead letter' };
  }
  const event = eventValues(outcome.event, outcome.raw, row.id);
  return typeof event === 'string' ? { row, kind: 'dead', code: 'internal', message: event } : { row, kind: 'event', event };
}

/** The event as stored, or why it cannot be stored exactly (an error string). */
function eventValues(e: CanonicalEvent, raw: unknown, inboxId: string): EventValues | string {
  if (typeof e !== 'object' || e === null) return 'decode returned an event that is not an object';
  for (const key of ['id', 'type', 'dedupKey'] as const) {
    if (typeof e[key] !== 'string' || e[key] === '') return `event ${key} must be a non-empty string`;
  }
  for (const key of ['tenantId', 'appId', 'suiteId'] as const) {
    if (e[key] != null && typeof e[key] !== 'string') return `event ${key} must be a string or null`;
  }
  const occurredAt = Date.parse(e.occurredAt);
  const receivedAt = Date.parse(e.receivedAt);
  if (!Number.isFinite(occurredAt)) return 'event occurredAt is not a date';
  if (!Number.isFinite(receivedAt)) return 'event receivedAt is not a date';
  if (typeof e.data !== 'object' || e.data === null || Array.isArray(e.data)) return 'event data must be an object';
  if (typeof raw !== 'string') return 'raw must be a string';
  let data: string;
  try {
    data = JSON.stringify(e.data);
  } catch (error) {
    return `event data is not JSON: ${describe(error)}`;
  }
  const values: EventValues = {
    id: e.id, tenantId: e.tenantId ?? null, appId: e.appId ?? null, suiteId: e.suiteId ?? null, type: e.type,
    occurredAt, receivedAt, dedupKey: e.dedupKey, data, raw, inboxId,
  };
  // PostgreSQL rejects NUL and lone surrogates, and SQLite's UTF-8 would silently alter a lone surrogate:
  // refuse them in both so an event is either stored exactly or not at all, whichever database is behind us.
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string' && unstorableText(value)) return `event ${key} contains NUL or a lone surrogate`;
  }
  if (escapedUnstorable.test(data)) return 'event data contains NUL or a lone surrogate';
  return values;
}

const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** JSON.stringify writes NUL and lone surrogates as \u escapes; an odd run of backslashes means a real escape. */
const escapedUnstorable = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

function unstorableText(value: string): boolean {
  return unstorable.test(value);
}

/**
 * Settles each plan given which events the insert wrote (dedup key → id) and which already existed.
 * A row whose event was neither written nor found (its id belongs to another event) becomes a dead letter.
 */
export function settle(
  plans: RowPlan[],
  inserted: Map<string, string>,
  existing: Map<string, string>,
): { results: RowResult[]; batch: DecodeBatchResult } {
  const batch: DecodeBatchResult = { processed: plans.length, inserted: 0, duplicates: 0, dead: 0, receivedAt: [] };
  const claimed = new Set<string>();
  const results = plans.map((plan): RowResult => {
    batch.receivedAt.push(plan.row.receivedAt);
    if (plan.kind === 'dead') {
      batch.dead += 1;
      return { id: plan.row.id, status: 'dead', eventId: null, errorCode: plan.code, errorMessage: plan.message };
    }
    const { dedupKey, id } = plan.event;
    if (inserted.get(dedupKey) === id && !claimed.has(dedupKey)) {
      // The first plan with this key wrote it; a later one in the same batch is a redelivery of it.
      claimed.add(dedupKey);
      batch.inserted += 1;
      return { id: plan.row.id, status: 'done', eventId: id, errorCode: null, errorMessage: null };
    }
    const existingId = inserted.get(dedupKey) ?? existing.get(dedupKey);
    if (existingId !== undefined) {
      batch.duplicates += 1;
      return { id: plan.row.id, status: 'done', eventId: existingId, errorCode: null, errorMessage: null };
    }
    batch.dead += 1;
    const message = `event id ${id} is already used by an event with another dedup key`;
    return { id: plan.row.id, status: 'dead', eventId: null, errorCode: 'internal', errorMessage: message };
  });
  return { results, batch };
}

/** Dedup keys of event plans that the insert did not write, to look up the events that already hold them. */
export function unwrittenKeys(plans: RowPlan[], inserted: Map<string, string>): string[] {
  const keys = new Set<string>();
  for (const plan of plans) if (plan.kind === 'event' && !inserted.has(plan.event.dedupKey)) keys.add(plan.event.dedupKey);
  return [...keys];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
