// checkEngine: which engine ranges this host accepts, and engine.incompatible at /engine for the rest.
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { checkEngine, engineVersion } from './engine.ts';
import { failure } from './plugins.test-support.ts';

describe('checkEngine', () => {
  it('the engine version is a plain semver version', () => {
    expect(semver.valid(engineVersion)).toBe(engineVersion);
  });

  it.each(['^1', '1', '1.x', '~1.0', '>=1.0.0 <2', '*', '^0.9 || ^1'])('accepts %s', (range) => {
    expect(() => checkEngine(range)).not.toThrow();
  });

  it.each(['^2', '<1', '0.x', '>1.0.0', '~1.1'])('refuses %s, which excludes %s', (range) => {
    const error = failure(() => checkEngine(range));
    expect(error.code).toBe('engine.incompatible');
    expect(error.message).toContain(engineVersion);
    expect(error.details).toEqual([{ pointer: '/engine', message: `does not include engine ${engineVersion}` }]);
  });

  it.each(['banana', '', '  ', '^1.2.3.4', '>=>1'])('refuses %j, which is not a semver range', (range) => {
    const error = failure(() => checkEngine(range));
    expect(error.code).toBe('engine.incompatible');
    expect(error.details).toEqual([{ pointer: '/engine', message: 'is not a semver range such as ^1' }]);
  });
});
