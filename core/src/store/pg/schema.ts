// PostgreSQL tables for the durable inbox, the canonical events, the plugins' key-value store, workflows, effects, runs, contact quotas, admin API tokens, the plugin registry, run-time tenants, apps and installs, and usage; drizzle-kit generates the migrations from this file.
// No relative imports here: drizzle-kit loads this file on its own.
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';

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
    /** Epoch milliseconds the router created the event's runs; null until then. */
    routedAt: bigint('routed_at', { mode: 'number' }),
  },
  (t) => [
    // Listing is newest first by (received_at, id): with id last, a tenant+type page is read straight off the index.
    index('events_tenant_type_received_idx').on(t.tenantId, t.type, t.receivedAt, t.id),
    // Unfiltered, suite-only and type-only listings walk this backwards instead of sorting the whole table.
    index('events_received_idx').on(t.receivedAt, t.id),
    // The router's queue: only the few unrouted events are in it, oldest first.
    index('events_unrouted_idx').on(t.receivedAt, t.id).where(sql`${t.routedAt} is null`),
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

export const runs = pgTable(
  'runs',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    workflowId: text('workflow_id').notNull(),
    version: integer('version').notNull(),
    triggerKey: text('trigger_key').notNull(),
    // Text, not jsonb: JSON texts as written, so every character survives.
    trigger: text('trigger').notNull(),
    status: text('status', { enum: ['pending', 'running', 'waiting', 'completed', 'failed', 'cancelled'] }).notNull(),
    cursor: text('cursor'),
    /** Epoch milliseconds, as are the other times below. */
    wakeAt: bigint('wake_at', { mode: 'number' }),
    leaseOwner: text('lease_owner'),
    leaseUntil: bigint('lease_until', { mode: 'number' }),
    failure: text('failure'),
    /** Fair-queue position among pending runs. */
    vtime: bigint('vtime', { mode: 'number' }).notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
    finishedAt: bigint('finished_at', { mode: 'number' }),
  },
  (t) => [
    // A trigger starts a workflow once, however often the router sees it.
    uniqueIndex('runs_trigger_unique').on(t.tenantId, t.workflowId, t.triggerKey),
    // The pending queue in claim order, then due runs (waiting until wake_at, running until lease_until) for claiming
    // and nextDue; each leads with status, so counting by status reads an index. Not partial: SQLite's planner, without
    // statistics, preferred another status index to a partial one and sorted every pending run.
    index('runs_status_vtime_idx').on(t.status, t.vtime, t.id),
    index('runs_status_wake_idx').on(t.status, t.wakeAt),
    index('runs_status_lease_idx').on(t.status, t.leaseUntil),
    // Listings are newest first within a tenant, or within one of its workflows.
    index('runs_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('runs_workflow_created_idx').on(t.tenantId, t.workflowId, t.createdAt, t.id),
    index('runs_finished_idx').on(t.finishedAt),
    check('runs_status_check', sql`${t.status} in ('pending', 'running', 'waiting', 'completed', 'failed', 'cancelled')`),
  ],
);

export const runSteps = pgTable(
  'run_steps',
  {
    /** Drawn in insert order: a run's records are listed in the order they were written. */
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    runId: text('run_id').notNull(),
    stepPath: text('step_path').notNull(),
    attempt: integer('attempt').notNull(),
    status: text('status', { enum: ['completed', 'failed', 'skipped'] }).notNull(),
    // Text, not jsonb: the redacted JSON exactly as the worker wrote it.
    input: text('input'),
    output: text('output'),
    failure: text('failure'),
    startedAt: bigint('started_at', { mode: 'number' }).notNull(),
    finishedAt: bigint('finished_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    // Also serves reading and deleting a run's records by run_id.
    uniqueIndex('run_steps_attempt_unique').on(t.runId, t.stepPath, t.attempt),
    check('run_steps_status_check', sql`${t.status} in ('completed', 'failed', 'skipped')`),
  ],
);

/** Each tenant's next fair-queue position (see RunRepository.route). */
export const runLanes = pgTable('run_lanes', {
  tenantId: text('tenant_id').primaryKey(),
  nextVtime: bigint('next_vtime', { mode: 'number' }).notNull(),
});

export const scheduleTicks = pgTable(
  'schedule_ticks',
  {
    installId: text('install_id').notNull(),
    triggerId: text('trigger_id').notNull(),
    /** The tick's scheduled time, epoch milliseconds. */
    tickAt: bigint('tick_at', { mode: 'number' }).notNull(),
    claimedBy: text('claimed_by').notNull(),
    claimedUntil: bigint('claimed_until', { mode: 'number' }).notNull(),
    doneAt: bigint('done_at', { mode: 'number' }),
    /** RunFailure JSON when the trigger failed. */
    failure: text('failure'),
  },
  (t) => [
    primaryKey({ name: 'schedule_ticks_pk', columns: [t.installId, t.triggerId, t.tickAt] }),
    // Serves the sweep for ticks whose worker died before finishing them.
    index('schedule_ticks_open_idx').on(t.claimedUntil).where(sql`${t.doneAt} IS NULL`),
  ],
);

/** Sends counted against each customer's contact quotas (see ContactSends). */
export const contactSends = pgTable(
  'contact_sends',
  {
    tenantId: text('tenant_id').notNull(),
    /** The customer: the external contact's id. */
    contactId: text('contact_id').notNull(),
    /** The send's idempotency key: a retried send finds its record instead of counting twice. */
    key: text('key').notNull(),
    /** Epoch milliseconds. */
    sentAt: bigint('sent_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'contact_sends_pk', columns: [t.tenantId, t.contactId, t.key] }),
    // A take counts one customer's sends since the start of its longest window; listing reads them newest first.
    index('contact_sends_contact_sent_idx').on(t.tenantId, t.contactId, t.sentAt),
    // Pruning deletes the oldest sends of every customer.
    index('contact_sends_sent_idx').on(t.sentAt),
  ],
);

/** The admin API's bearer tokens (see ApiTokenStore): the sha256 of each secret, never the secret. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    role: text('role', { enum: ['platform', 'vendor', 'tenant'] }).notNull(),
    /** Set for tenant tokens. */
    tenantId: text('tenant_id'),
    /** Set for vendor tokens. */
    vendorId: text('vendor_id'),
    label: text('label').notNull(),
    /** Hex sha256 of the token's secret. */
    hash: text('hash').notNull(),
    /** Epoch milliseconds. */
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    /** Epoch milliseconds; null while the token is live. */
    revokedAt: bigint('revoked_at', { mode: 'number' }),
  },
  (t) => [
    // Listing a tenant's or a vendor's tokens, newest first.
    index('api_tokens_tenant_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('api_tokens_vendor_created_idx').on(t.vendorId, t.createdAt, t.id),
    check('api_tokens_role_check', sql`${t.role} in ('platform', 'vendor', 'tenant')`),
    // A tenant or vendor token without its tenant or vendor would be read as speaking for none, or for all.
    check('api_tokens_tenant_check', sql`${t.role} <> 'tenant' or ${t.tenantId} is not null`),
    check('api_tokens_vendor_check', sql`${t.role} <> 'vendor' or ${t.vendorId} is not null`),
  ],
);

/** The plugin registry (see PluginRegistry): every submitted version of every plugin, with its bundle and its review. */
export const pluginVersions = pgTable(
  'plugin_versions',
  {
    pluginId: text('plugin_id').notNull(),
    version: text('version').notNull(),
    vendorId: text('vendor_id').notNull(),
    /** The manifest's JSON text, as submitted. */
    manifest: text('manifest').notNull(),
    /** The plugin's dist/plugin.js. */
    bundle: text('bundle').notNull(),
    /** Hex sha256 of the bundle. */
    sha256: text('sha256').notNull(),
    readme: text('readme'),
    /** JSON array of strings. */
    categories: text('categories').notNull(),
    /** JSON array of strings. */
    permissions: text('permissions').notNull(),
    status: text('status', { enum: ['submitted', 'approved', 'rejected', 'yanked'] }).notNull(),
    reason: text('reason'),
    /** Epoch milliseconds. */
    submittedAt: bigint('submitted_at', { mode: 'number' }).notNull(),
    /** Epoch milliseconds; null until reviewed. */
    reviewedAt: bigint('reviewed_at', { mode: 'number' }),
    reviewedBy: text('reviewed_by'),
  },
  (t) => [
    primaryKey({ name: 'plugin_versions_pk', columns: [t.pluginId, t.version] }),
    // Listing a vendor's versions, or the ones in one status (the review queue), newest first.
    index('plugin_versions_vendor_idx').on(t.vendorId, t.submittedAt),
    index('plugin_versions_status_idx').on(t.status, t.submittedAt),
    check('plugin_versions_status_check', sql`${t.status} in ('submitted', 'approved', 'rejected', 'yanked')`),
    check('plugin_versions_manifest_check', sql`jsonb_typeof(${t.manifest}::jsonb) = 'object'`),
    check('plugin_versions_categories_check', sql`jsonb_typeof(${t.categories}::jsonb) = 'array'`),
    check('plugin_versions_permissions_check', sql`jsonb_typeof(${t.permissions}::jsonb) = 'array'`),
  ],
);

/** Tenants made at run time (TenantStore): through the admin API or a suite's create_auth. Config tenants are not here. */
export const tenants = pgTable(
  'tenants',
  {
    id: text('id').primaryKey(),
    name: text('name'),
    corpId: text('corp_id').notNull(),
    timezone: text('timezone').notNull(),
    /** JSON text of the contact quota policy; null: the default. */
    contactQuota: text('contact_quota'),
    origin: text('origin', { enum: ['api', 'suite'] }).notNull(),
    suiteId: text('suite_id'),
    /** Sealed (core/src/secrets/seal.ts). */
    permanentCode: text('permanent_code'),
    suiteAgentId: integer('suite_agent_id'),
    status: text('status', { enum: ['active', 'disabled'] }).notNull(),
    /** Epoch milliseconds. */
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
    disabledAt: bigint('disabled_at', { mode: 'number' }),
    /** Epoch milliseconds; when a disabled tenant's data is due for deletion. */
    purgeAfter: bigint('purge_after', { mode: 'number' }),
  },
  (t) => [
    uniqueIndex('tenants_corp_unique').on(t.corpId),
    index('tenants_purge_idx').on(t.purgeAfter).where(sql`${t.purgeAfter} is not null`),
    check('tenants_origin_check', sql`${t.origin} in ('api', 'suite')`),
    check('tenants_status_check', sql`${t.status} in ('active', 'disabled')`),
  ],
);

/** The WeCom apps of run-time tenants; token, AES key and secret are sealed. */
export const tenantApps = pgTable(
  'tenant_apps',
  {
    tenantId: text('tenant_id').notNull(),
    appId: text('app_id').notNull(),
    agentId: integer('agent_id'),
    secret: text('secret'),
    token: text('token').notNull(),
    encodingAesKey: text('encoding_aes_key').notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'tenant_apps_pk', columns: [t.tenantId, t.appId] })],
);

