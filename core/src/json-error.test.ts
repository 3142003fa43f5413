import { describe, expect, it } from 'vitest';
import { jsonErrorWhere } from './json-error.ts';

const where = (text: string) => {
  try {
    JSON.parse(text);
  } catch (error) {
    return jsonErrorWhere(text, error);
  }
  return 'parsed';
};

describe('jsonErrorWhere', () => {
  it('names the line and column and never quotes the text', () => {
    const text = '{\n  "token": "abc",\n  "secret": S3cr3tValue\n}';
    const message = where(text);
    expect(message).toMatch(/^not valid JSON( at line 3, column \d+)?$/);
    expect(message).not.toContain('S3cr3t');
    expect(where('')).toBe('empty, not JSON');
  });
});
