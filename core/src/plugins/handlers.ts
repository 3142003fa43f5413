// checkHandlers: the handlers a bundle registers must be exactly the actions, triggers and config migrations its
// manifest declares.
import { LianjieError, type ErrorDetail } from '../errors.ts';
import type { PluginManifest } from '../../../sdk/src/generated/plugin-manifest.ts';
import { summarize } from './summary.ts';

export interface RegisteredHandlers {
  actions: readonly string[];
  triggers: readonly string[];
  /** The majors the bundle's config migrations come from, as the sandbox describes them: decimal strings. */
  migrations: readonly string[];
}

/** Throws manifest.invalid naming each declared id without a handler and each handler without a declared id. */
export function checkHandlers(manifest: PluginManifest, registered: RegisteredHandlers): void {
  const migrations = (manifest.configMigrations ?? []).map((m) => String(m.from));
  const details = [
    ...compare(manifest.actions.map((a) => a.id), registered.actions, '/actions', 'id', 'action'),
    ...compare(manifest.triggers.map((t) => t.id), registered.triggers, '/triggers', 'id', 'trigger'),
    ...compare(migrations, registered.migrations, '/configMigrations', 'from', 'a config migration from major'),
  ];
  if (details.length > 0) {
    throw new LianjieError('manifest.invalid', `plugin ${manifest.id}@${manifest.version}: manifest and bundle disagree: ${summarize(details)}`, details);
  }
}

function compare(declared: readonly string[], registered: readonly string[], base: string, key: string, what: string): ErrorDetail[] {
  const have = new Set(registered);
  const want = new Set(declared);
  const missing = declared.flatMap((id, i) => (have.has(id) ? [] : [{ pointer: `${base}/${i}/${key}`, message: 'has no handler in the bundle' }]));
  const extra = [...have].filter((id) => !want.has(id))
    .map((id) => ({ pointer: base, message: `the bundle registers ${what} "${id}" that the manifest does not declare` }));
  return [...missing, ...extra];
}
