// Evaluates compiled mappings and conditions against a run's scope, within a time, depth and size budget.
import { Buffer } from 'node:buffer';
import { LianjieError } from '../../errors.ts';
import { maxSequenceItems, resolveBudget, type Budget } from './budget.ts';
import { originals, type Builtin } from './originals.ts';
import { clockBindings } from './clock.ts';
import { describeJsonataError, quote, type CompiledExpression, type CompiledMapping } from './compile.ts';
import { createGuard, guardBindings } from './guard.ts';
import { scopeInput, type ExpressionScope } from './scope.ts';
import { jsonText, NotJson, templateText } from './to-json.ts';

/** One evaluateMapping or evaluateCondition call: all its expressions share the deadline and the output size. */
interface Evaluation {
  input: Record<string, unknown>;
  clock: Record<string, Builtin>;
  budget: Budget;
  deadline: number;
  outputBytes: number;
}

/**
 * The value `compiled` maps to in `scope`: a fresh JSON value that shares nothing with the scope. A whole-value
 * expression keeps its type (undefined becomes null); a template is a string. Throws
 * `workflow.expression_failed` at the failing expression's pointer.
 */
export async function evaluateMapping(compiled: CompiledMapping, scope: ExpressionScope, budget?: Partial<Budget>): Promise<unknown> {
  return mapValue(compiled, startEvaluation(scope, budget));
}

/** Whether a condition holds, by JSONata's truthiness ($boolean): undefined, '', 0, [], {} and functions are false. */
export async function evaluateCondition(compiled: CompiledExpression, scope: ExpressionScope, budget?: Partial<Budget>): Promise<boolean> {
  const value = await evaluateExpression(compiled, startEvaluation(scope, budget));
  return originals.boolean.implementation.call(undefined as never, value as never) === true;
}

function startEvaluation(scope: ExpressionScope, budget: Partial<Budget> | undefined): Evaluation {
  const epochMs = Date.parse(scope.now);
  if (Number.isNaN(epochMs)) {
    throw new LianjieError('internal', 'The expression scope\'s now is not an ISO 8601 timestamp', [{ pointer: '/now', message: `is ${JSON.stringify(scope.now)}` }]);
  }
  const resolved = resolveBudget(budget);
  return { input: scopeInput(scope), clock: clockBindings(epochMs), budget: resolved, deadline: performance.now() + resolved.timeMs, outputBytes: 0 };
}

async function mapValue(node: CompiledMapping, run: Evaluation): Promise<unknown> {
  switch (node.kind) {
    case 'constant':
      return JSON.parse(node.json);
    case 'whole': {
      const value = await evaluateExpression(node.expr, run);
      return JSON.parse(produce(node.expr, run, () => jsonText(value) ?? 'null'));
    }
    case 'template': {
      let text = '';
      for (const part of node.parts) {
        if (typeof part === 'string') text += part;
        else {
          const value = await evaluateExpression(part, run);
          text += produce(part, run, () => templateText(value));
        }
      }
      return text;
    }
    case 'array': {
      const items: unknown[] = [];
      for (const item of node.items) items.push(await mapValue(item, run));
      return items;
    }
    case 'object': {
      const entries: [string, unknown][] = [];
      for (const [key, item] of node.entries) entries.push([key, await mapValue(item, run)]);
      // fromEntries defines own properties, so a "__proto__" key stays a key.
      return Object.fromEntries(entries);
    }
  }
}

/** An expression's value as text, counted against the output budget of the whole mapping. */
function produce(expr: CompiledExpression, run: Evaluation, convert: () => string): string {
  let text: string;
  try {
    text = convert();
  } catch (error) {
    throw failed(expr, error instanceof NotJson ? error.message : `yields a value that is not JSON: ${describeJsonataError(error, 0)}`);
  }
  run.outputBytes += Buffer.byteLength(text);
  if (run.outputBytes > run.budget.maxOutputBytes) {
    throw failed(expr, `made the mapped value larger than its budget of ${run.budget.maxOutputBytes} bytes`);
  }
  return text;
}

async function evaluateExpression(expr: CompiledExpression, run: Evaluation): Promise<unknown> {
  const guard = createGuard(run.budget, run.deadline);
  try {
    return await expr.jsonata.evaluate(run.input, { ...run.clock, ...guardBindings(guard) });
  } catch (error) {
    // A guard's stop may reach here wrapped ($eval wraps what it catches); the recorded reason is the real one.
    throw failed(expr, guard.failure?.message ?? runtimeFailure(error, expr.offset));
  }
}

// JSONata's own sequence limits (a range, an append past maxSequenceItems) are size failures like the guard's.
const sequenceLimitCodes = new Set(['D2014', 'D2015']);

function runtimeFailure(error: unknown, offset: number): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && sequenceLimitCodes.has(code)) return `built a sequence of more than ${maxSequenceItems} items`;
  return `failed: ${describeJsonataError(error, offset)}`;
}

function failed(expr: CompiledExpression, why: string): LianjieError {
  return new LianjieError('workflow.expression_failed', `Expression at ${expr.pointer} ${quote(expr.source)} ${why}`, [
    { pointer: expr.pointer, message: `${quote(expr.source)} ${why}` },
  ]);
}
