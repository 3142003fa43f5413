// Checks of a parsed expression that JSONata itself does not make: every path starts from a name in scope, and
// every regular expression can run in linear time.
import type jsonata from 'jsonata';
import { runsInLinearTime } from '../../linear-regexp.ts';
import { scopeNames } from './scope.ts';

export interface AstProblem {
  /** JSONata's position: the character just past the offending token, counted in the expression's source. */
  position: number;
  message: string;
}

// AST keys whose expressions are evaluated against another context than their node's (a filter, a group-by,
// an order-by, a transform's pattern and update): names there are fields of that context, not of the scope.
const newContext = new Set(['stages', 'predicate', 'group', 'terms', 'pattern', 'update', 'delete']);

type Node = jsonata.ExprNode & Record<string, unknown>;

export function astProblems(ast: jsonata.ExprNode): AstProblem[] {
  const problems: AstProblem[] = [];
  const seen = new WeakSet<object>();
  const visit = (value: unknown, atRoot: boolean): void => {
    if (typeof value !== 'object' || value === null || value instanceof RegExp || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) return value.forEach((item) => visit(item, atRoot));
    const node = value as Node;
    if (node.type === 'name' && atRoot && !scopeNames.includes(String(node.value))) problems.push(outOfScope(node));
    if ((node.type as string) === 'regex' && node.value instanceof RegExp) {
      if (!runsInLinearTime(node.value)) problems.push(nonLinear(node.value, node.position ?? 0));
    }
    for (const [key, child] of Object.entries(node)) {
      // A path's first step reads its node's context; each later step reads the step before it.
      if (key === 'steps' && node.type === ('path' as string) && Array.isArray(child)) {
        child.forEach((step, i) => visit(step, atRoot && i === 0));
      } else {
        visit(child, atRoot && !newContext.has(key));
      }
    }
  };
  visit(ast, true);
  return problems;
}

function outOfScope(node: Node): AstProblem {
  const name = String(node.value);
  const hint = name === 'data' ? ' (the event\'s fields are trigger.data)' : '';
  return {
    position: node.position ?? 0,
    message: `reads \`${name}\`, which is not in scope${hint}: expressions see only ${scopeNames.join(', ')}`,
  };
}

function nonLinear(regex: RegExp, position: number): AstProblem {
  // JSONata adds the g flag to every regex; show the regex as the expression wrote it.
  const written = `/${regex.source}/${regex.flags.replace('g', '')}`;
  return {
    position,
    message: `uses ${written}, which V8 cannot run in linear time: expressions may only use regular expressions without backreferences, lookarounds, the i flag (match $lowercase(x) instead) or counted repetitions above {16}`,
  };
}
