// Splits a string of a workflow into literal text and {{ expression }} parts.
//
// The first `}}` after a `{{` closes it, even inside a JSONata string or object constructor: write `} }` for
// nested braces. There is no escape for a literal `{{`; write {{ '{{' }}. A `}}` outside an expression is text.

export type Segment =
  | { text: string }
  /** `offset`: where `source` starts in the string, so positions inside it can be reported in the string's terms. */
  | { source: string; offset: number };

export type ParsedTemplate = { segments: Segment[] } | { problem: string };

export function parseTemplate(value: string): ParsedTemplate {
  const segments: Segment[] = [];
  let at = 0;
  while (at < value.length) {
    const open = value.indexOf('{{', at);
    if (open === -1) break;
    if (open > at) segments.push({ text: value.slice(at, open) });
    const close = value.indexOf('}}', open + 2);
    if (close === -1) return { problem: `has a '{{' at position ${open} that no '}}' closes` };
    const source = value.slice(open + 2, close);
    if (source.trim() === '') return { problem: `has an empty '{{ }}' at position ${open}` };
    segments.push({ source, offset: open + 2 });
    at = close + 2;
  }
  if (at < value.length) segments.push({ text: value.slice(at) });
  return { segments };
}
