import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestHost, type HttpRequest, type TestHost } from '@lianjie/sdk/testing';
import type { PluginTypes } from '../src/plugin-types.ts';

const syncUrl = 'https://loyalty.example.com/v1/balances';
let host: TestHost<PluginTypes>;
let loyaltyStatus = 200;
const synced: HttpRequest[] = [];

before(async () => {
  host = await createTestHost<PluginTypes>({
    config: { pointsPerYuan: 2, syncUrl },
    http: { [`POST ${syncUrl}`]: (request) => (synced.push(request), { status: loyaltyStatus, body: { ok: loyaltyStatus < 300 } }) },
  });
});
after(() => host.close());

test('an order earns points per whole yuan, and the balance goes to the loyalty system', async () => {
  const result = await host.runAction('award-points', { orderId: 'o-1', customer: 'wm-li', amountFen: 1250 });
  assert.deepEqual(result, { ok: true, output: { points: 24, balance: 24, repeated: false } });
  assert.deepEqual(JSON.parse(synced.at(-1)?.body ?? ''), { customer: 'wm-li', balance: 24, orderId: 'o-1' });
  assert.deepEqual(await host.runAction('balance', { customer: 'wm-li' }), { ok: true, output: { balance: 24 } });
});

test('an order counts once, however often the POS system sends it', async () => {
  await host.runAction('award-points', { orderId: 'o-2', customer: 'wm-wang', amountFen: 500 });
  const again = await host.runAction('award-points', { orderId: 'o-2', customer: 'wm-wang', amountFen: 500 });
  assert.deepEqual(again, { ok: true, output: { points: 0, balance: 10, repeated: true } });
});

test('inside a workflow run the sync carries the step\'s idempotency key', async () => {
  await host.runAction('award-points', { orderId: 'o-3', customer: 'wm-zhao', amountFen: 100 }, { runId: 'run-7', idempotencyKey: 'run-7:award' });
  assert.equal(synced.at(-1)?.headers['idempotency-key'], 'run-7:award#http.fetch#1');
});

test('a loyalty system that is down is a retryable failure of the plugin\'s own code', async () => {
  loyaltyStatus = 503;
  try {
    const result = await host.runAction('award-points', { orderId: 'o-4', customer: 'wm-sun', amountFen: 300 });
    assert.deepEqual(result, { ok: false, failure: { code: 'plugin.sync_failed', message: 'the loyalty system answered 503', retryable: true } });
  } finally {
    loyaltyStatus = 200;
  }
});

test('a negative amount never reaches the handler', async () => {
  const result = await host.runAction('award-points', { orderId: 'o-5', customer: 'wm-li', amountFen: -1 });
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.failure.code, 'action.input_invalid');
  assert.equal(!result.ok && result.failure.details?.[0]?.pointer, '/amountFen');
});
