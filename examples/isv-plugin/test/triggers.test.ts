import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestHost, sampleEvents, type TestHost } from '@lianjie/sdk/testing';
import type { PluginTypes } from '../src/plugin-types.ts';

let host: TestHost<PluginTypes>;
before(async () => {
  host = await createTestHost<PluginTypes>();
});
after(() => host.close());

const added = sampleEvents['wecom.external_contact.add'];

test('a customer added through a store\'s channel code joins that store', async () => {
  const event = { ...added, data: { ...added.data, state: 'store-42' } };
  assert.deepEqual(await host.runTrigger('store-customer', event), {
    ok: true, output: { customer: added.data.externalUserId, staff: added.data.userId, storeId: '42' },
  });
});

test('a customer added any other way starts nothing', async () => {
  assert.notEqual(added.data.state, undefined);
  assert.deepEqual(await host.runTrigger('store-customer', added), { ok: true, output: null });
});

test('a POS payment starts a run; a zero amount does not', async () => {
  const payment = { orderId: 'o-9', customer: 'wm-li', amountFen: 880 };
  assert.deepEqual(await host.runTrigger('pos-payment', payment), { ok: true, output: payment });
  assert.deepEqual(await host.runTrigger('pos-payment', { ...payment, amountFen: 0 }), { ok: true, output: null });
});
