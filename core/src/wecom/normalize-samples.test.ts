// Sample validation: every WeCom fixture normalises to a canonical event that matches its schema, and the event schemas themselves.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemasDir } from '../schema/paths.ts';
import { schemaCheck, schemaRegistry } from '../schema/validator.ts';
import { canonicalTypes } from './event-types.ts';
import { byName, canonical, expectValid, run, samples } from './normalize.test-support.ts';

describe('normalize: every fixture becomes a canonical event that matches its schema', () => {
  it('has the 44 samples from samples.txt and the extra REFERENCE.md samples', () => {
    expect(samples.filter((sample) => !sample.name.startsWith('extra/'))).toHaveLength(44);
    expect(samples.length).toBeGreaterThan(44);
  });

  it.each(samples.map((sample) => [sample.name, sample] as const))('%s', (_name, sample) => {
    const { normalized: event, source } = run(sample.xml);
    expect(canonicalTypes).toContain(event.type);
    expect(event.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expectValid(event, source);
    // A redelivery is the same plaintext, so it must give the same key.
    expect(run(sample.xml).normalized.dedupKey).toBe(event.dedupKey);
  });

  it('gives every fixture a different dedup key', () => {
    const keys = samples.map((sample) => run(sample.xml).normalized.dedupKey);
    const duplicates = keys.filter((key, index) => keys.indexOf(key) !== index);
    // MessageLink and MessageLocation share MsgId 1234567890123456 and agent 1 in the transcribed docs.
    expect(duplicates).toEqual(['msg:toUser:1:1234567890123456']);
  });
});

describe('event schemas', () => {
  const files = readdirSync(`${schemasDir}events`).filter((file) => file.endsWith('.schema.json'));

  it('compiles every schema in schemas/events', () => {
    const registry = schemaRegistry();
    for (const file of files) expect(registry.getSchema(`events/${file}`), file).toBeTypeOf('function');
  });

  it('has a schema for every type the normalizer can produce, and no schema for a type it cannot', () => {
    const typed = files.filter((file) => file !== 'defs.schema.json').map((file) => file.replace(/\.schema\.json$/, ''));
    expect([...typed].sort()).toEqual([...canonicalTypes].sort());
  });

  it('rejects an event with a key the envelope does not define, or data of the wrong type', () => {
    const { normalized: event, source } = run(byName('ChangeContactUpdateTag.xml').xml);
    const check = schemaCheck('events/wecom.contact.update_tag.schema.json');
    expect(check({ ...canonical(event, source), extra: 1 })).toBe(false);
    expect(check.details()).toContainEqual({ pointer: '/extra', message: 'is not an allowed key here' });
    expect(check({ ...canonical(event, source), data: { ...event.data, tagId: 'one' } })).toBe(false);
    expect(check.details()).toContainEqual({ pointer: '/data/tagId', message: 'must be integer' });
  });
});
