// checkHandlers: the handlers a bundle registers must be exactly the actions and triggers its manifest declares.
import { LianjieError, type ErrorDetail } from '../errors.ts';
import type { PluginManifest } from '../../../sdk/src/generated/plugin-manifest.ts';
import { summarize } from './summary.ts';

export interface RegisteredHandlers {
  actions: readonly string[];
  triggers: readonly string[];
}

/** Throws manifest.invalid naming each declared id without a handler and each handler without a declared id. */
export function checkHandlers(manifest: PluginManifest, registered: RegisteredHandlers): void {
  const details = [
    ...compare(manifest.actions, registered.actions, 'actions', 'action'),
    ...compare(manifest.triggers, registered.triggers, 'triggers', 'trigger'),
  ];
  if (details.length > 0) {
    throw new LianjieError('manifest.invalid', `plugin ${manifest.id}@${manifest.version}: manifest and bundle disagree: ${summarize(details)}`, details);
  }
}

function compare(declared: readonly { id: string }[], registered: readonly string[], base: string, what: string): ErrorDetail[] {
  const have = new Set(registered);
  const want = new Set(declared.map((item) => item.id));
  const missing = declared.flatMap((item, i) => (have.has(item.id) ? [] : [{ pointer: `/${base}/${i}/id`, message: 'has no handler in the bundle' }]));
  const extra = [...have].filter((id) => !want.has(id))
    .map((id) => ({ pointer: `/${base}`, message: `the bundle registers ${what} "${id}" that the manifest does not declare` }));
  return [...missing, ...extra];
}
