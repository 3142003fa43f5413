// decodePending on PostgreSQL: claim, decode, write events and settle the rows in one transaction on one connection.
import type pg from 'pg';
import { planRows, settle, unwrittenKeys, type EventValues } from '../decode-plan.ts';
import { toInboxRow, type InboxRecord } from '../rows.ts';
import type { DecodeBatchResult, DecodeOutcome, InboxRow } from '../types.ts';
import { inTransaction } from './transaction.ts';
import { claimSql, eventArrays, findEventsSql, insertEventsSql, markArrays, markRowsSql } from './statements.ts';

const empty = (): DecodeBatchResult => ({ processed: 0, inserted: 0, duplicates: 0, dead: 0, receivedAt: [] });

export async function decodePendingPg(
  pool: pg.Pool,
  limit: number,
  decode: (row: InboxRow) => DecodeOutcome,
): Promise<DecodeBatchResult> {
  if (limit === 0) return empty();
  // On a failure the claimed rows stay pending for the next attempt, here or in another process.
  return inTransaction(pool, (client) => decodeIn(client, limit, decode));
}

async function decodeIn(
  client: pg.PoolClient,
  limit: number,
  decode: (row: InboxRow) => DecodeOutcome,
): Promise<DecodeBatchResult> {
  const claimed = await client.query<InboxRecord>({ name: 'lianjie_claim_inbox', text: claimSql, values: [limit] });
  if (claimed.rows.length === 0) return empty();
  const plans = planRows(claimed.rows.map(toInboxRow), decode);

  const toWrite: EventValues[] = [];
  for (const plan of plans) if (plan.kind === 'event') toWrite.push(plan.event);
  const inserted = new Map<string, string>();
  if (toWrite.length > 0) {
    const written = await client.query<{ id: string; dedup_key: string }>({
      name: 'lianjie_insert_events', text: insertEventsSql, values: eventArrays(toWrite),
    });
    for (const row of written.rows) inserted.set(row.dedup_key, row.id);
  }

  const existing = new Map<string, string>();
  const keys = unwrittenKeys(plans, inserted);
  if (keys.length > 0) {
    const found = await client.query<{ id: string; dedup_key: string }>({
      name: 'lianjie_find_events', text: findEventsSql, values: [keys],
    });
    for (const row of found.rows) existing.set(row.dedup_key, row.id);
  }

  const { results, batch } = settle(plans, inserted, existing);
  await client.query({ name: 'lianjie_mark_inbox', text: markRowsSql, values: markArrays(results, Date.now()) });
  return batch;
}
