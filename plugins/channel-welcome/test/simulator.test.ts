// The plugin against the WeCom simulator: its welcome reaches send_welcome_msg as WeCom takes it, a code works once
// and for 20 seconds, and WeCom's refusals come back with their codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '@lianjie/sdk/testing';
import { simulatedWecom, type SimulatedWecom } from '../../../test/support/simulated-wecom.ts';
import type { PluginTypes } from '../src/plugin-types.ts';

const plugin = new URL('..', import.meta.url).pathname;
let now = Date.parse('2026-03-02T02:00:00Z');

describe('lianjie.channel-welcome against the WeCom simulator', () => {
  let wecom: SimulatedWecom;
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    wecom = await simulatedWecom({ staff: [{ userid: 'zhangsan' }], contactWays: [{ users: ['zhangsan'], state: 'store-42' }] }, { clock: () => now });
    host = await createTestHost<PluginTypes>({ plugin, wecom: wecom.stubs, config: { byState: { 'store-42': { text: 'Welcome to store 42' } } } });
  });
  afterAll(async () => {
    await host?.close();
    await wecom?.close();
  });

  const arrive = async () => {
    const way = [...wecom.world.contactWays.values()][0]!;
    return wecom.world.customerAddsStaff({ configId: way.configId });
  };

  it('sends the welcome through send_welcome_msg; the same code again is wecom.welcome_code_used', async () => {
    const added = await arrive();
    expect(await host.runAction('send', { welcomeCode: added.welcomeCode, state: 'store-42' })).toEqual({ ok: true, output: { sent: true, matched: 'store-42' } });
    expect(wecom.sim.effects.at(-1)).toMatchObject({ path: '/cgi-bin/externalcontact/send_welcome_msg', errcode: 0, body: { welcome_code: added.welcomeCode, text: { content: 'Welcome to store 42' } } });
    const again = await host.runAction('send', { welcomeCode: added.welcomeCode, state: 'store-42' });
    expect(again.ok === false && again.failure).toMatchObject({ code: 'wecom.welcome_code_used', retryable: false });
  });

  it('a code older than 20 seconds is wecom.welcome_code_expired', async () => {
    const added = await arrive();
    now += 21_000;
    const late = await host.runAction('send', { welcomeCode: added.welcomeCode, state: 'store-42' });
    expect(late.ok === false && late.failure).toMatchObject({ code: 'wecom.welcome_code_expired', retryable: false });
  });
});
