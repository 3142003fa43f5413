// PostgreSQL tables for the durable inbox, the canonical events and the plugins' key-value store; drizzle-kit generates the migrations from this file.
// No relative imports here: drizzle-kit loads this file on its own.
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

export const inbox = pgTable(
  'inbox',
  {
    id: text('id').primaryKey(),
    route: text('route', { enum: ['app', 'suite'] }).notNull(),
    tenantId: text('tenant_id'),
    appId: text('app_id'),
    suiteId: text('suite_id'),
    msgSignature: text('msg_signature').notNull(),
    timestamp: text('timestamp').notNull(),
    nonce: text('nonce').notNull(),
    encrypt: text('encrypt').notNull(),
    /** Epoch milliseconds. */
    receivedAt: bigint('received_at', { mode: 'number' }).notNull(),
    status: text('status', { enum: ['pending', 'done', 'dead'] }).notNull().default('pending'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    eventId: text('event_id'),
    processedAt: bigint('processed_at', { mode: 'number' }),
  },
  (t) => [
    // Serves claiming (status = 'pending' in received order), the depth count and listing by status.
    index('inbox_status_received_idx').on(t.status, t.receivedAt, t.id),
    check('inbox_route_check', sql`${t.route} in ('app', 'suite')`),
    check('inbox_status_check', sql`${t.status} in ('pending', 'done', 'dead')`),
  ],
);

export const events = pgTable(
  'events',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id'),
    appId: text('app_id'),
    suiteId: text('suite_id'),
    type: text('type').notNull(),
    occurredAt: bigint('occurred_at', { mode: 'number' }).notNull(),
    receivedAt: bigint('received_at', { mode: 'number' }).notNull(),
    dedupKey: text('dedup_key').notNull().unique('events_dedup_key_unique'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    raw: text('raw').notNull(),
    inboxId: text('inbox_id').notNull(),
  },
  (t) => [
    // Listing is newest first by (received_at, id): with id last, a tenant+type page is read straight off the index.
    index('events_tenant_type_received_idx').on(t.tenantId, t.type, t.receivedAt, t.id),
    // Unfiltered, suite-only and type-only listings walk this backwards instead of sorting the whole table.
    index('events_received_idx').on(t.receivedAt, t.id),
  ],
);

export const pluginKv = pgTable(
  'plugin_kv',
  {
    installId: text('install_id').notNull(),
    key: text('key').notNull(),
    // Text, not jsonb: jsonb reorders keys and drops duplicates, and the quota counts the text the plugin sent.
    value: text('value').notNull(),
    /** UTF-8 length of `value`, summed for the install's byte quota without reading the values. */
    bytes: integer('bytes').notNull(),
    /** Epoch milliseconds. */
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  // Every read is of one install: the key leads with install_id.
  (t) => [primaryKey({ name: 'plugin_kv_pk', columns: [t.installId, t.key] })],
);

export const workflows = pgTable(
  'workflows',
  {
    tenantId: text('tenant_id').notNull(),
    workflowId: text('workflow_id').notNull(),
    version: integer('version').notNull(),
    // Text, not jsonb: the text as applied, so what a run executes is exactly what was validated.
    definition: text('definition').notNull(),
    /** Epoch milliseconds. */
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  // Versions of one workflow sit together; the latest is the last entry of its key range.
  (t) => [primaryKey({ name: 'workflows_pk', columns: [t.tenantId, t.workflowId, t.version] })],
);

export const effects = pgTable(
  'effects',
  {
    /** The step's idempotency key and the effect's ordinal within the step. */
    key: text('key').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    effect: text('effect').notNull(),
    result: text('result').notNull(),
    /** Epoch milliseconds. */
    recordedAt: bigint('recorded_at', { mode: 'number' }).notNull(),
  },
);
