import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from '@lianjie/sdk/testing';
import type { PluginTypes } from '../src/plugin-types.ts';
import { config, wecomWorld } from './fixtures.ts';

const plugin = new URL('..', import.meta.url).pathname;
const url = 'https://api.coupons.example.com/v1/issue';

/** The coupon system: one coupon per Idempotency-Key, answered again (repeated) when asked again; order ids pick failures. */
function couponSystem() {
  const issued = new Map<string, string>();
  return (request: { headers: Record<string, string>; body?: string }) => {
    const { orderId } = JSON.parse(request.body ?? '{}') as { orderId: string };
    if (request.headers.authorization !== 'Bearer secret-token') return { status: 401, body: { error: 'bad token' } };
    if (orderId === 'SO-down') return { status: 503, body: 'upstream unavailable' };
    if (orderId === 'SO-slow') return { status: 429, body: { error: 'slow down' } };
    if (orderId === 'SO-bad') return { status: 422, body: { error: 'order not paid' } };
    if (orderId === 'SO-empty') return { status: 200, body: { ok: true } };
    if (orderId === 'SO-html') return { status: 200, body: '<html>maintenance</html>' };
    if (orderId === 'SO-moved') return { status: 302, headers: { location: 'https://elsewhere.example/' } };
    const key = request.headers['idempotency-key']!;
    const known = issued.get(key);
    if (known) return { status: 200, body: { couponId: known, expiresAt: '2026-04-14T00:00:00+08:00', repeated: true } };
    const couponId = `CP-${issued.size + 1}`;
    issued.set(key, couponId);
    return { status: 201, body: { couponId, expiresAt: '2026-04-14T00:00:00+08:00' } };
  };
}

describe('lianjie.store-membership: issue-coupon', () => {
  let host: TestHost<PluginTypes>;
  beforeAll(async () => {
    host = await createTestHost<PluginTypes>({ plugin, config, http: { [`POST ${url}`]: couponSystem() } });
  });
  afterAll(() => host.close());

  it("asks the coupon system for the store's coupon with the order id as the idempotency key", async () => {
    const result = await host.runAction('issue-coupon', { orderId: 'SO-1', storeId: '0755-01', externalUserId: 'wm-a', unionId: null, phone: '13800138000' });
    expect(result).toEqual({ ok: true, output: { couponId: 'CP-1', templateId: 'tpl-nanshan', expiresAt: '2026-04-14T00:00:00+08:00', repeated: false } });
    const request = host.requests.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', url });
    expect(request.headers).toEqual({ 'content-type': 'application/json', 'idempotency-key': 'lianjie.store-membership:SO-1:tpl-nanshan', authorization: 'Bearer secret-token' });
    expect(JSON.parse(request.body!)).toEqual({ orderId: 'SO-1', storeId: '0755-01', templateId: 'tpl-nanshan', customer: { externalUserId: 'wm-a', phone: '13800138000' } });
  });

  it('the same order asked again gets the same coupon back, not a second one; a store without its own template uses the default', async () => {
    expect(await host.runAction('issue-coupon', { orderId: 'SO-1', storeId: '0755-01', externalUserId: 'wm-a' })).toMatchObject({ ok: true, output: { couponId: 'CP-1', repeated: true } });
    expect(await host.runAction('issue-coupon', { orderId: 'SO-2', storeId: '0755-02', unionId: 'u-1' })).toMatchObject({ ok: true, output: { couponId: 'CP-2', templateId: 'tpl-default', repeated: false } });
  });

  it('a coupon system that is down or throttling fails plugin.coupon_unavailable, retryable', async () => {
    expect(await host.runAction('issue-coupon', { orderId: 'SO-down', storeId: '0755-01', phone: '13800138000' })).toEqual({
      ok: false, failure: { code: 'plugin.coupon_unavailable', message: 'the coupon system answered 503: upstream unavailable; trying again is safe (same idempotency key)', retryable: true },
    });
    expect(await host.runAction('issue-coupon', { orderId: 'SO-slow', storeId: '0755-01', phone: '13800138000' })).toMatchObject({ ok: false, failure: { code: 'plugin.coupon_unavailable', retryable: true } });
  });

  it('a refused order, or an answer without a coupon, fails with a plugin code that is not retryable', async () => {
    expect(await host.runAction('issue-coupon', { orderId: 'SO-bad', storeId: '0755-01', phone: '13800138000' })).toEqual({
      ok: false, failure: { code: 'plugin.coupon_rejected', message: 'the coupon system refused order SO-bad (422: {"error":"order not paid"})', retryable: false },
    });
    expect(await host.runAction('issue-coupon', { orderId: 'SO-empty', storeId: '0755-01', phone: '13800138000' })).toMatchObject({ ok: false, failure: { code: 'plugin.coupon_bad_response', retryable: false } });
    expect(await host.runAction('issue-coupon', { orderId: 'SO-html', storeId: '0755-01', phone: '13800138000' })).toMatchObject({ ok: false, failure: { code: 'plugin.coupon_bad_response', retryable: false } });
    expect(await host.runAction('issue-coupon', { orderId: 'SO-moved', storeId: '0755-01', phone: '13800138000' })).toMatchObject({ ok: false, failure: { code: 'plugin.coupon_bad_response', message: 'the coupon system answered 302, not 200 or 201', retryable: false } });
  });

  it('an order without any customer, or at a store not in the config, is refused before anything is sent', async () => {
    const before = host.requests.length;
    expect(await host.runAction('issue-coupon', { orderId: 'SO-3', storeId: '0755-01', externalUserId: null, unionId: null, phone: null })).toMatchObject({ ok: false, failure: { code: 'plugin.no_customer', retryable: false } });
    expect(await host.runAction('issue-coupon', { orderId: 'SO-3', storeId: 'nope', phone: '13800138000' })).toMatchObject({ ok: false, failure: { code: 'plugin.unknown_store', retryable: false } });
    expect(host.requests.length).toBe(before);
  });

  it("wrong credentials fail plugin.coupon_unauthorized; the host's network failures pass through with their codes", async () => {
    const [badToken, unreachable] = await Promise.all([
      createTestHost<PluginTypes>({ plugin, config: { ...config, coupon: { ...config.coupon, token: 'expired' } }, http: { [`POST ${url}`]: couponSystem() } }),
      createTestHost<PluginTypes>({ plugin, config, http: {} }),
    ]);
    try {
      expect(await badToken.runAction('issue-coupon', { orderId: 'SO-4', storeId: '0755-01', phone: '13800138000' })).toMatchObject({ ok: false, failure: { code: 'plugin.coupon_unauthorized', retryable: false } });
      // The host reports http.failed (refused, reset, DNS, TLS) as retryable; the test kit reports a request no stub
      // answers as http.failed too, not retryable. Either way the plugin hands on the host's failure unchanged.
      const failed = await unreachable.runAction('issue-coupon', { orderId: 'SO-4', storeId: '0755-01', phone: '13800138000' });
      expect(failed.ok === false && failed.failure.code).toBe('http.failed');
    } finally {
      await Promise.all([badToken.close(), unreachable.close()]);
    }
  });

  it('without coupon settings: plugin.coupon_not_configured; without the http grant: capability.denied; a url outside http.hosts is refused in the config', async () => {
    const { coupon: _coupon, ...noCoupon } = config;
    const [unconfigured, ungranted] = await Promise.all([
      createTestHost<PluginTypes>({ plugin, config: noCoupon }),
      createTestHost<PluginTypes>({ plugin, config, grants: ['wecom.external_contact.get'] }),
    ]);
    try {
      expect(await unconfigured.runAction('issue-coupon', { orderId: 'SO-5', storeId: '0755-01', phone: '13800138000' })).toMatchObject({ ok: false, failure: { code: 'plugin.coupon_not_configured', retryable: false } });
      expect(await ungranted.runAction('issue-coupon', { orderId: 'SO-5', storeId: '0755-01', phone: '13800138000' })).toMatchObject({ ok: false, failure: { code: 'capability.denied', retryable: false } });
    } finally {
      await Promise.all([unconfigured.close(), ungranted.close()]);
    }
    await expect(createTestHost({ plugin, config: { ...config, coupon: { ...config.coupon, url: 'https://coupons.evil.example/v1/issue' } } })).rejects.toThrow('/coupon/url');
  });
});

