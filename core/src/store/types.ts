// The store's one interface; store/sqlite/ and store/pg/ implement it and test/contracts/ checks both. Runs and
// schedule ticks have their own file, run-types.ts, and the admin API's tokens and registry admin-types.ts, both
// re-exported here.
import type { ApiTokenStore, PluginRegistry } from './admin-types.ts';
import type { CatalogRevision, InstallStore, TenantStore, UsageStore } from './tenancy-types.ts';
import type { RunRepository, ScheduleTickRepository } from './run-types.ts';

export * from './admin-types.ts';
export * from './tenancy-types.ts';
export * from './run-types.ts';

/** A verified callback envelope as the ingress received it: what is acknowledged is what is kept. */
export interface InboxEnvelope {
  route: 'app' | 'suite';
  tenantId: string | null;
  appId: string | null;
  suiteId: string | null;
  msgSignature: string;
  timestamp: string;
  nonce: string;
  /** The `Encrypt` value exactly as received. */
  encrypt: string;
  /** Epoch milliseconds. */
  receivedAt: number;
  /** Set when the envelope verified but cannot be decoded: it is stored as a dead letter from the start. */
  deadLetter?: { code: string; message: string };
}

export type InboxStatus = 'pending' | 'done' | 'dead';

export interface InboxRow extends Omit<InboxEnvelope, 'deadLetter'> {
  id: string;
  status: InboxStatus;
  errorCode: string | null;
  errorMessage: string | null;
  eventId: string | null;
  processedAt: number | null;
}

/** A WeCom callback as the host understands it; `data` validates against schemas/events/<type>.schema.json. */
export interface CanonicalEvent {
  id: string;
  tenantId: string | null;
  appId: string | null;
  suiteId: string | null;
  type: string;
  /** ISO 8601, UTC. */
  occurredAt: string;
  receivedAt: string;
  dedupKey: string;
  data: Record<string, unknown>;
}

export interface StoredEvent extends CanonicalEvent {
  /** The decrypted message, byte for byte. */
  raw: string;
  inboxId: string;
}

/** What decoding one inbox row produced. */
export type DecodeOutcome =
  | { kind: 'event'; event: CanonicalEvent; raw: string }
  | { kind: 'dead'; code: string; message: string };

export interface EventQuery {
  tenantId?: string;
  suiteId?: string;
  type?: string;
  /** Newest first; at most this many. Default 100. */
  limit?: number;
}

export interface DecodeBatchResult {
  /** Inbox rows handled in this batch. */
  processed: number;
  /** New events written. */
  inserted: number;
  /** Events whose dedup key was already stored (a redelivery). */
  duplicates: number;
  dead: number;
  /** receivedAt of each processed row, for the decode-lag metric. */
  receivedAt: number[];
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Applies the committed migrations; safe to call on every start. */
  migrate(): Promise<void>;
  /** True when the database answers and every committed migration is applied. */
  ready(): Promise<boolean>;
  /** Writes the envelopes in one transaction (the ingress's group commit); resolves once durable. Returns their ids in order. */
  appendInbox(envelopes: InboxEnvelope[]): Promise<string[]>;
  /**
   * Claims up to `limit` pending rows (oldest first; skipping rows another process holds), runs `decode` on each,
   * and in the same transaction writes the events (ignoring duplicate dedup keys) and marks the rows done or dead.
   */
  decodePending(limit: number, decode: (row: InboxRow) => DecodeOutcome): Promise<DecodeBatchResult>;
  listEvents(query: EventQuery): Promise<StoredEvent[]>;
  countEvents(query?: Omit<EventQuery, 'limit'>): Promise<number>;
  listInbox(status: InboxStatus, limit?: number): Promise<InboxRow[]>;
  /** Inbox rows with this status; pending rows (the inbox depth) by default. */
  countInbox(status?: InboxStatus): Promise<number>;
  /** The plugins' key-value store in this database (the `store` capability's data); the same object on every call. */
  pluginKv(): PluginKv;
  /** Workflow definitions and their versions; the same object on every call. */
  workflows(): WorkflowRepository;
  /** The effects ledger: what each external effect answered, by idempotency key; the same object on every call. */
  effects(): EffectLedger;
  /** Runs and their step history; the same object on every call. */
  runs(): RunRepository;
  /** Which schedule ticks a worker has claimed and finished; the same object on every call. */
  scheduleTicks(): ScheduleTickRepository;
  /** The sends counted against each customer's contact quotas; the same object on every call. */
  contactSends(): ContactSends;
  /** The admin API's bearer tokens (their hashes, never the secrets); the same object on every call. */
  apiTokens(): ApiTokenStore;
  /** The plugin registry: every submitted plugin version and its review; the same object on every call. */
  registry(): PluginRegistry;
  /** Tenants and apps made at run time, and suite tickets; the same object on every call. */
  tenants(): TenantStore;
  /** Installs of registry versions; the same object on every call. */
  installs(): InstallStore;
  /** The counter that tells host processes to reload tenants, apps and installs; the same object on every call. */
  catalogRevision(): CatalogRevision;
  /** Metering: what each install used per month; the same object on every call. */
  usage(): UsageStore;
  close(): Promise<void>;
}

