import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '@lianjie/sdk/testing';
import type { PluginTypes } from '../src/plugin-types.ts';
import { config, wecomWorld } from './fixtures.ts';

const plugin = new URL('..', import.meta.url).pathname;
const world = wecomWorld();

describe('lianjie.store-membership', () => {
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    host = await createTestHost<PluginTypes>({ plugin, config, wecom: world.stubs });
  });
  afterAll(() => host.close());

  describe('pos-payment', () => {
    it('outputs the payment, extra fields dropped and empty identities null', async () => {
      const result = await host.runTrigger('pos-payment', { orderId: 'SO-1', storeId: '0755-01', amountFen: 3990, paidAt: '2026-03-14T10:00:00+08:00', externalUserId: 'wm-a', unionId: '', cashier: 'c-7' } as never);
      expect(result).toEqual({ ok: true, output: { orderId: 'SO-1', storeId: '0755-01', amountFen: 3990, paidAt: '2026-03-14T10:00:00+08:00', externalUserId: 'wm-a', unionId: null, phone: null } });
    });

    it('starts nothing for a store not in the programme (and says so in the log) or a payment without a customer', async () => {
      expect(await host.runTrigger('pos-payment', { orderId: 'SO-2', storeId: '0999-01', externalUserId: 'wm-a' })).toEqual({ ok: true, output: null });
      expect(host.logs.at(-1)).toEqual({ level: 'warn', message: 'payment at a store not in the programme', fields: { orderId: 'SO-2', storeId: '0999-01' } });
      expect(await host.runTrigger('pos-payment', { orderId: 'SO-3', storeId: '0755-01', externalUserId: null, phone: null })).toEqual({ ok: true, output: null });
      expect(await host.runTrigger('pos-payment', { orderId: 'SO-4', storeId: '__proto__', phone: '13800138000' })).toEqual({ ok: true, output: null });
    });

    it('refuses a body without an order id, or with a phone that is not one', async () => {
      expect(await host.runTrigger('pos-payment', { storeId: '0755-01' } as never)).toMatchObject({ ok: false, failure: { code: 'trigger.input_invalid' } });
      expect(await host.runTrigger('pos-payment', { orderId: 'SO-5', storeId: '0755-01', phone: 'call me' })).toMatchObject({ ok: false, failure: { code: 'trigger.input_invalid' } });
    });
  });

  describe('check-assistant', () => {
    it("answers the store assistant who added the customer first, from WeCom's follow_user", async () => {
      expect(await host.runAction('check-assistant', { storeId: '0755-01', externalUserId: 'wm-a' })).toEqual({
        ok: true, output: { added: true, assistantUserId: 'dg-nanshan-2', addedAt: '2023-11-14T22:15:00.000Z' },
      });
      expect(host.calls.at(-1)).toMatchObject({ capability: 'wecom', method: 'getExternalContact', args: { externalUserId: 'wm-a' } });
    });

    it('a customer of other staff only, or of no one, has not added the store', async () => {
      expect(await host.runAction('check-assistant', { storeId: '0755-01', externalUserId: 'wm-b' })).toEqual({ ok: true, output: { added: false, reason: 'other_staff' } });
      expect(await host.runAction('check-assistant', { storeId: '0755-02', externalUserId: 'wm-a' })).toEqual({ ok: true, output: { added: false, reason: 'other_staff' } });
      // WeCom: 84061 "not external contact", 40096 an external_userid it does not know.
      expect(await host.runAction('check-assistant', { storeId: '0755-01', externalUserId: 'wm-stranger' })).toEqual({ ok: true, output: { added: false, reason: 'not_a_contact' } });
      expect(await host.runAction('check-assistant', { storeId: '0755-01', externalUserId: 'wm-unknown' })).toEqual({ ok: true, output: { added: false, reason: 'not_a_contact' } });
    });

    it('without an external_userid there is nothing to ask WeCom', async () => {
      const before = host.calls.length;
      expect(await host.runAction('check-assistant', { storeId: '0755-01', externalUserId: null })).toEqual({ ok: true, output: { added: false, reason: 'no_external_user_id' } });
      expect(host.calls.length).toBe(before);
    });

    it("surfaces WeCom's failures with their codes, and refuses a store not in the config", async () => {
      expect(await host.runAction('check-assistant', { storeId: '0755-01', externalUserId: 'wm-busy' })).toEqual({
        ok: false, failure: { code: 'wecom.busy', message: '/cgi-bin/externalcontact/get: WeCom is busy (WeCom errcode -1: system busy)', retryable: true },
      });
      expect(await host.runAction('check-assistant', { storeId: 'toString', externalUserId: 'wm-a' })).toEqual({
        ok: false, failure: { code: 'plugin.unknown_store', message: `store "toString" is not in this install's stores`, retryable: false },
      });
    });
  });

  describe('invite-to-group', () => {
    it('sends nothing to a customer already in the store group', async () => {
      const before = world.welcomes.length + world.massMessages.length;
      expect(await host.runAction('invite-to-group', { storeId: '0755-01', externalUserId: 'wm-member', welcomeCode: 'W-0' })).toEqual({ ok: true, output: { sent: false, skipped: 'already_in_group', groupChatId: 'wr-nanshan' } });
      expect(world.welcomes.length + world.massMessages.length).toBe(before);
    });

    it('with a welcome code, sends the invitation as the welcome message', async () => {
      expect(await host.runAction('invite-to-group', { storeId: '0755-01', externalUserId: 'wm-a', welcomeCode: 'W-1' })).toEqual({ ok: true, output: { sent: true, via: 'welcome', groupChatId: 'wr-nanshan' } });
      expect(world.welcomes.at(-1)).toEqual({ welcomeCode: 'W-1', text: '欢迎加入南山店福利群，扫码入群领券', attachments: [{ msgtype: 'image', image: { pic_url: 'https://cdn.example.com/qr/nanshan.png' } }] });
      expect(await host.runAction('invite-to-group', { storeId: '0755-01', externalUserId: 'wm-a', welcomeCode: 'W-1' })).toEqual({
        ok: false, failure: { code: 'wecom.welcome_code_used', message: '/cgi-bin/externalcontact/send_welcome_msg: the welcome code was already used (WeCom errcode 41051)', retryable: false },
      });
    });

    it("otherwise creates a mass-message task from the customer's store assistant (looked up when not given)", async () => {
      expect(await host.runAction('invite-to-group', { storeId: '0755-01', externalUserId: 'wm-a', assistantUserId: 'dg-nanshan-1' })).toMatchObject({ ok: true, output: { sent: true, via: 'mass_message', groupChatId: 'wr-nanshan' } });
      expect(world.massMessages.at(-1)).toEqual({ sender: 'dg-nanshan-1', externalUserIds: ['wm-a'], text: '欢迎加入南山店福利群，扫码入群领券', attachments: [{ msgtype: 'image', image: { pic_url: 'https://cdn.example.com/qr/nanshan.png' } }] });
      const looked = await host.runAction('invite-to-group', { storeId: '0755-01', externalUserId: 'wm-a' });
      expect(looked).toEqual({ ok: true, output: { sent: true, via: 'mass_message', msgId: `msg-${world.massMessages.length}`, groupChatId: 'wr-nanshan' } });
      expect(world.massMessages.at(-1)?.sender).toBe('dg-nanshan-2');
    });

    it('skips a customer no store assistant has, or one WeCom cannot send to', async () => {
      expect(await host.runAction('invite-to-group', { storeId: '0755-01', externalUserId: 'wm-b' })).toEqual({ ok: true, output: { sent: false, skipped: 'no_store_assistant', groupChatId: 'wr-nanshan' } });
      // The given assistant does not have the customer: WeCom answers 41048.
      expect(await host.runAction('invite-to-group', { storeId: '0755-01', externalUserId: 'wm-b', assistantUserId: 'dg-nanshan-1' })).toEqual({ ok: true, output: { sent: false, skipped: 'not_sendable', groupChatId: 'wr-nanshan' } });
      expect(await host.runAction('invite-to-group', { storeId: '0755-01', externalUserId: 'wm-unreachable' })).toEqual({ ok: true, output: { sent: false, skipped: 'not_sendable', groupChatId: 'wr-nanshan' } });
    });

    it("fails quota.exceeded (retryable) when the customer had their share of the tenant's contact quota", async () => {
      expect(await host.runAction('invite-to-group', { storeId: '0755-01', externalUserId: 'wm-quota' })).toEqual({
        ok: false, failure: { code: 'quota.exceeded', message: "customer wm-quota reached the tenant's contact quota (4 per month)", retryable: true },
      });
    });

    it("surfaces a store group WeCom does not know with WeCom's code", async () => {
      const wrong = await createTestHost<PluginTypes>({ plugin, config: { stores: { s1: { ...config.stores['0755-02'], groupChatId: 'wr-gone' } } }, wecom: world.stubs });
      try {
        expect(await wrong.runAction('invite-to-group', { storeId: 's1', externalUserId: 'wm-a', welcomeCode: 'W-9' })).toEqual({
          ok: false, failure: { code: 'wecom.api_error', message: '/cgi-bin/externalcontact/groupchat/get: WeCom errcode 40050: chatid not found', retryable: false },
        });
      } finally {
        await wrong.close();
      }
    });
  });

  it('without the wecom grants, or without the one a step needs: capability.denied naming the permission', async () => {
    const [none, partial, noLookup] = await Promise.all([
      createTestHost<PluginTypes>({ plugin, config, grants: ['http'], wecom: world.stubs }),
      createTestHost<PluginTypes>({ plugin, config, grants: ['wecom.external_contact.get', 'wecom.group_chat.get', 'wecom.welcome.send'], wecom: world.stubs }),
      createTestHost<PluginTypes>({ plugin, config, grants: ['wecom.group_chat.get', 'wecom.mass_message.send'], wecom: world.stubs }),
    ]);
    try {
      expect(await none.runAction('check-assistant', { storeId: '0755-01', externalUserId: 'wm-a' })).toMatchObject({ ok: false, failure: { code: 'capability.denied', retryable: false } });
      const before = world.massMessages.length;
      expect(await partial.runAction('invite-to-group', { storeId: '0755-01', externalUserId: 'wm-a', assistantUserId: 'dg-nanshan-1' })).toEqual({
        ok: false, failure: { code: 'capability.denied', message: 'ctx.wecom.sendMassMessage needs the "wecom.mass_message.send" permission, which this install was not granted', retryable: false },
      });
      expect(world.massMessages.length).toBe(before);
      // The welcome path needs no mass-message grant.
      expect(await partial.runAction('invite-to-group', { storeId: '0755-01', externalUserId: 'wm-a', welcomeCode: 'W-partial' })).toMatchObject({ ok: true, output: { sent: true, via: 'welcome' } });
      // The lookup refused is the action's failure, not a customer who is no contact.
      expect(await noLookup.runAction('check-assistant', { storeId: '0755-01', externalUserId: 'wm-a' })).toEqual({
        ok: false, failure: { code: 'capability.denied', message: 'ctx.wecom.getExternalContact needs the "wecom.external_contact.get" permission, which this install was not granted', retryable: false },
      });
      expect(noLookup.calls.filter((c) => c.capability === 'wecom')).toEqual([]);
    } finally {
      await Promise.all([none.close(), partial.close(), noLookup.close()]);
    }
  });
});
