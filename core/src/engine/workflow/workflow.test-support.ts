// Shared fixtures for the workflow tests: a workflow around some steps, and plugins installed for tenant acme.
import { inlinePlugin, testInstall, testManifest } from '../../../../test/support/plugins.ts';
import type { Install } from '../../plugins/types.ts';

/** A workflow of tenant acme started by a contact being added, with `steps` and fields replaced by `extra`. */
export function workflowOf(steps: unknown[], extra: Record<string, unknown> = {}): Record<string, any> {
  return { id: 'store-welcome', name: 'Store welcome', tenantId: 'acme', trigger: { event: 'wecom.external_contact.add' }, steps, ...extra };
}

const textInput = {
  type: 'object',
  properties: { text: { type: 'string', minLength: 1 }, userId: { type: 'string' }, tags: { type: 'array', items: { type: 'string' }, maxItems: 3 } },
  required: ['text'],
  additionalProperties: false,
};

/** lianjie.welcome (send, with an input schema; a webhook trigger `paid`) and lianjie.reminders (notify-staff), for acme. */
export function acmeInstalls(): Install[] {
  const welcome = inlinePlugin(testManifest('lianjie.welcome', ['send'], {
    actions: [{ id: 'send', input: textInput, output: {}, timeoutMs: 1500 }],
    triggers: [{ id: 'paid', kind: 'webhook', output: { type: 'object' } }],
  }), 'void 0;');
  const reminders = inlinePlugin(testManifest('lianjie.reminders', ['notify-staff']), 'void 0;');
  const other = inlinePlugin(testManifest('lianjie.other-tenant', ['act']), 'void 0;');
  return [testInstall(welcome, 'acme'), testInstall(reminders, 'acme'), testInstall(other, 'beta')];
}

export const send = (id: string, input: unknown = { text: 'hi' }, extra: Record<string, unknown> = {}) => ({ id, action: 'lianjie.welcome/send', input, ...extra });
