// parseTemplate: text and {{ }} parts with their offsets, the first }} closing, and unclosed or empty braces.
import { describe, expect, it } from 'vitest';
import { parseTemplate } from './parse-template.ts';

describe('parseTemplate', () => {
  it('splits text and expressions, each expression with where its source starts', () => {
    expect(parseTemplate('Hi {{ a }}, {{b}}!')).toEqual({
      segments: [{ text: 'Hi ' }, { source: ' a ', offset: 5 }, { text: ', ' }, { source: 'b', offset: 14 }, { text: '!' }],
    });
  });

  it('gives one expression segment for a string that is exactly one {{ }}', () => {
    expect(parseTemplate('{{ x }}')).toEqual({ segments: [{ source: ' x ', offset: 2 }] });
  });

  it('closes at the first }}, even inside a JSONata string', () => {
    expect(parseTemplate("{{ 'a}}b' }}")).toEqual({ segments: [{ source: " 'a", offset: 2 }, { text: "b' }}" }] });
  });

  it('keeps a }} outside an expression as text, and lets {{ \'{{\' }} write a literal {{', () => {
    expect(parseTemplate('a }} b')).toEqual({ segments: [{ text: 'a }} b' }] });
    expect(parseTemplate("{{ '{{' }}")).toEqual({ segments: [{ source: " '{{' ", offset: 2 }] });
  });

  it('reports a {{ that nothing closes, and an empty {{ }}, with their positions', () => {
    expect(parseTemplate('ok {{ a }} then {{ b')).toEqual({ problem: "has a '{{' at position 16 that no '}}' closes" });
    expect(parseTemplate('x {{  }}')).toEqual({ problem: "has an empty '{{ }}' at position 2" });
  });
});
