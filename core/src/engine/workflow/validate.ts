// validateWorkflow: a workflow checked as it is saved (DESIGN.md §3), every problem at its JSON pointer at once.
import { LianjieError, type ErrorDetail } from '../../errors.ts';
import type { Workflow } from '../../generated/workflow.ts';
import { summarize } from '../../plugins/summary.ts';
import type { Install } from '../../plugins/types.ts';
import { compileProblems, expressionSites, itemProblems, referenceProblems } from './expressions.ts';
import { installedProblems } from './installed.ts';
import { schemaProblems } from './schema-problems.ts';
import { stepRuleProblems } from './step-rules.ts';
import { field, flattenSteps } from './walk.ts';

export interface ValidateOptions {
  /** The tenants that exist; when given, the workflow's tenantId must be one of them. */
  tenants?: readonly string[];
}

/**
 * Returns a copy of `value` with the schema's defaults applied (`enabled`, `forEach.concurrency`), or throws
 * workflow.invalid with a detail for every problem: the schema; each action and plugin trigger of a plugin
 * installed for the workflow's tenant, the event a canonical type; literal inputs against the action's input
 * schema; step ids unique; goto targets; expressions that compile and name only steps that ran before them.
 */
export function validateWorkflow(value: unknown, installs: readonly Install[], options: ValidateOptions = {}): Workflow {
  const workflow: unknown = structuredClone(value);
  const steps = flattenSteps(workflow);
  const schema = schemaProblems(workflow, steps);
  const sites = expressionSites(workflow, steps);
  const rules = [
    ...tenantProblems(workflow, options.tenants),
    ...stepRuleProblems(steps),
    ...installedProblems(workflow, steps, installs),
    ...compileProblems(sites),
    ...referenceProblems(sites, steps),
    ...itemProblems(sites),
  ];
  // Where the schema already found a value wrong, what the rules say about it adds nothing.
  const reported = new Set(schema.map((d) => d.pointer));
  const details = inDocumentOrder(workflow, [...schema, ...rules.filter((d) => !reported.has(d.pointer))]);
  if (details.length > 0) {
    const id = field(workflow, 'id');
    throw new LianjieError('workflow.invalid', `invalid workflow${typeof id === 'string' ? ` ${id}` : ''}: ${summarize(details)}`, details);
  }
  return workflow as Workflow;
}

function tenantProblems(workflow: unknown, tenants: readonly string[] | undefined): ErrorDetail[] {
  const tenantId = field(workflow, 'tenantId');
  if (!tenants || typeof tenantId !== 'string' || tenants.includes(tenantId)) return [];
  return [{ pointer: '/tenantId', message: `no tenant "${tenantId}" (tenants: ${tenants.join(', ') || 'none'})` }];
}

/** `details` sorted by where they point in the workflow as written; a missing key sorts with its object. */
function inDocumentOrder(workflow: unknown, details: ErrorDetail[]): ErrorDetail[] {
  const order = new Map<string, number>();
  const visit = (value: unknown, pointer: string) => {
    order.set(pointer, order.size);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, item] of Object.entries(value)) visit(item, `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`);
  };
  visit(workflow, '');
  const position = (pointer: string): number => {
    for (let at = pointer === '/' ? '' : pointer; ; at = at.slice(0, at.lastIndexOf('/'))) {
      const found = order.get(at);
      if (found !== undefined) return found;
      if (at === '') return 0;
    }
  };
  // sort is stable: details at one place keep the order they were found in.
  return details.map((d) => ({ d, at: position(d.pointer) })).sort((a, b) => a.at - b.at).map(({ d }) => d);
}
