// Workflow versions planned once per process: a run reads its version's plan, whatever was applied since.
import { LianjieError } from '../../errors.ts';
import type { Workflow } from '../../generated/workflow.ts';
import type { WorkflowRepository } from '../../store/types.ts';
import { planWorkflow, type WorkflowPlan } from './plan.ts';

export interface PlanCache {
  get(tenantId: string, workflowId: string, version: number): Promise<WorkflowPlan>;
}

export function createPlanCache(workflows: WorkflowRepository): PlanCache {
  const plans = new Map<string, Promise<WorkflowPlan>>();
  return {
    get(tenantId, workflowId, version) {
      const key = `${tenantId}\n${workflowId}\n${version}`;
      let plan = plans.get(key);
      if (!plan) {
        plan = load(workflows, tenantId, workflowId, version);
        plans.set(key, plan);
        // A failed read (the database) is tried again next time; a version is immutable once it exists.
        plan.catch(() => plans.delete(key));
      }
      return plan;
    },
  };
}

async function load(workflows: WorkflowRepository, tenantId: string, workflowId: string, version: number): Promise<WorkflowPlan> {
  const stored = await workflows.get(tenantId, workflowId, version);
  if (!stored) throw new LianjieError('workflow.not_found', `tenant ${tenantId} has no workflow ${workflowId} version ${version}`);
  return planWorkflow(JSON.parse(stored.definition) as Workflow, version);
}
