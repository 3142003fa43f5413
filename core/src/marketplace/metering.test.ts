// The meter: what counts as usage, which month it falls in (the tenant's), and that a failed write loses nothing.
import { describe, expect, it } from 'vitest';
import type { CallScope } from '../capabilities/types.ts';
import type { UsageDelta, UsageStore } from '../store/types.ts';
import { createMeter } from './metering.ts';

const scope = (tenantId: string): CallScope => ({ tenantId, installId: `${tenantId}-i`, pluginId: 'acme.p', pluginVersion: '1.0.0', httpHosts: [] });
const ok = { ok: true as const, output: {} };
const refused = (code: string) => ({ ok: false as const, failure: { code, message: code, retryable: false } });

function recordingUsage(failures = 0) {
  const written: UsageDelta[][] = [];
  let failing = failures;
  const usage: UsageStore = {
    async record(deltas) {
      if (failing-- > 0) throw new Error('database away');
      written.push([...deltas]);
    },
    list: async () => [],
  };
  return { usage, written };
}

describe('meter', () => {
  it('counts invocations, CPU, WeCom calls that reach WeCom, effects that happened, and the staff and contacts named', async () => {
    const { usage, written } = recordingUsage();
    const meter = createMeter({ usage, timezone: () => 'Asia/Shanghai', logger: { error: () => {} }, now: () => Date.parse('2026-11-03T00:00:00Z') });
    const s = scope('acme');
    meter.invocation(s, 1.2);
    meter.invocation(s, 2.3);
    meter.capabilityCall(s, 'wecom', 'getExternalContact', { externalUserId: 'wm1' }, ok);
    meter.capabilityCall(s, 'wecom', 'remarkExternalContact', { userId: 'zhang', externalUserId: 'wm1', remark: 'x' }, ok);
    meter.capabilityCall(s, 'wecom', 'sendMassMessage', { sender: 'li', externalUserIds: ['wm2', 'wm3'] }, refused('wecom.api_error'));
    // Decided by the host before any request to WeCom: not usage.
    meter.capabilityCall(s, 'wecom', 'sendMassMessage', { sender: 'li', externalUserIds: ['wm9'] }, refused('quota.exceeded'));
    meter.capabilityCall(s, 'wecom', 'getUser', { userId: 'wang' }, refused('wecom.not_configured'));
    meter.capabilityCall(s, 'http', 'fetch', { url: 'https://x', method: 'POST' }, ok);
    meter.capabilityCall(s, 'http', 'fetch', { url: 'https://x' }, ok);
    meter.capabilityCall(s, 'store', 'set', { key: 'k', value: 1 }, ok);
    await meter.flush();
    expect(written).toEqual([[{
      tenantId: 'acme', pluginId: 'acme.p', installId: 'acme-i', month: '2026-11', invocations: 2, cpuMs: 3.5, wecomCalls: 3, effects: 2,
      staff: ['zhang', 'li'], contacts: ['wm1', 'wm2', 'wm3'],
    }]]);
    await meter.flush();
    expect(written).toHaveLength(1);
  });

  it("a month is the tenant's: the last evening of November in UTC is already December in Shanghai", async () => {
    const { usage, written } = recordingUsage();
    const meter = createMeter({ usage, timezone: (t) => (t === 'east' ? 'Asia/Shanghai' : 'UTC'), logger: { error: () => {} }, now: () => Date.parse('2026-11-30T17:00:00Z') });
    meter.invocation(scope('east'), 1);
    meter.invocation(scope('west'), 1);
    await meter.flush();
    expect(written[0]!.map((d) => `${d.tenantId}:${d.month}`)).toEqual(['east:2026-12', 'west:2026-11']);
  });

  it('a write that fails is counted again with the next: nothing is lost', async () => {
    const { usage, written } = recordingUsage(1);
    const errors: unknown[] = [];
    const meter = createMeter({ usage, timezone: () => 'UTC', logger: { error: (e: unknown) => void errors.push(e) } as never, now: () => Date.parse('2026-11-03T00:00:00Z') });
    meter.invocation(scope('acme'), 1);
    meter.capabilityCall(scope('acme'), 'wecom', 'getExternalContact', { externalUserId: 'wm1' }, ok);
    await meter.flush();
    expect(written).toEqual([]);
    expect(errors).toHaveLength(1);
    meter.invocation(scope('acme'), 1);
    meter.capabilityCall(scope('acme'), 'wecom', 'getExternalContact', { externalUserId: 'wm1' }, ok);
    await meter.close();
    expect(written).toEqual([[expect.objectContaining({ invocations: 2, cpuMs: 2, wecomCalls: 2, contacts: ['wm1'] })]]);
  });
});
