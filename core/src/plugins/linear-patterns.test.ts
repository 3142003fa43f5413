import { describe, expect, it } from 'vitest';
import { LianjieError } from '../errors.ts';
import { parseManifest } from './manifest.ts';
import { pluginSchemas } from './plugin-schemas.ts';
import { manifestWith } from './plugins.test-support.ts';

const action = (input: unknown) => [{ id: 'echo', input, output: {} }];

describe('vendor regular expressions', () => {
  it('refuses what the linear engine cannot run (backreferences, lookaheads, nested counted repetitions), naming the pointer', () => {
    const manifest = manifestWith({
      actions: action({
        type: 'object',
        properties: { a: { type: 'string', pattern: '^(a|a)*\\1$' }, b: { type: 'string', pattern: '^(?!x)' }, c: { type: 'string', pattern: '(a{1,30}){1,30}$' } },
        patternProperties: { '^(y)\\1z': { type: 'string' } },
      }),
    });
    let thrown: unknown;
    try {
      parseManifest(manifest);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as LianjieError).code).toBe('manifest.invalid');
    expect((thrown as LianjieError).details.map((d) => d.pointer)).toEqual([
      '/actions/0/input/properties/a/pattern',
      '/actions/0/input/properties/b/pattern',
      '/actions/0/input/properties/c/pattern',
      '/actions/0/input/patternProperties/^(y)\\1z',
    ]);
  });

  it('runs a catastrophic but backreference-free pattern in linear time in the host', () => {
    const manifest = parseManifest(manifestWith({ actions: action({ type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' } } }) }));
    const started = performance.now();
    const result = pluginSchemas(manifest).actionInput('echo')({ a: `${'a'.repeat(40)}b` });
    expect(result.ok).toBe(false);
    // Backtracking would take minutes on 40 characters; linear time takes well under a second even on a slow machine.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
