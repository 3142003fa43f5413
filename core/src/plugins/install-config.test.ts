// resolveInstallConfig: defaults applied, and install.config_invalid with pointers under /config.
import { describe, expect, it } from 'vitest';
import { resolveInstallConfig } from './install-config.ts';
import { parseManifest } from './manifest.ts';
import { echoManifest, failure } from './plugins.test-support.ts';

const echo = () => parseManifest(echoManifest());
const bare = () => {
  const raw = echoManifest();
  delete raw.config;
  return parseManifest(raw);
};

const invalid = (run: () => unknown) => {
  const error = failure(run);
  expect(error.code).toBe('install.config_invalid');
  return error;
};

describe('resolveInstallConfig with a config schema', () => {
  it.each([
    [undefined, { repeat: 1 }],
    [{}, { repeat: 1 }],
    [{ repeat: 3 }, { repeat: 3 }],
  ])('%j → %j', (config, resolved) => {
    expect(resolveInstallConfig(echo(), config)).toEqual(resolved);
  });

  it('leaves the config it was given untouched', () => {
    const config = {};
    resolveInstallConfig(echo(), config);
    expect(config).toEqual({});
  });

  it.each([
    [{ repeat: 0 }, '/config/repeat', 'must be >= 1'],
    [{ repeat: 'twice' }, '/config/repeat', 'must be integer'],
    [{ repeat: 1, colour: 'red' }, '/config/colour', 'is not an allowed key here'],
    ['repeat', '/config', 'must be object'],
    [null, '/config', 'must be object'],
    [[], '/config', 'must be object'],
  ])('%j → %s %s', (config, pointer, message) => {
    const error = invalid(() => resolveInstallConfig(echo(), config));
    expect(error.details).toEqual([{ pointer, message }]);
    expect(error.message).toBe(`invalid config for lianjie.echo@1.0.0: ${pointer} ${message}`);
  });

  it('names a missing required setting and every other problem', () => {
    const raw = echoManifest();
    raw.config.properties.apiKey = { type: 'string', minLength: 1 };
    raw.config.required = ['apiKey'];
    expect(invalid(() => resolveInstallConfig(parseManifest(raw), { repeat: 99 })).details).toEqual([
      { pointer: '/config/apiKey', message: 'is required' },
      { pointer: '/config/repeat', message: 'must be <= 10' },
    ]);
  });
});

describe('resolveInstallConfig without a config schema', () => {
  it.each([undefined, {}])('accepts %j as {}', (config) => {
    expect(resolveInstallConfig(bare(), config)).toEqual({});
  });

  it.each([
    [{ repeat: 1 }, '/config/repeat', 'is not an allowed key here'],
    [[], '/config', 'must be object'],
    [null, '/config', 'must be object'],
  ])('refuses %j', (config, pointer, message) => {
    expect(invalid(() => resolveInstallConfig(bare(), config)).details).toEqual([{ pointer, message }]);
  });
});