describe('lianjie.store-membership: the chain, pos-payment → check-assistant → invite-to-group → issue-coupon', () => {
  it('a paying customer who added the store assistant is invited to the group and gets the coupon', async () => {
    const world = wecomWorld();
    const host = await createTestHost<PluginTypes>({ plugin, config, wecom: world.stubs, http: { [`POST ${url}`]: couponSystem() } });
    try {
      const payment = await host.runTrigger('pos-payment', { orderId: 'SO-100', storeId: '0755-01', amountFen: 5800, externalUserId: 'wm-a' });
      if (!payment.ok || !payment.output) throw new Error('the payment started nothing');
      const trigger = payment.output;
      const assistant = await host.runAction('check-assistant', { storeId: trigger.storeId, externalUserId: trigger.externalUserId }, { runId: 'run-1', idempotencyKey: 'run-1:assistant' });
      expect(assistant).toMatchObject({ ok: true, output: { added: true, assistantUserId: 'dg-nanshan-2' } });
      const invite = await host.runAction('invite-to-group', { storeId: trigger.storeId, externalUserId: trigger.externalUserId!, assistantUserId: assistant.ok ? assistant.output.assistantUserId ?? null : null }, { runId: 'run-1', idempotencyKey: 'run-1:invite' });
      expect(invite).toMatchObject({ ok: true, output: { sent: true, via: 'mass_message' } });
      expect(world.massMessages).toEqual([expect.objectContaining({ sender: 'dg-nanshan-2', externalUserIds: ['wm-a'] })]);
      const coupon = await host.runAction('issue-coupon', { orderId: trigger.orderId, storeId: trigger.storeId, externalUserId: trigger.externalUserId, unionId: trigger.unionId, phone: trigger.phone }, { runId: 'run-1', idempotencyKey: 'run-1:coupon' });
      expect(coupon).toEqual({ ok: true, output: { couponId: 'CP-1', templateId: 'tpl-nanshan', expiresAt: '2026-04-14T00:00:00+08:00', repeated: false } });
    } finally {
      await host.close();
    }
  });
});