/** What one install keeps in its plugin store: its key count and the UTF-8 bytes of its values' JSON. */
export interface KvUsage {
  keys: number;
  bytes: number;
}

export interface KvQuota {
  maxKeys: number;
  maxBytes: number;
}

/** A refused write names the quota and the numbers: the limit, the usage now, and what the write would make it. */
export type KvSetOutcome =
  | { ok: true; bytes: number; usage: KvUsage }
  | { ok: false; quota: keyof KvQuota; limit: number; current: number; wouldBe: number };

/**
 * Plugin key-value data, every row owned by one install: no method reaches another install's keys.
 * Values are JSON texts; the capability parses and serialises them.
 */
export interface PluginKv {
  /** The value's JSON text, or null when the install has no such key. */
  get(installId: string, key: string): Promise<string | null>;
  /** Writes unless the install's usage afterwards would pass `quota`; the check and the write are one transaction. */
  set(installId: string, key: string, json: string, quota: KvQuota): Promise<KvSetOutcome>;
  /** True when the key existed. */
  delete(installId: string, key: string): Promise<boolean>;
  /** Keys starting with `prefix`, in code-point (UTF-8 byte) order, at most `limit`. */
  list(installId: string, options: { prefix?: string; limit: number }): Promise<string[]>;
  usage(installId: string): Promise<KvUsage>;
}

/** One version of a workflow as stored: runs keep the version they started with. */
export interface StoredWorkflow {
  tenantId: string;
  workflowId: string;
  version: number;
  /** The workflow's JSON text as applied. */
  definition: string;
  /** ISO 8601. */
  createdAt: string;
}

export interface WorkflowRepository {
  /**
   * Stores `definition` as the workflow's next version (1, 2, …). Applying the text the latest version already has
   * stores nothing and answers that version with `created: false`, so applying the same file twice is harmless.
   */
  apply(tenantId: string, workflowId: string, definition: string): Promise<{ version: number; created: boolean }>;
  /** One version, the latest when `version` is not given. */
  get(tenantId: string, workflowId: string, version?: number): Promise<StoredWorkflow | undefined>;
  /** The latest version of every workflow, of one tenant or of all, ordered by tenant and workflow id. */
  listLatest(tenantId?: string): Promise<StoredWorkflow[]>;
}

/** An external effect as recorded: what the capability answered the first time. */
export interface RecordedEffect {
  key: string;
  tenantId: string;
  /** The capability method that caused it, e.g. `wecom.sendWelcomeMessage`. */
  effect: string;
  /** The answer as JSON text. */
  result: string;
  /** ISO 8601. */
  recordedAt: string;
}

/**
 * The effects ledger. A capability that acts on the outside world records each effect under the step's idempotency
 * key (`runId:stepId` plus the effect's ordinal within the step); a retried or resumed step finds the record and
 * answers it instead of acting again.
 */
export interface EffectLedger {
  find(key: string): Promise<RecordedEffect | undefined>;
  /**
   * Records an effect unless the key is taken; answers what the ledger holds under the key afterwards, so two
   * processes racing on one key both see the first record.
   */
  record(effect: { key: string; tenantId: string; effect: string; result: string }): Promise<{ recorded: boolean; effect: RecordedEffect }>;
}

/** One quota period of a customer: at most `limit` sends at or after `since`. */
export interface QuotaWindow {
  /** Named in a refusal, e.g. `month`. */
  name: string;
  /** ms since epoch: sends at or after this count */
  since: number;
  limit: number;
}

export type QuotaVerdict = { ok: true; counted: boolean } | { ok: false; window: string; count: number; limit: number };

/**
 * The sends to each customer (external contact) of a tenant, across all of its plugins and every host process on the
 * database: WeCom punishes an enterprise that messages one customer too often, so the host counts before it sends.
 */
export interface ContactSends {
  /** Atomically: if a send with this key is already recorded for (tenant, contact) → { ok: true, counted: false } (a retry is not a second send);
   *  else counts this contact's recorded sends with sentAt >= each window's since; if any window is at its limit → { ok: false, window, count, limit } (the first such window in the given order) and records nothing;
   *  else records { tenantId, contactId, key, sentAt } → { ok: true, counted: true }. */
  take(send: { tenantId: string; contactId: string; key: string; sentAt: number }, windows: readonly QuotaWindow[]): Promise<QuotaVerdict>;
  /** Forgets the send recorded under key (the message was not sent after all); true if one was removed. */
  release(tenantId: string, contactId: string, key: string): Promise<boolean>;
  /** Sends of one contact since a time, newest first (for metrics/inspection). */
  list(tenantId: string, contactId: string, since: number): Promise<{ key: string; sentAt: number }[]>;
  /** Deletes records older than `before` (the longest window is a month; the host prunes with its retention). Answers how many. */
  prune(before: number): Promise<number>;
}
