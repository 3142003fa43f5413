// Secrets of an install's config are found wherever its schema marks them: nested objects, arrays, pattern and
// additional properties, combinators and local refs; shown as [redacted] in answers and run history.
import { describe, expect, it } from 'vitest';
import type { Install } from '../../plugins/types.ts';
import { keepOmittedSecrets, withoutSecrets } from '../../plugins/config-secrets.ts';
import { createRedactor } from './redact.ts';

const schema = {
  type: 'object',
  $defs: { credential: { type: 'object', properties: { password: { type: 'string', writeOnly: true } } } },
  properties: {
    greeting: { type: 'string' },
    apiKey: { type: 'string', format: 'secret' },
    accounts: { type: 'array', items: { $ref: '#/$defs/credential' } },
    pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'string', writeOnly: true }] },
    byStore: { type: 'object', additionalProperties: { type: 'object', properties: { token: { type: 'string', writeOnly: true } } } },
    hooks: { type: 'object', patternProperties: { '^sig-': { type: 'string', writeOnly: true } } },
    either: { anyOf: [{ type: 'string', writeOnly: true }, { type: 'number' }] },
    short: { type: 'string', writeOnly: true },
  },
};
const config = {
  greeting: 'Hello', apiKey: 'sk-top-secret', accounts: [{ password: 'pw-one-1' }, { password: 'pw-two-2' }], pair: ['visible', 'pair-secret'],
  byStore: { s42: { token: 'tok-store-42' } }, hooks: { 'sig-pos': 'hook-secret', other: 'plain' }, either: 'either-secret', short: 'abc',
};

describe('install secrets', () => {
  it('withoutSecrets replaces every value the schema marks secret, whatever its length, and nothing else', () => {
    expect(withoutSecrets(schema, config)).toEqual({
      greeting: 'Hello', apiKey: '[redacted]', accounts: [{ password: '[redacted]' }, { password: '[redacted]' }], pair: ['visible', '[redacted]'],
      byStore: { s42: { token: '[redacted]' } }, hooks: { 'sig-pos': '[redacted]', other: 'plain' }, either: '[redacted]', short: '[redacted]',
    });
  });

  it('run history is redacted of the same secrets (those of four characters or more)', () => {
    const install = { plugin: { manifest: { config: schema } }, config } as unknown as Install;
    const text = createRedactor(install)(JSON.stringify({ echoed: Object.values(config) }))!;
    for (const secret of ['sk-top-secret', 'pw-one-1', 'pw-two-2', 'pair-secret', 'tok-store-42', 'hook-secret', 'either-secret']) expect(text).not.toContain(secret);
    expect(text).toContain('Hello');
    expect(text).toContain('plain');
  });

  it('a config given again without its secrets keeps them; a secret given replaces the old one', () => {
    const given = { greeting: 'Hi', accounts: [{ password: 'pw-new' }], byStore: { s42: {} }, hooks: {}, pair: ['v'] };
    expect(keepOmittedSecrets(schema, given, config)).toEqual({ ...given, apiKey: 'sk-top-secret', short: 'abc' });
    expect(keepOmittedSecrets(schema, { apiKey: 'sk-new-one' }, config)).toEqual({ apiKey: 'sk-new-one', short: 'abc' });
    expect(keepOmittedSecrets({ type: 'object', properties: { nested: { $ref: '#/$defs/n' } }, $defs: { n: { type: 'object', properties: { key: { type: 'string', writeOnly: true } } } } },
      { nested: { other: 1 } }, { nested: { key: 'kept-key' } })).toEqual({ nested: { other: 1, key: 'kept-key' } });
  });
});
