// What the admin API keeps: its tokens (hashed) and the plugin registry's versions. Re-exported by types.ts.

/** Who an admin API token speaks for: the platform operator, one plugin vendor, or one tenant. */
export type ApiRole = 'platform' | 'vendor' | 'tenant';

/** An admin API token as stored: the sha256 of its secret, never the secret itself. */
export interface StoredApiToken {
  id: string;
  role: ApiRole;
  /** Set for tenant tokens. */
  tenantId: string | null;
  /** Set for vendor tokens. */
  vendorId: string | null;
  label: string;
  /** Hex sha256 of the token's secret, stored exactly as given. */
  hash: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; null while the token is live. */
  revokedAt: string | null;
}

export interface ApiTokenStore {
  /** Stores a new token, created now. A tenant token needs a tenantId and a vendor token a vendorId; an id already taken fails. */
  create(token: { id: string; role: ApiRole; tenantId: string | null; vendorId: string | null; label: string; hash: string }): Promise<StoredApiToken>;
  get(id: string): Promise<StoredApiToken | undefined>;
  /** Newest first; revoked ones included (with revokedAt). Filters optional. */
  list(filter?: { tenantId?: string; vendorId?: string }): Promise<StoredApiToken[]>;
  /** Sets revoked_at once; answers the token after (undefined if no such id). Revoking twice keeps the first time. */
  revoke(id: string, at: number): Promise<StoredApiToken | undefined>;
}

export type PluginVersionStatus = 'submitted' | 'approved' | 'rejected' | 'yanked';

/** One version of one plugin in the registry. Immutable once submitted, apart from its review. */
export interface PluginVersionRecord {
  pluginId: string;
  version: string;
  /** The vendor that submitted it; every version of a plugin id has the same vendor. */
  vendorId: string;
  /** The manifest's JSON text, stored as given. */
  manifest: string;
  /** The plugin's dist/plugin.js; '' in listings made without `withBundle`. */
  bundle: string;
  /** Hex sha256 of the bundle, stored as given. */
  sha256: string;
  readme: string | null;
  categories: string[];
  permissions: string[];
  status: PluginVersionStatus;
  /** The reviewer's reason (a rejection's or a yank's), null when none was given. */
  reason: string | null;
  /** ISO 8601. */
  submittedAt: string;
  /** ISO 8601; null until reviewed. The latest review's time (a yank replaces the approval's). */
  reviewedAt: string | null;
  reviewedBy: string | null;
}

export interface PluginVersionFilter {
  vendorId?: string;
  status?: PluginVersionStatus;
  /** Matches a version whose categories include this one exactly. */
  category?: string;
  /** Matches a version whose permissions include this one exactly. */
  permission?: string;
  pluginId?: string;
  /** A case-insensitive substring of the plugin id or of the manifest's name or description. */
  text?: string;
  /** At most this many versions. */
  limit?: number;
  /** With the bundles and READMEs; without, each bundle comes back as '' and each README as null, so listings stay small. */
  withBundle?: boolean;
}

export type PluginSubmitOutcome =
  | { ok: true; version: PluginVersionRecord }
  | { ok: false; reason: 'exists' }
  | { ok: false; reason: 'owned'; vendorId: string };

export type PluginReviewOutcome =
  | { ok: true; version: PluginVersionRecord }
  | { ok: false; from: PluginVersionStatus };

export interface PluginRegistry {
  /**
   * Stores a new version as submitted. Versions are immutable: { ok: false, reason: 'exists' } when (pluginId, version)
   * is taken; { ok: false, reason: 'owned', vendorId } when another vendor already published this plugin id (checked in
   * one transaction with the insert, so two vendors racing on a new id cannot both win). Ownership is checked first.
   */
  submit(v: {
    pluginId: string; version: string; vendorId: string; manifest: string; bundle: string; sha256: string; readme: string | null;
    categories: string[]; permissions: string[]; at: number;
  }): Promise<PluginSubmitOutcome>;
  /** With its bundle; undefined when there is no such version. */
  get(pluginId: string, version: string): Promise<PluginVersionRecord | undefined>;
  /**
   * Newest submitted first (then plugin id, then version, descending); every filter optional and an undefined one is no
   * filter. Without `withBundle` the bundle comes back as '' and the README as null: listings stay small.
   */
  list(filter?: PluginVersionFilter): Promise<PluginVersionRecord[]>;
  /**
   * Moves a version: submitted → approved | rejected; approved → yanked; sets reason, reviewedAt and reviewedBy. Answers
   * { ok: false, from } when the version is not in a state that allows the move (checked and written in one statement);
   * undefined when there is no such version.
   */
  review(pluginId: string, version: string, change: { status: 'approved' | 'rejected' | 'yanked'; reason: string | null; by: string; at: number }): Promise<PluginReviewOutcome | undefined>;
}
