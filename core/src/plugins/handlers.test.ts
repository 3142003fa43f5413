// checkHandlers: declared ids and config migrations without handlers and handlers without declared ids, as manifest.invalid details.
import { describe, expect, it } from 'vitest';
import { checkHandlers } from './handlers.ts';
import { parseManifest } from './manifest.ts';
import { failure, withTriggers } from './plugins.test-support.ts';

const manifest = () => {
  const raw = withTriggers();
  raw.actions.push({ ...structuredClone(raw.actions[0]), id: 'shout' }, { ...structuredClone(raw.actions[0]), id: 'whisper' });
  return parseManifest(raw);
};
const all = { actions: ['echo', 'shout', 'whisper'], triggers: ['added', 'paid', 'daily'], migrations: [] };

describe('checkHandlers', () => {
  it('accepts a bundle that registers exactly what the manifest declares, in any order', () => {
    expect(() => checkHandlers(manifest(), { actions: ['whisper', 'echo', 'shout'], triggers: ['daily', 'paid', 'added'], migrations: [] })).not.toThrow();
  });

  it('names each declared action and trigger without a handler', () => {
    const error = failure(() => checkHandlers(manifest(), { actions: ['shout'], triggers: ['added', 'daily'], migrations: [] }));
    expect(error.code).toBe('manifest.invalid');
    expect(error.details).toEqual([
      { pointer: '/actions/0/id', message: 'has no handler in the bundle' },
      { pointer: '/actions/2/id', message: 'has no handler in the bundle' },
      { pointer: '/triggers/1/id', message: 'has no handler in the bundle' },
    ]);
  });

  it('names each handler the manifest does not declare', () => {
    const error = failure(() => checkHandlers(manifest(), { ...all, actions: [...all.actions, 'yell'], triggers: [...all.triggers, 'hourly'] }));
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
    const error = failure(() => checkHandlers(manifest(), { ...all, actions: ['echo', 'shout', 'paid'] }));
    expect(error.details.map((d) => d.pointer)).toEqual(['/actions/2/id', '/actions']);
  });

  describe('config migrations', () => {
    const migrating = () => parseManifest({ ...manifest(), version: '4.2.0', configMigrations: [{ from: 1 }, { from: 3, description: 'splits name' }, { from: 0 }] });

    it('accepts a bundle that registers a migration from each declared major, in any order', () => {
      expect(() => checkHandlers(migrating(), { ...all, migrations: ['0', '1', '3'] })).not.toThrow();
    });

    it('names each declared migration without a handler at its from, and each registered one not declared', () => {
      const error = failure(() => checkHandlers(migrating(), { ...all, migrations: ['1', '2'] }));
      expect(error.code).toBe('manifest.invalid');
      expect(error.details).toEqual([
        { pointer: '/configMigrations/1/from', message: 'has no handler in the bundle' },
        { pointer: '/configMigrations/2/from', message: 'has no handler in the bundle' },
        { pointer: '/configMigrations', message: 'the bundle registers a config migration from major "2" that the manifest does not declare' },
      ]);
    });

    it('refuses a migration a manifest without configMigrations does not declare', () => {
      expect(failure(() => checkHandlers(manifest(), { ...all, migrations: ['0'] })).details).toEqual([
        { pointer: '/configMigrations', message: 'the bundle registers a config migration from major "0" that the manifest does not declare' },
      ]);
    });
  });
});
