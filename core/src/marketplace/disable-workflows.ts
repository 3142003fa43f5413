// Uninstalling a plugin disables the tenant's workflows that use it (an action of it, or one of its triggers), each as
// a new version with `enabled: false`: runs already started keep their version, and the admin sees why in the history.
import { field, flattenSteps } from '../engine/workflow/walk.ts';
import type { WorkflowRepository } from '../store/types.ts';

/** Answers the ids of the workflows disabled. */
export async function disableWorkflowsUsing(workflows: WorkflowRepository, tenantId: string, pluginId: string): Promise<string[]> {
  const disabled: string[] = [];
  for (const stored of await workflows.listLatest(tenantId)) {
    const definition = JSON.parse(stored.definition) as Record<string, unknown>;
    if (definition.enabled === false || !usesPlugin(definition, pluginId)) continue;
    await workflows.apply(tenantId, stored.workflowId, JSON.stringify({ ...definition, enabled: false }, null, 2));
    disabled.push(stored.workflowId);
  }
  return disabled;
}

function usesPlugin(workflow: Record<string, unknown>, pluginId: string): boolean {
  const names = (value: unknown) => typeof value === 'string' && value.startsWith(`${pluginId}/`);
  return names(field(workflow.trigger, 'plugin')) || flattenSteps(workflow).some((at) => names(at.step.action));
}
