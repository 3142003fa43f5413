// checkHandlers: declared ids without handlers and handlers without declared ids, as manifest.invalid details.
import { describe, expect, it } from 'vitest';
import { checkHandlers } from './handlers.ts';
import { parseManifest } from './manifest.ts';
import { failure, withTriggers } from './plugins.test-support.ts';

const manifest = () => {
  const raw = withTriggers();
  raw.actions.push({ ...structuredClone(raw.actions[0]), id: 'shout' }, { ...structuredClone(raw.actions[0]), id: 'whisper' });
  return parseManifest(raw);
};
const all = { actions: ['echo', 'shout', 'whisper'], triggers: ['added', 'paid', 'daily'] };

describe('checkHandlers', () => {
  it('accepts a bundle that registers exactly what the manifest declares, in any order', () => {
    expect(() => checkHandlers(manifest(), { actions: ['whisper', 'echo', 'shout'], triggers: ['daily', 'paid', 'added'] })).not.toThrow();
  });

  it('names each declared action and trigger without a handler', () => {
    const error = failure(() => checkHandlers(manifest(), { actions: ['shout'], triggers: ['added', 'daily'] }));
    expect(error.code).toBe('manifest.invalid');
    expect(error.details).toEqual([
      { pointer: '/actions/0/id', message: 'has no handler in the bundle' },
      { pointer: '/actions/2/id', message: 'has no handler in the bundle' },
      { pointer: '/triggers/1/id', message: 'has no handler in the bundle' },
    ]);
  });

  it('names each handler the manifest does not declare', () => {
    const error = failure(() => checkHandlers(manifest(), { actions: [...all.actions, 'yell'], triggers: [...all.triggers, 'hourly'] }));
    expect(error.code).toBe('manifest.invalid');
    expect(error.details).toEqual([
      { pointer: '/actions', message: 'the bundle registers action "yell" that the manifest does not declare' },
      { pointer: '/triggers', message: 'the bundle registers trigger "hourly" that the manifest does not declare' },
    ]);
    expect(error.message).toBe(
      'plugin lianjie.echo@1.0.0: manifest and bundle disagree: /actions the bundle registers action "yell" that the manifest does not declare; '
        + '/triggers the bundle registers trigger "hourly" that the manifest does not declare',
    );
  });

  it('collects both kinds at once', () => {
    const error = failure(() => checkHandlers(manifest(), { actions: ['echo', 'shout', 'paid'], triggers: all.triggers }));
    expect(error.details.map((d) => d.pointer)).toEqual(['/actions/2/id', '/actions']);
  });
});
