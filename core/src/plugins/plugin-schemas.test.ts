// pluginSchemas: validators per action, trigger and config, with defaults on a copy, details at pointers, and the cache.
import { describe, expect, it } from 'vitest';
import { parseManifest } from './manifest.ts';
import { pluginSchemas } from './plugin-schemas.ts';
import { echoManifest, failure, withTriggers } from './plugins.test-support.ts';

const echo = () => parseManifest(echoManifest());

describe('pluginSchemas action validators', () => {
  it('accept a valid input and return a copy', () => {
    const input = { text: 'hi' };
    const result = pluginSchemas(echo()).actionInput('echo')(input);
    expect(result).toEqual({ ok: true, value: { text: 'hi' } });
    expect(result.ok && result.value).not.toBe(input);
  });

  it('report every problem of an input at its pointer', () => {
    expect(pluginSchemas(echo()).actionInput('echo')({ extra: 1 })).toEqual({
      ok: false,
      details: [{ pointer: '/text', message: 'is required' }, { pointer: '/extra', message: 'is not an allowed key here' }],
    });
    expect(pluginSchemas(echo()).actionInput('echo')('hi')).toEqual({ ok: false, details: [{ pointer: '/', message: 'must be object' }] });
  });

  it('apply input defaults to the copy, never to the argument', () => {
    const raw = echoManifest();
    raw.actions[0].input.properties.times = { type: 'integer', default: 2 };
    const input = { text: 'hi' };
    expect(pluginSchemas(parseManifest(raw)).actionInput('echo')(input)).toEqual({ ok: true, value: { text: 'hi', times: 2 } });
    expect(input).toEqual({ text: 'hi' });
  });

  it('check outputs, applying their defaults too', () => {
    const raw = echoManifest();
    raw.actions[0].output.properties.length = { type: 'integer', default: 0 };
    const output = pluginSchemas(parseManifest(raw)).actionOutput('echo');
    expect(output({ text: 'hi' })).toEqual({ ok: true, value: { text: 'hi', length: 0 } });
    expect(output({ text: 5 })).toEqual({ ok: false, details: [{ pointer: '/text', message: 'must be string' }] });
  });

  it('check formats', () => {
    const raw = echoManifest();
    raw.actions[0].input.properties.text.format = 'email';
    const input = pluginSchemas(parseManifest(raw)).actionInput('echo');
    expect(input({ text: 'a@example.com' }).ok).toBe(true);
    expect(input({ text: 'not an address' })).toEqual({ ok: false, details: [{ pointer: '/text', message: 'must match format "email"' }] });
  });

  it('throw action.not_found for an action the manifest does not declare', () => {
    const error = failure(() => pluginSchemas(echo()).actionInput('shout'));
    expect(error.code).toBe('action.not_found');
    expect(error.message).toBe('plugin lianjie.echo@1.0.0 has no action "shout"');
  });

  it('accept anything where the schema is `true`', () => {
    const raw = echoManifest();
    raw.actions[0].output = true;
    expect(pluginSchemas(parseManifest(raw)).actionOutput('echo')([1, 'x'])).toEqual({ ok: true, value: [1, 'x'] });
  });
});

describe('pluginSchemas trigger validators', () => {
  const schemas = () => pluginSchemas(parseManifest(withTriggers()));

  it('check a webhook body, with defaults', () => {
    expect(schemas().triggerInput('paid')({ amount: 5 })).toEqual({ ok: true, value: { amount: 5, currency: 'CNY' } });
    expect(schemas().triggerInput('paid')({ amount: -1 })).toEqual({ ok: false, details: [{ pointer: '/amount', message: 'must be >= 0' }] });
  });

  it('accept any input for a trigger without an input schema', () => {
    expect(schemas().triggerInput('daily')({ anything: true })).toEqual({ ok: true, value: { anything: true } });
  });

  it('check outputs', () => {
    expect(schemas().triggerOutput('added')({ id: 'x' }).ok).toBe(true);
    expect(schemas().triggerOutput('added')({})).toEqual({ ok: false, details: [{ pointer: '/id', message: 'is required' }] });
  });

  it('refuse an undeclared trigger', () => {
    expect(failure(() => schemas().triggerOutput('nope')).message).toBe('plugin lianjie.echo@1.0.0 has no trigger "nope"');
  });
});

describe('pluginSchemas config validator', () => {
  it('applies the config defaults', () => {
    expect(pluginSchemas(echo()).config({})).toEqual({ ok: true, value: { repeat: 1 } });
  });

  it('takes only an empty object when the manifest has no config schema', () => {
    const raw = echoManifest();
    delete raw.config;
    const config = pluginSchemas(parseManifest(raw)).config;
    expect(config({})).toEqual({ ok: true, value: {} });
    expect(config({ repeat: 2 })).toEqual({ ok: false, details: [{ pointer: '/repeat', message: 'is not an allowed key here' }] });
  });
});

describe('pluginSchemas caching', () => {
  it('compiles once per manifest object', () => {
    const manifest = echo();
    expect(pluginSchemas(manifest)).toBe(pluginSchemas(manifest));
  });

  it('shares validators between two loads of the same plugin version', () => {
    expect(pluginSchemas(echo())).toBe(pluginSchemas(echo()));
  });

  it('gives a changed manifest under the same id@version its own validators', () => {
    const changed = echoManifest();
    changed.actions[0].input.properties.text.maxLength = 2;
    const before = pluginSchemas(echo());
    const after = pluginSchemas(parseManifest(changed));
    expect(after).not.toBe(before);
    expect(before.actionInput('echo')({ text: 'long' }).ok).toBe(true);
    expect(after.actionInput('echo')({ text: 'long' }).ok).toBe(false);
  });

  it('keeps plugins apart: the same $id in two plugins means two different schemas', () => {
    const a = echoManifest();
    const b = echoManifest();
    b.id = 'lianjie.other';
    a.actions[0].input = { $id: 'https://vendor.example/in.json', type: 'object', properties: { text: { type: 'string' } } };
    b.actions[0].input = { $id: 'https://vendor.example/in.json', type: 'object', properties: { text: { type: 'integer' } } };
    expect(pluginSchemas(parseManifest(a)).actionInput('echo')({ text: 'x' }).ok).toBe(true);
    expect(pluginSchemas(parseManifest(b)).actionInput('echo')({ text: 'x' }).ok).toBe(false);
  });
});
