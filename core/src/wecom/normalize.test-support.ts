// Shared helpers for the normalize tests: the fixtures, normalising one by name or XML, and validating the canonical event.
import { expect } from 'vitest';
import { loadSamples, type Sample } from '../../../test/fixtures/wecom/samples.ts';
import { newId } from '../ids.ts';
import { schemaCheck } from '../schema/validator.ts';
import { parseMessage } from './message.ts';
import { normalize, type CallbackSource, type Normalized } from './normalize.ts';

export const samples = loadSamples();

export function sourceFor(fields: Record<string, unknown>): CallbackSource {
  return typeof fields.SuiteId === 'string'
    ? { route: 'suite', suiteId: fields.SuiteId }
    : { route: 'app', corpId: typeof fields.ToUserName === 'string' ? fields.ToUserName : 'wwcorp' };
}

export function run(xml: string): { normalized: Normalized; source: CallbackSource } {
  const fields = parseMessage(xml);
  const source = sourceFor(fields);
  return { normalized: normalize(fields, source), source };
}

export function byName(name: string): Sample {
  const sample = samples.find((candidate) => candidate.name.endsWith(name));
  if (!sample) throw new Error(`no fixture ${name}`);
  return sample;
}

export function normalized(name: string): Normalized {
  return run(byName(name).xml).normalized;
}

/** What the decoder will store: the normalised parts inside the canonical envelope. */
export function canonical(event: Normalized, source: CallbackSource): Record<string, unknown> {
  const suite = source.route === 'suite';
  return {
    id: newId('evt'),
    tenantId: suite ? (event.authCorpId ? `tenant-${event.authCorpId}` : null) : 'acme',
    appId: suite ? null : 'crm',
    suiteId: suite ? (source.suiteId ?? null) : null,
    type: event.type,
    occurredAt: event.occurredAt,
    receivedAt: new Date().toISOString(),
    dedupKey: event.dedupKey,
    data: event.data,
  };
}

export function expectValid(event: Normalized, source: CallbackSource): void {
  const check = schemaCheck(`events/${event.type}.schema.json`);
  const value = canonical(event, source);
  const ok = check(value);
  if (!ok) expect.fail(`${event.type} does not match its schema: ${JSON.stringify(check.details())}\n${JSON.stringify(value, null, 2)}`);
}