/** The newest suite_ticket WeCom pushed for each suite, sealed. */
export const suiteTickets = pgTable(
  'suite_tickets',
  {
    suiteId: text('suite_id').primaryKey(),
    ticket: text('ticket').notNull(),
    receivedAt: bigint('received_at', { mode: 'number' }).notNull(),
  },
);

/** Installs of registry versions (InstallStore). Config installs are not here. */
export const installs = pgTable(
  'installs',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    pluginId: text('plugin_id').notNull(),
    version: text('version').notNull(),
    /** JSON array of the permissions consented to. */
    grants: text('grants').notNull(),
    /** Sealed JSON text. */
    config: text('config').notNull(),
    webhookSecret: text('webhook_secret'),
    wecomApp: text('wecom_app'),
    status: text('status', { enum: ['active', 'uninstalled'] }).notNull(),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
    uninstalledAt: bigint('uninstalled_at', { mode: 'number' }),
    retainUntil: bigint('retain_until', { mode: 'number' }),
  },
  (t) => [
    // One active install of a plugin per tenant: a workflow names actions as <pluginId>/<actionId>.
    uniqueIndex('installs_active_plugin_unique').on(t.tenantId, t.pluginId).where(sql`${t.status} = 'active'`),
    index('installs_plugin_idx').on(t.pluginId, t.status),
    index('installs_retain_idx').on(t.retainUntil).where(sql`${t.retainUntil} is not null`),
    check('installs_status_check', sql`${t.status} in ('active', 'uninstalled')`),
  ],
);

