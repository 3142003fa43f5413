import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '@lianjie/sdk/testing';
import type { PluginTypes } from '../src/plugin-types.ts';

const plugin = new URL('..', import.meta.url).pathname;
const marked: unknown[] = [];

describe('lianjie.customer-tags', () => {
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    host = await createTestHost<PluginTypes>({
      plugin,
      config: { rules: [{ state: 'store-42', tags: ['tag-store-42'] }, { statePrefix: 'store-', tags: ['tag-in-store', 'tag-store-42'] }, { statePrefix: 'live-', tags: ['tag-live'] }] },
      wecom: { markTags: (args: unknown) => (marked.push(args), {}) },
    });
  });
  afterAll(() => host.close());

  it('adds the tags of every rule the State matches, each once', async () => {
    expect(await host.runAction('apply', { userId: 'zhangsan', externalUserId: 'wm1', state: 'store-42' })).toEqual({ ok: true, output: { tags: ['tag-store-42', 'tag-in-store'] } });
    // As the host hands them on: validated, with the schema's defaults (no tags removed).
    expect(marked.at(-1)).toEqual({ userId: 'zhangsan', externalUserId: 'wm1', add: ['tag-store-42', 'tag-in-store'], remove: [] });
  });

  it('matches by prefix', async () => {
    expect(await host.runAction('apply', { userId: 'lisi', externalUserId: 'wm2', state: 'live-0611' })).toEqual({ ok: true, output: { tags: ['tag-live'] } });
  });

  it('calls nothing when no rule matches', async () => {
    const before = marked.length;
    expect(await host.runAction('apply', { userId: 'lisi', externalUserId: 'wm3', state: null })).toEqual({ ok: true, output: { tags: [] } });
    expect(marked.length).toBe(before);
  });

  it('add tags directly, and a rule without tags is refused in the config', async () => {
    expect(await host.runAction('add', { userId: 'lisi', externalUserId: 'wm4', tags: ['vip'] })).toEqual({ ok: true, output: { tags: ['vip'] } });
    await expect(createTestHost({ plugin, config: { rules: [{ state: 'x', tags: [] }] } })).rejects.toThrow('/rules/0/tags');
  });
});
