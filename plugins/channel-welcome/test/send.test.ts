import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '@lianjie/sdk/testing';
import type { PluginTypes } from '../src/plugin-types.ts';

const plugin = new URL('..', import.meta.url).pathname;
const sent: unknown[] = [];
const used = new Set<string>();

describe('lianjie.channel-welcome: send', () => {
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    host = await createTestHost<PluginTypes>({
      plugin,
      config: {
        byState: { 'store-42': { text: 'Welcome to store 42', attachments: [{ msgtype: 'link', link: { title: 'Coupon', url: 'https://shop.example.com/c/42' } }] } },
        fallback: { text: 'Welcome' },
      },
      wecom: {
        // As WeCom: a welcome code works once.
        sendWelcome: (args: { welcomeCode: string }) => {
          if (used.has(args.welcomeCode)) throw { code: 'wecom.welcome_code_used', message: 'errcode 41051' };
          used.add(args.welcomeCode);
          sent.push(args);
          return {};
        },
      },
    });
  });
  afterAll(() => host.close());

  it("sends the State's own welcome with its attachments", async () => {
    expect(await host.runAction('send', { welcomeCode: 'W1', state: 'store-42' })).toEqual({ ok: true, output: { sent: true, matched: 'store-42' } });
    expect(sent.at(-1)).toEqual({ welcomeCode: 'W1', text: 'Welcome to store 42', attachments: [{ msgtype: 'link', link: { title: 'Coupon', url: 'https://shop.example.com/c/42' } }] });
  });

  it('sends the fallback for a State without its own, and for none', async () => {
    expect(await host.runAction('send', { welcomeCode: 'W2', state: 'campaign-x' })).toEqual({ ok: true, output: { sent: true, matched: 'fallback' } });
    expect(await host.runAction('send', { welcomeCode: 'W3' })).toEqual({ ok: true, output: { sent: true, matched: 'fallback' } });
    expect(sent.at(-1)).toEqual({ welcomeCode: 'W3', text: 'Welcome' });
  });

  it('sends nothing without a welcome code', async () => {
    const before = host.calls.length;
    expect(await host.runAction('send', { state: 'store-42', welcomeCode: null })).toEqual({ ok: true, output: { sent: false, skipped: 'no_welcome_code' } });
    expect(host.calls.length).toBe(before);
  });

  it("a used welcome code fails with WeCom's code, not retryable", async () => {
    const again = await host.runAction('send', { welcomeCode: 'W1', state: 'store-42' });
    expect(again).toEqual({ ok: false, failure: { code: 'wecom.welcome_code_used', message: 'errcode 41051', retryable: false } });
  });

  it('without a fallback, a State not listed gets nothing', async () => {
    const strict = await createTestHost<PluginTypes>({ plugin, config: { byState: { a: { text: 'A' } } }, wecom: {} });
    try {
      expect(await strict.runAction('send', { welcomeCode: 'W9', state: 'b' })).toEqual({ ok: true, output: { sent: false, skipped: 'no_welcome_for_state' } });
    } finally {
      await strict.close();
    }
  });

  it('needs the wecom.welcome.send grant', async () => {
    const ungranted = await createTestHost<PluginTypes>({ plugin, grants: [], config: { fallback: { text: 'Hi' } } });
    try {
      const result = await ungranted.runAction('send', { welcomeCode: 'W10' });
      expect(result.ok === false && result.failure.code).toBe('capability.denied');
    } finally {
      await ungranted.close();
    }
  });
});
