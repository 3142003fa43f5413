// Every expression of a workflow: where it is and which step it belongs to, whether it compiles, and
// whether the steps it names have run by the time it is evaluated.
import { isLianjieError, type ErrorDetail } from '../../errors.ts';
import { compileExpression, compileMapping } from '../expressions/compile.ts';
import { referencedItemNames, referencedSteps, templateTexts, type ExpressionText } from './scan.ts';
import { field, isObject, type StepAt } from './walk.ts';

export interface ExpressionSite {
  pointer: string;
  /** The step it is evaluated for; undefined for the trigger's condition. */
  owner: StepAt | undefined;
  /** A condition is plain JSONata; a mapping is JSON whose strings may hold {{ }} templates. */
  kind: 'condition' | 'mapping';
  value: unknown;
}

/** The trigger's condition, then each step's expressions in flattened order. */
export function expressionSites(workflow: unknown, steps: readonly StepAt[]): ExpressionSite[] {
  const sites: ExpressionSite[] = [];
  const condition = (owner: StepAt | undefined, pointer: string, value: unknown) => {
    if (typeof value === 'string') sites.push({ pointer, owner, kind: 'condition', value });
  };
  const mapping = (owner: StepAt, pointer: string, value: unknown) => {
    if (value !== undefined) sites.push({ pointer, owner, kind: 'mapping', value });
  };
  condition(undefined, '/trigger/if', field(field(workflow, 'trigger'), 'if'));
  for (const at of steps) {
    const { step, pointer } = at;
    condition(at, `${pointer}/if`, step.if);
    mapping(at, `${pointer}/input`, step.input);
    condition(at, `${pointer}/branch/if`, field(step.branch, 'if'));
    if (isObject(step.wait)) mapping(at, `${pointer}/wait/until`, step.wait.until);
    mapping(at, `${pointer}/forEach/items`, field(step.forEach, 'items'));
    mapping(at, `${pointer}/stop/reason`, field(step.stop, 'reason'));
  }
  return sites;
}

/** Problems of the expressions that do not compile, as the expression compiler reports them. */
export function compileProblems(sites: readonly ExpressionSite[]): ErrorDetail[] {
  return sites.flatMap((site) => {
    try {
      if (site.kind === 'condition') compileExpression(site.value as string, site.pointer);
      else compileMapping(site.value, site.pointer);
      return [];
    } catch (error) {
      if (!isLianjieError(error)) throw error;
      return error.details.length > 0 ? error.details : [{ pointer: site.pointer, message: error.message }];
    }
  });
}

/** Each `steps.<id>` an expression names must be a step that has finished before the expression runs. */
export function referenceProblems(sites: readonly ExpressionSite[], steps: readonly StepAt[]): ErrorDetail[] {
  const byId = new Map<string, StepAt>();
  for (const at of steps) if (at.id !== undefined && !byId.has(at.id)) byId.set(at.id, at);
  return sites.flatMap((site) => texts(site).flatMap(({ pointer, source }) =>
    referencedSteps(source).flatMap((id) => {
      const problem = whyUnavailable(byId.get(id), site.owner, id);
      return problem ? [{ pointer, message: `names steps.${id}, ${problem}` }] : [];
    })));
}

function texts(site: ExpressionSite): ExpressionText[] {
  return site.kind === 'condition' ? [{ pointer: site.pointer, source: site.value as string }] : templateTexts(site.value, site.pointer);
}

function whyUnavailable(target: StepAt | undefined, owner: StepAt | undefined, id: string): string | undefined {
  if (!target) return `but the workflow has no step "${id}"`;
  if (!owner) return 'but the trigger\'s condition is evaluated before any step runs';
  if (target === owner) return 'the step it belongs to: a step can use only the steps before it';
  if (owner.ancestors.includes(target)) return `which encloses this step and has no output until it has finished`;
  if (target.order > owner.order) return `which comes later (${target.pointer}): a step can use only the steps before it`;
  const arm = otherArm(target, owner);
  if (arm) return `which is in the other arm of the branch at ${arm} and never runs in the same run as this step`;
  return undefined;
}

/** The pointer of the branch step when `a` and `b` sit in its two different arms. */
function otherArm(a: StepAt, b: StepAt): string | undefined {
  const chainA = [...a.ancestors, a];
  const chainB = [...b.ancestors, b];
  let i = 0;
  while (chainA[i] === chainB[i]) i++;
  return chainA[i]!.list !== chainB[i]!.list && i > 0 ? chainA[i - 1]!.pointer : undefined;
}

/** `item` and `index` exist only for the steps inside a forEach body (not for the forEach's own `items`). */
export function itemProblems(sites: readonly ExpressionSite[]): ErrorDetail[] {
  return sites.flatMap((site) => {
    if (site.owner?.ancestors.some((a) => a.kinds.includes('forEach'))) return [];
    return texts(site).flatMap(({ pointer, source }) => referencedItemNames(source).map((name) => ({
      pointer, message: `reads \`${name}\`, which exists only in the steps of a forEach body`,
    })));
  });
}
