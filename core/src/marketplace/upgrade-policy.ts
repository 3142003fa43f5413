// Which version an install may move to, and on what terms: the newest approved version of its own line (major; below
// 1.0.0, minor) whose permissions it was granted moves it without asking; anything newer is an offer that needs the
// admin's consent. Decided from the registry's approved versions, newest first; install-admin.ts does the moving.
import semver from 'semver';
import type { PluginManifest } from '../plugins/types.ts';
import type { PluginRegistry, PluginVersionRecord, StoredInstall } from '../store/types.ts';

/** A newer approved version an install may move to, and what moving needs. */
export interface UpgradeOffer {
  version: string;
  permissions: string[];
  /** Permissions the install was not granted. */
  newPermissions: string[];
  majorChange: boolean;
  /** True when the admin must consent again (new permissions or a new major). */
  needsConsent: boolean;
  /** On a major change: whether the version migrates this install's config itself. */
  migratesConfig: boolean | null;
}

type InstalledAt = Pick<StoredInstall, 'version' | 'grants'>;

/** The versions that can break each other: majors, and below 1.0.0 each minor (semver: 0.y may break at every y). */
export function breakingLine(version: string): string {
  const major = semver.major(version);
  return major > 0 ? `${major}` : `0.${semver.minor(version)}`;
}

/** The approved versions of a plugin, newest (by semver) first; listings, without bundles. */
export async function approvedVersions(registry: PluginRegistry, pluginId: string): Promise<PluginVersionRecord[]> {
  const versions = await registry.list({ pluginId, status: 'approved' });
  return versions.filter((v) => semver.valid(v.version)).sort((a, b) => semver.rcompare(a.version, b.version));
}

/** The newest approved version, when newer than the installed one, with what moving to it needs. */
export function offerOf(installed: InstalledAt, approved: readonly PluginVersionRecord[]): UpgradeOffer | null {
  const newest = approved[0];
  if (!newest || !semver.valid(installed.version) || !semver.gt(newest.version, installed.version)) return null;
  const manifest = JSON.parse(newest.manifest) as PluginManifest;
  const newPermissions = newest.permissions.filter((p) => !installed.grants.includes(p));
  const majorChange = breakingLine(newest.version) !== breakingLine(installed.version);
  return {
    version: newest.version, permissions: newest.permissions, newPermissions, majorChange,
    needsConsent: majorChange || newPermissions.length > 0,
    migratesConfig: majorChange ? (manifest.configMigrations ?? []).some((m) => m.from === semver.major(installed.version)) : null,
  };
}

/** The newest approved version an install moves to without asking: its own line, newer, every permission granted. */
export function automaticTarget(installed: InstalledAt, approved: readonly PluginVersionRecord[]): PluginVersionRecord | undefined {
  if (!semver.valid(installed.version)) return undefined;
  return approved.find((v) => breakingLine(v.version) === breakingLine(installed.version) && semver.gt(v.version, installed.version)
    && v.permissions.every((p) => installed.grants.includes(p)));
}
