// What a workflow names outside itself: the canonical event or plugin trigger that starts it, and the actions
// of its steps, each of a plugin installed for the workflow's tenant, with inputs and time limits that fit.
import type { ErrorDetail } from '../../errors.ts';
import type { PluginManifest } from '../../../../sdk/src/generated/plugin-manifest.ts';
import type { Install } from '../../plugins/types.ts';
import { defaultLimits } from '../../sandbox/limits.ts';
import { schemaRegistry } from '../../schema/validator.ts';
import { literalInputProblems } from './literal-input.ts';
import { field, type StepAt } from './walk.ts';

export function installedProblems(workflow: unknown, steps: readonly StepAt[], installs: readonly Install[]): ErrorDetail[] {
  const tenantId = field(workflow, 'tenantId');
  if (typeof tenantId !== 'string') return [];
  const lookup = pluginLookup(tenantId, installs.filter((i) => i.tenantId === tenantId));
  return [...triggerProblems(field(workflow, 'trigger'), lookup), ...steps.flatMap((at) => actionProblems(at, lookup))];
}

type Found = { manifest: PluginManifest; handler: string } | { problem: string };
/** The manifest of the plugin a `<pluginId>/<handlerId>` names, or why there is none. */
type Lookup = (ref: string) => Found;

function pluginLookup(tenantId: string, installs: readonly Install[]): Lookup {
  return (ref) => {
    const slash = ref.lastIndexOf('/');
    const pluginId = ref.slice(0, slash);
    const install = installs.find((i) => i.plugin.manifest.id === pluginId);
    if (install) return { manifest: install.plugin.manifest, handler: ref.slice(slash + 1) };
    const installed = installs.map((i) => i.plugin.manifest.id);
    return { problem: `no plugin "${pluginId}" is installed for tenant "${tenantId}" (${installed.length ? `installed: ${installed.join(', ')}` : 'it has no plugins installed'})` };
  };
}

const canonical = /^wecom\.[a-z0-9_]+(\.[a-z0-9_]+)*$/;

function triggerProblems(trigger: unknown, lookup: Lookup): ErrorDetail[] {
  const event = field(trigger, 'event');
  // Only a name of the canonical form is looked up: the registry resolves anything else as a reference.
  if (typeof event === 'string' && canonical.test(event) && !schemaRegistry().getSchema(`events/${event}.schema.json`)) {
    return [{ pointer: '/trigger/event', message: `"${event}" is not a canonical event type (each has a schema in schemas/events/)` }];
  }
  const ref = field(trigger, 'plugin');
  if (typeof ref !== 'string' || !ref.includes('/')) return [];
  const found = lookup(ref);
  if ('problem' in found) return [{ pointer: '/trigger/plugin', message: found.problem }];
  const { manifest, handler } = found;
  if (manifest.triggers.some((t) => t.id === handler)) return [];
  return [{ pointer: '/trigger/plugin', message: `${manifest.id}@${manifest.version} has no trigger "${handler}" (${listed('triggers', manifest.triggers)})` }];
}

function actionProblems(at: StepAt, lookup: Lookup): ErrorDetail[] {
  const ref = at.step.action;
  if (typeof ref !== 'string' || !ref.includes('/')) return [];
  const found = lookup(ref);
  if ('problem' in found) return [{ pointer: `${at.pointer}/action`, message: found.problem }];
  const { manifest, handler } = found;
  const action = manifest.actions.find((a) => a.id === handler);
  if (!action) return [{ pointer: `${at.pointer}/action`, message: `${manifest.id}@${manifest.version} has no action "${handler}" (${listed('actions', manifest.actions)})` }];
  const details = literalInputProblems(manifest, handler, at.step.input, `${at.pointer}/input`);
  const limit = action.timeoutMs ?? manifest.limits?.timeoutMs ?? defaultLimits.timeoutMs;
  const timeoutMs = at.step.timeoutMs;
  if (typeof timeoutMs === 'number' && timeoutMs > limit) {
    details.push({ pointer: `${at.pointer}/timeoutMs`, message: `must not exceed ${limit}, the time limit of ${ref}` });
  }
  return details;
}

function listed(what: string, items: readonly { id: string }[]): string {
  return items.length ? `its ${what}: ${items.map((i) => i.id).join(', ')}` : `it has no ${what}`;
}
