// Simple scans of expression text: the {{ }} templates inside a mapping's strings, and the steps an expression names.
import { parseTemplate } from '../expressions/parse-template.ts';

export interface ExpressionText {
  /** The JSON pointer of the string (or condition) holding the expression. */
  pointer: string;
  source: string;
}

/** The source of every `{{ … }}` in the strings of `value`, with the pointer of its string. */
export function templateTexts(value: unknown, pointer: string): ExpressionText[] {
  if (typeof value === 'string') {
    // A string that does not parse is the compiler's to report; it names no step here.
    const parsed = parseTemplate(value);
    return 'problem' in parsed ? [] : parsed.segments.flatMap((s) => ('source' in s ? [{ pointer, source: s.source }] : []));
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => templateTexts(item, `${pointer}/${i}`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => templateTexts(item, `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`));
  }
  return [];
}

/** Whether any string in `value` holds a `{{`: then it is not a literal, even when its template is broken. */
export function hasTemplates(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (typeof value === 'object' && value !== null) return Object.values(value).some(hasTemplates);
  return false;
}

// JSONata strings ('…', "…", with backslash escapes) and comments can mention steps.x without naming a step.
const quotedOrComment = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\/\*[\s\S]*?(?:\*\/|$)/g;
// `steps` as the start of a path (not `x.steps`, not `$steps`), then a name or a `quoted name`.
const stepReference = /(?<![\w$.])(?:\$\.)?steps\s*\.\s*(?:([A-Za-z_][A-Za-z0-9_]*)|`([^`]*)`)/g;

/** The step ids `source` names as `steps.<id>` (or steps.`<id>`), each once, in order of appearance. */
export function referencedSteps(source: string): string[] {
  const code = source.replace(quotedOrComment, (text) => ' '.repeat(text.length));
  return [...new Set([...code.matchAll(stepReference)].map((m) => m[1] ?? m[2]!))];
}

// `item` or `index` as the start of a path (not `x.item`, not `$item`).
const itemReference = /(?<![\w$.])(?:\$\.)?(item|index)(?![\w$])/g;

/** Which of the forEach names `item` and `index` `source` reads, each once. */
export function referencedItemNames(source: string): string[] {
  const code = source.replace(quotedOrComment, (text) => ' '.repeat(text.length));
  return [...new Set([...code.matchAll(itemReference)].map((m) => m[1]!))];
}