/** One row: moved by every change to tenants, apps and installs, so other host processes know to reload them. */
export const catalogRevision = pgTable(
  'catalog_revision',
  {
    id: integer('id').primaryKey(),
    revision: bigint('revision', { mode: 'number' }).notNull(),
  },
  (t) => [check('catalog_revision_one_row', sql`${t.id} = 1`)],
);

/** Metering: counters per tenant, plugin, install and month (the tenant's calendar month, YYYY-MM). */
export const usageCounters = pgTable(
  'usage_counters',
  {
    tenantId: text('tenant_id').notNull(),
    pluginId: text('plugin_id').notNull(),
    installId: text('install_id').notNull(),
    month: text('month').notNull(),
    invocations: bigint('invocations', { mode: 'number' }).notNull(),
    cpuMs: bigint('cpu_ms', { mode: 'number' }).notNull(),
    wecomCalls: bigint('wecom_calls', { mode: 'number' }).notNull(),
    effects: bigint('effects', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'usage_counters_pk', columns: [t.tenantId, t.pluginId, t.installId, t.month] }),
    index('usage_counters_plugin_idx').on(t.pluginId, t.month),
    index('usage_counters_install_idx').on(t.installId, t.month),
  ],
);

/** Metering: the distinct staff accounts and external contacts each install named in a month. */
export const usageSubjects = pgTable(
  'usage_subjects',
  {
    tenantId: text('tenant_id').notNull(),
    pluginId: text('plugin_id').notNull(),
    installId: text('install_id').notNull(),
    month: text('month').notNull(),
    kind: text('kind', { enum: ['staff', 'contact'] }).notNull(),
    subject: text('subject').notNull(),
  },
  (t) => [
    primaryKey({ name: 'usage_subjects_pk', columns: [t.tenantId, t.pluginId, t.installId, t.month, t.kind, t.subject] }),
    index('usage_subjects_install_idx').on(t.installId, t.month),
    check('usage_subjects_kind_check', sql`${t.kind} in ('staff', 'contact')`),
  ],
);
