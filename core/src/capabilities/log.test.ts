// The log capability writes one attributed, size-capped pino record per call.
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../../../test/support/log-capture.ts';
import { capFields, createLogCapability, maxFieldsBytes } from './log.ts';
import { createCapabilityRegistry } from './registry.ts';
import type { CallScope } from './types.ts';

const scope: CallScope = { tenantId: 'acme', installId: 'inst_1', pluginId: 'acme.notes', pluginVersion: '1.2.0', httpHosts: [], runId: 'run_9' };

function setup() {
  const log = captureLogger('debug');
  const registry = createCapabilityRegistry([createLogCapability(log.logger)], { logger: log.logger });
  return { log, registry };
}

describe('log capability', () => {
  it('writes one record per call at its level, attributed to tenant, install, plugin and run, with no grant needed', async () => {
    const { log, registry } = setup();
    for (const level of ['debug', 'info', 'warn', 'error']) {
      expect(await registry.call(scope, [], 'log', level, { message: `at ${level}`, fields: { n: 1 } })).toEqual({ ok: true, output: null });
    }
    const records = log.records();
    expect(records.map((r) => [r.level, r.msg])).toEqual([[20, 'at debug'], [30, 'at info'], [40, 'at warn'], [50, 'at error']]);
    expect(records[1]).toMatchObject({
      source: 'plugin', tenantId: 'acme', installId: 'inst_1', pluginId: 'acme.notes', pluginVersion: '1.2.0', runId: 'run_9', fields: { n: 1 },
    });
    expect(records[1]).not.toHaveProperty('fieldsTruncated');
  });

  it('keeps plugin fields from overwriting the attribution, and redacts secret-looking ones', async () => {
    const { log, registry } = setup();
    await registry.call(scope, [], 'log', 'info', { message: 'hi', fields: { tenantId: 'other', token: 's3cret' } });
    const [record] = log.records();
    expect(record).toMatchObject({ tenantId: 'acme', fields: { tenantId: 'other', token: '[redacted]' } });
    expect(log.text()).not.toContain('s3cret');
  });

  it('truncates fields past 4 KB and says so, keeping the record', async () => {
    const { log, registry } = setup();
    const fields = { small: 'ok', big: '中'.repeat(3000), after: 'dropped' };
    await registry.call(scope, [], 'log', 'warn', { message: 'large', fields });
    const [record] = log.records();
    expect(record).toMatchObject({ msg: 'large', fieldsTruncated: true, fields: { small: 'ok' } });
    const kept = record!.fields as Record<string, string>;
    expect(Buffer.byteLength(JSON.stringify(kept))).toBeLessThanOrEqual(maxFieldsBytes);
    expect(Buffer.byteLength(JSON.stringify(kept))).toBeGreaterThan(maxFieldsBytes - 10);
    expect(kept.big).toMatch(/^中+…$/);
    expect(kept).not.toHaveProperty('after');
  });

  it('cuts a non-string value as its JSON text, and drops a field when not even its name fits', () => {
    const nested = { a: { deep: 'x'.repeat(200) } };
    const capped = capFields(nested, 50);
    expect(capped.truncated).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(capped.fields))).toBeLessThanOrEqual(50);
    expect(capped.fields.a).toMatch(/^\{"deep":"x+…$/);
    expect(capFields({ ['k'.repeat(60)]: 1 }, 50)).toEqual({ fields: {}, truncated: true });
    expect(capFields({ a: 1 }, 50)).toEqual({ fields: { a: 1 }, truncated: false });
  });

  it('refuses a message past the schema cap with its pointer', async () => {
    const { log, registry } = setup();
    const result = await registry.call(scope, [], 'log', 'info', { message: 'x'.repeat(2001) });
    expect(result).toMatchObject({ ok: false, failure: { code: 'capability.args_invalid', details: [{ pointer: '/message' }] } });
    expect(log.records()).toEqual([]);
  });
});
