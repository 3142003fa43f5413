// Shared helpers for the plugin tests: the echo fixture manifest, manifests built from it, and catching a LianjieError.
import { readFileSync } from 'node:fs';
import { isLianjieError, type ErrorDetail, type LianjieError } from '../errors.ts';
import type { PluginManifest } from '../../../sdk/src/generated/plugin-manifest.ts';

export const echoDir = new URL('../../../test/fixtures/plugins/echo/', import.meta.url);
export const echoManifestText = readFileSync(new URL('plugin.json', echoDir), 'utf8');

/** A fresh copy of test/fixtures/plugins/echo/plugin.json. */
export function echoManifest(): Record<string, any> {
  return JSON.parse(echoManifestText);
}

/** The echo manifest with fields replaced (undefined deletes one). */
export function manifestWith(fields: Record<string, unknown>): Record<string, any> {
  const manifest = echoManifest();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete manifest[key];
    else manifest[key] = value;
  }
  return manifest;
}

/** A schema-valid manifest of one trigger of each kind, for tests that need triggers. */
export function withTriggers(extra: Record<string, unknown> = {}): Record<string, any> {
  const output = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
  return manifestWith({
    triggers: [
      { id: 'added', kind: 'event', events: ['wecom.external_contact.add'], output },
      { id: 'paid', kind: 'webhook', input: { type: 'object', properties: { amount: { type: 'integer', minimum: 0 }, currency: { type: 'string', default: 'CNY' } }, required: ['amount'] }, output },
      { id: 'daily', kind: 'schedule', cron: '0 9 * * *', output },
    ],
    ...extra,
  });
}

export const asManifest = (value: unknown) => value as PluginManifest;

export { failure } from '../../../test/support/errors.ts';

/** The LianjieError `promise` rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<LianjieError> {
  try {
    await promise;
  } catch (error) {
    if (isLianjieError(error)) return error;
    throw error;
  }
  throw new Error('expected a LianjieError, got none');
}

export const pointers = (error: LianjieError): string[] => error.details.map((d) => d.pointer);
export const detailAt = (error: LianjieError, pointer: string): ErrorDetail | undefined => error.details.find((d) => d.pointer === pointer);
