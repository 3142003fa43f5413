import { describe, expect, it } from 'vitest';
import type { LianjieError } from '../errors.ts';
import type { PluginManifest } from '../../../sdk/src/generated/plugin-manifest.ts';
import { parseConfig } from '../config/load.ts';
import { defaultLimits, defaultMaxima, resolveLimits } from './limits.ts';

const manifest = (extra: Partial<PluginManifest>): PluginManifest => ({
  id: 'a.b', version: '1.0.0', engine: '^1', name: { en: 'x' }, vendor: 'v', permissions: [], triggers: [],
  actions: [{ id: 'go', input: {}, output: {} }], ...extra,
});

describe('limits', () => {
  it('uses DESIGN.md defaults and what the manifest asks for within the maxima', () => {
    expect(resolveLimits(manifest({}), defaultMaxima)).toEqual({ memoryMb: 32, timeoutMs: 2000, cpuMs: 100, outputKb: 256 });
    expect(resolveLimits(manifest({ limits: { memoryMb: 64, cpuMs: 500 } }), defaultMaxima)).toEqual({ ...defaultLimits, memoryMb: 64, cpuMs: 500 });
  });

  it("the host config's default maxima are these", () => {
    expect(parseConfig({ database: 'x.db' }, {}).sandbox.maxima).toEqual(defaultMaxima);
  });

  it('refuses a manifest that asks for more than the operator allows, naming each pointer', () => {
    let thrown: LianjieError | undefined;
    try {
      resolveLimits(manifest({ limits: { memoryMb: 512, timeoutMs: 1000 }, actions: [{ id: 'go', input: {}, output: {}, timeoutMs: 5000 }] }), defaultMaxima);
    } catch (error) {
      thrown = error as LianjieError;
    }
    expect(thrown?.code).toBe('manifest.invalid');
    expect(thrown?.details).toEqual([
      { pointer: '/limits/memoryMb', message: 'asks for 512; this host allows at most 256' },
      { pointer: '/actions/0/timeoutMs', message: "must not exceed the plugin's timeoutMs (1000)" },
    ]);
  });
});
