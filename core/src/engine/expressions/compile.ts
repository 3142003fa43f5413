// Compiles the expressions of a workflow when it is saved: conditions (plain JSONata), {{ }} templates in strings,
// and mappings (any JSON whose strings may hold templates), each with the JSON pointer it came from.
import jsonata from 'jsonata';
import { isLianjieError, LianjieError, type ErrorDetail } from '../../errors.ts';
import { astProblems } from './ast-check.ts';
import { maxSequenceItems } from './budget.ts';
import { installBuiltins } from './builtins.ts';
import { installGuardHooks } from './guard.ts';
import { enableLinearFlag, LinearRegExp } from '../../linear-regexp.ts';
import { parseTemplate } from './parse-template.ts';

export interface CompiledExpression {
  /** The JSONata text, without its braces. */
  readonly source: string;
  /** The JSON pointer of the string (or condition) it came from. */
  readonly pointer: string;
  /** Where `source` starts in that string; positions in messages count from the string's start. */
  readonly offset: number;
  readonly jsonata: jsonata.Expression;
}

export type TemplatePart = string | CompiledExpression;

/** A string of a workflow: no expression, exactly one `{{ }}` (keeps its value's type), or text with expressions. */
export type CompiledTemplate =
  | { kind: 'literal'; value: string }
  | { kind: 'whole'; expr: CompiledExpression }
  | { kind: 'template'; parts: TemplatePart[] };

/** A JSON value whose strings may hold templates; parts without any are kept as JSON text. */
export type CompiledMapping =
  | { kind: 'constant'; json: string }
  | Exclude<CompiledTemplate, { kind: 'literal' }>
  | { kind: 'array'; items: CompiledMapping[] }
  | { kind: 'object'; entries: [string, CompiledMapping][] };

const maxMappingDepth = 100;

/**
 * A plain JSONata expression, such as a condition (`trigger.data.state = 'store42'`), evaluated against the scope
 * `{ trigger, steps, install, now, item, index }`. Throws `workflow.invalid` with `pointer` when it does not compile.
 */
export function compileExpression(source: string, pointer: string): CompiledExpression {
  if (/^\s*\{\{[\s\S]*\}\}\s*$/.test(source)) {
    throw invalid([{ pointer, message: `${quote(source)} is a condition, which is plain JSONata without {{ }}: write ${quote(source.trim().slice(2, -2).trim())}` }]);
  }
  return compileAt(source, pointer, 0);
}

/** A string that may hold `{{ expression }}` templates. */
export function compileTemplate(value: string, pointer: string): CompiledTemplate {
  if (!value.includes('{{')) return { kind: 'literal', value };
  const parsed = parseTemplate(value);
  if ('problem' in parsed) throw invalid([{ pointer, message: parsed.problem }]);
  const { segments } = parsed;
  if (segments.length === 1 && 'source' in segments[0]!) {
    return { kind: 'whole', expr: compileAt(segments[0].source, pointer, segments[0].offset) };
  }
  const details: ErrorDetail[] = [];
  const parts = segments.map((segment): TemplatePart => {
    if ('text' in segment) return segment.text;
    try {
      return compileAt(segment.source, pointer, segment.offset);
    } catch (error) {
      details.push(...detailsOf(error));
      return '';
    }
  });
  if (details.length > 0) throw invalid(details);
  return { kind: 'template', parts };
}

/** Every string with `{{ }}` inside `value` (objects, arrays, strings) compiled; every problem reported at once. */
export function compileMapping(value: unknown, pointer: string): CompiledMapping {
  const details: ErrorDetail[] = [];
  const walk = (node: unknown, at: string, depth: number): CompiledMapping => {
    if (depth > maxMappingDepth) {
      details.push({ pointer: at, message: `is nested deeper than ${maxMappingDepth} levels` });
    } else if (typeof node === 'string') {
      try {
        const template = compileTemplate(node, at);
        if (template.kind !== 'literal') return template;
      } catch (error) {
        details.push(...detailsOf(error));
      }
    } else if (Array.isArray(node)) {
      const items = node.map((item, i) => walk(item, `${at}/${i}`, depth + 1));
      if (!items.every(isConstant)) return { kind: 'array', items };
    } else if (isPlainObject(node)) {
      const entries = Object.entries(node).map(([key, item]): [string, CompiledMapping] => [key, walk(item, `${at}/${escapePointer(key)}`, depth + 1)]);
      if (!entries.every(([, item]) => isConstant(item))) return { kind: 'object', entries };
    } else if (!(node === null || typeof node === 'boolean' || (typeof node === 'number' && Number.isFinite(node)))) {
      details.push({ pointer: at, message: 'is not a JSON value' });
    }
    return { kind: 'constant', json: JSON.stringify(node) ?? 'null' };
  };
  const compiled = walk(value, pointer, 0);
  if (details.length > 0) throw invalid(details);
  return compiled;
}

function compileAt(source: string, pointer: string, offset: number): CompiledExpression {
  enableLinearFlag();
  let expression: jsonata.Expression;
  try {
    // JSONata only ever calls `new RegexEngine(…)`; its type also asks for RegExp's call signature.
    expression = jsonata(source, { RegexEngine: LinearRegExp as unknown as RegExpConstructor, sequence: maxSequenceItems });
  } catch (error) {
    throw invalid([{ pointer, message: `${quote(source)} does not compile: ${describeJsonataError(error, offset)}` }]);
  }
  const problems = astProblems(expression.ast());
  if (problems.length > 0) {
    throw invalid(problems.map((problem) => ({ pointer, message: `${quote(source)} ${problem.message} (at position ${problem.position + offset})` })));
  }
  installGuardHooks(expression);
  installBuiltins(expression);
  return { source, pointer, offset, jsonata: expression };
}

/** JSONata's message and position (moved by `offset` into the string's terms); errors that are not JSONata's as is. */
export function describeJsonataError(error: unknown, offset: number): string {
  const { message, position } = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown; position?: unknown };
  const text = typeof message === 'string' && message !== '' ? message : String(error);
  return typeof position === 'number' ? `${text} at position ${position + offset}` : text;
}

/** An expression's source as messages show it: trimmed, in backticks, at most 80 characters. */
export function quote(source: string): string {
  const trimmed = source.trim().replace(/\s+/g, ' ');
  return `\`${trimmed.length > 80 ? `${trimmed.slice(0, 79)}…` : trimmed}\``;
}

function invalid(details: ErrorDetail[]): LianjieError {
  const [first] = details;
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
  return new LianjieError('workflow.invalid', `Expression at ${first!.pointer} ${first!.message}${more}`, details);
}

function detailsOf(error: unknown): ErrorDetail[] {
  if (isLianjieError(error)) return error.details;
  throw error;
}

const isConstant = (mapping: CompiledMapping) => mapping.kind === 'constant';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
