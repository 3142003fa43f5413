// A vendor's plugin as an ISV writes it with the SDK, at two majors: acme-soft.loyalty 1.x greets a customer by the
// name WeCom has for them and counts visits; 2.0.0 reshapes the config (greeting → salutation.text), adds the
// permission to write a remark on the customer, and ships the config migration from major 1. Built and packed with
// the SDK (`lianjie-plugin build`, `pack`), as the tarball's base64 for POST /api/v1/plugins.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildPlugin } from '../../sdk/src/cli/build.ts';
import { packPlugin } from '../../sdk/src/cli/pack.ts';
import { readPluginDir } from '../../sdk/src/cli/plugin-dir.ts';

export const loyaltyId = 'acme-soft.loyalty';

const input = {
  type: 'object', additionalProperties: false, required: ['externalUserId'],
  properties: { externalUserId: { type: 'string', minLength: 1 } },
};
const output = {
  type: 'object', required: ['text', 'visits'],
  properties: { text: { type: 'string' }, visits: { type: 'integer', minimum: 1 }, remarked: { type: 'boolean' } },
};
const apiKey = { type: 'string', minLength: 4, writeOnly: true, description: "the vendor's loyalty API key" };

function manifest(version: string): Record<string, unknown> {
  const major = Number(version.split('.')[0]);
  const v1 = major === 1;
  return {
    id: loyaltyId, version, engine: '^1', name: { en: 'Loyalty', zh: '会员积分' }, vendor: 'Acme Soft', categories: ['retail', 'loyalty'],
    permissions: v1 ? ['store', 'wecom.external_contact.get'] : ['store', 'wecom.external_contact.get', 'wecom.external_contact.remark'],
    config: v1
      ? { type: 'object', additionalProperties: false, required: ['apiKey'], properties: { greeting: { type: 'string', minLength: 1, default: 'Hello' }, apiKey } }
      : {
          type: 'object', additionalProperties: false, required: ['salutation', 'apiKey'],
          properties: {
            salutation: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: { type: 'string', minLength: 1 }, remark: { type: 'boolean', default: true } } },
            apiKey,
          },
        },
    ...(v1 ? {} : { configMigrations: [{ from: 1, description: 'greeting becomes salutation.text' }] }),
    triggers: [],
    actions: [{ id: 'greet', name: { en: 'Greet' }, input, output, idempotent: false }],
  };
}

function source(version: string): string {
  if (version.startsWith('1.')) {
    return `import { definePlugin } from '@lianjie/sdk';
import manifest from '../plugin.json' with { type: 'json' };

export default definePlugin(manifest, {
  actions: {
    async greet(input, ctx) {
      const contact = await ctx.wecom.getExternalContact({ externalUserId: input.externalUserId });
      const key = 'visits:' + input.externalUserId;
      const seen = await ctx.store.get({ key });
      const visits = typeof seen.value === 'number' ? seen.value + 1 : 1;
      await ctx.store.set({ key, value: visits });
      return { text: ctx.config.greeting + ', ' + contact.external_contact.name, visits };
    },
  },
});
`;
  }
  return `import { definePlugin } from '@lianjie/sdk';
import manifest from '../plugin.json' with { type: 'json' };

export default definePlugin(manifest, {
  actions: {
    async greet(input, ctx) {
      const contact = await ctx.wecom.getExternalContact({ externalUserId: input.externalUserId });
      const key = 'visits:' + input.externalUserId;
      const seen = await ctx.store.get({ key });
      const visits = typeof seen.value === 'number' ? seen.value + 1 : 1;
      await ctx.store.set({ key, value: visits });
      let remarked = false;
      if (ctx.config.salutation.remark) {
        const userId = contact.follow_user[0].userid;
        await ctx.wecom.remarkExternalContact({ userId, externalUserId: input.externalUserId, remark: 'VIP ' + visits });
        remarked = true;
      }
      return { text: ctx.config.salutation.text + ', ' + contact.external_contact.name, visits, remarked };
    },
  },
  migrations: {
    1: (old) => ({ salutation: { text: old.greeting ?? 'Hello' }, apiKey: old.apiKey }),
  },
});
`;
}

/** The packed tarball of acme-soft.loyalty at `version`, base64. */
export async function loyaltyTarball(version: string): Promise<string> {
  const root = mkdtempSync(path.join(tmpdir(), 'lianjie-vendor-'));
  const dir = path.join(root, 'loyalty');
  try {
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'plugin.json'), JSON.stringify(manifest(version), null, 2));
    writeFileSync(path.join(dir, 'src', 'index.ts'), source(version));
    writeFileSync(path.join(dir, 'README.md'), `# Loyalty ${version}\n`);
    await buildPlugin(readPluginDir(dir));
    const packed = await packPlugin(readPluginDir(dir));
    if (!packed.ok) throw new Error(JSON.stringify(packed.problems));
    return readFileSync(packed.file).toString('base64');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
