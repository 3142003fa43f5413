// `lianjie plugin invoke`: run one action of a plugin directory in the sandbox, as the host would.
import path from 'node:path';
import { createStandardCapabilities } from '../capabilities/standard.ts';
import { configSnapshot } from '../catalog/catalog.ts';
import { suiteTicketReader } from '../catalog/suite-tickets.ts';
import { createLogger } from '../ops/logger.ts';
import { resolveInstallConfig } from '../plugins/install-config.ts';
import { sealerFromEnv } from '../secrets/seal.ts';
import { loadPluginDir } from '../plugins/load.ts';
import { createPluginRunner } from '../sandbox/runner.ts';
import { configOption, parse, type Command } from './command.ts';
import { withStore } from './store-access.ts';

export const pluginCommand: Command = {
  name: 'plugin',
  usage: `lianjie plugin invoke <dir> <actionId> [--input <json>] [--config-json <json>] [--grant <perm,...>] [--tenant <id>] [--config <file>]

  <dir>                a plugin directory: plugin.json and dist/plugin.js (dist/plugin.js.sha256 is checked when present)
  --input <json>       the action's input (default {})
  --config-json <json> the install's config, validated against the manifest's config schema (default {})
  --grant <perm,...>   permissions to grant, from those plugin.json declares (default: none)
  --tenant <id>        the tenant the local install belongs to (default "local"); the store capability keeps its keys per install
  --config, -c <file>  host config: the database the store capability uses (default ./lianjie.config.json, else the demo config)

Prints the result as JSON: {"ok":true,"output":…} or {"ok":false,"failure":{"code","message","retryable"}}. Exits 1 on failure.`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      ...configOption,
      input: { type: 'string' }, 'config-json': { type: 'string' }, grant: { type: 'string' }, tenant: { type: 'string' },
    });
    const [verb, dir, actionId, ...extra] = positionals;
    if (verb !== 'invoke' || !dir || !actionId || extra.length) throw new Error(`usage: ${this.usage.split('\n')[0]}`);
    const input = parseJson(values.input ?? '{}', '--input');
    const plugin = await loadPluginDir(path.resolve(dir));
    const config = resolveInstallConfig(plugin.manifest, parseJson(values['config-json'] ?? '{}', '--config-json'));
    const grants = values.grant ? values.grant.split(',').map((g) => g.trim()).filter(Boolean) : [];
    const undeclared = grants.filter((g) => !(plugin.manifest.permissions as string[]).includes(g));
    if (undeclared.length) throw new Error(`--grant ${undeclared.join(',')}: plugin.json does not declare ${undeclared.length > 1 ? 'these permissions' : 'this permission'} (it declares: ${plugin.manifest.permissions.join(', ') || 'none'})`);
    const tenantId = values.tenant ?? 'local';
    const result = await withStore(values.config, async (store, host) => {
      const logger = createLogger('info', process.stderr);
      const snapshot = configSnapshot(host, []);
      const runner = createPluginRunner({
        size: 1, maxIsolatesPerWorker: host.sandbox.maxIsolatesPerWorker, maxima: host.sandbox.maxima,
        capabilities: createStandardCapabilities(store, logger, {
          wecom: host.wecom,
          access: { catalog: () => snapshot, suiteTicket: suiteTicketReader(store, () => sealerFromEnv()) },
        }),
        onEvent: (event) => logger.warn(event, `sandbox: ${event.type}`),
      });
      try {
        return await runner.runAction({ id: `${tenantId}:${plugin.manifest.id}`, tenantId, plugin, grants, config }, actionId, input);
      } finally {
        await runner.close();
      }
    });
    console.log(JSON.stringify(result, null, 2));
    return result.ok ? 0 : 1;
  },
};

function parseJson(text: string, flag: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${flag} is not JSON: ${(error as Error).message}`);
  }
}
