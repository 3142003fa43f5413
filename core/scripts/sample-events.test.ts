// The SDK's generated sample events: one for every canonical type, each a valid event of its type.
import { describe, expect, it } from 'vitest';
import { sampleEvents } from '../../sdk/src/generated/sample-events.ts';
import { schemaCheck } from '../src/schema/validator.ts';
import { canonicalTypes } from '../src/wecom/event-types.ts';

describe('sdk sample events', () => {
  it('has a sample for every canonical type, and for nothing else', () => {
    expect(Object.keys(sampleEvents).sort()).toEqual([...canonicalTypes].sort());
  });

  it.each(Object.entries(sampleEvents))('%s matches its schema', (type, event) => {
    expect(event.type).toBe(type);
    const check = schemaCheck(`events/${type}.schema.json`);
    expect(check(structuredClone(event)), JSON.stringify(check.details())).toBe(true);
  });
});
