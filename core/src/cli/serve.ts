// `lianjie serve`: runs the host until SIGINT or SIGTERM.
import path from 'node:path';
import { loadConfig } from '../config/load.ts';
import { loadInstalls } from '../plugins/installs.ts';
import { createHost } from '../host.ts';
import { configOption, parse, type Command } from './command.ts';

export const serveCommand: Command = {
  name: 'serve',
  usage: `lianjie serve [--config <file>] [--port <n>]

  --config, -c <file>  host config (default ./lianjie.config.json, else the embedded demo config)
  --port <n>           listen on this port instead of the config's`,
  async run(argv) {
    const { values } = parse(argv, { ...configOption, port: { type: 'string' } });
    const { config, source } = loadConfig(values.config);
    if (values.port !== undefined) {
      const port = Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer from 0 to 65535, got "${values.port}"`);
      config.port = port;
    }
    const installs = await loadInstalls(config, source === 'demo' ? process.cwd() : path.dirname(path.resolve(source)));
    const host = createHost(config, { installs });
    const { url } = await host.listen().catch(async (error: unknown) => {
      await host.close();
      throw error;
    });
    // Listen for signals before announcing the address, so whoever waits for that line can stop us gracefully.
    // `on`, not `once`: a repeated signal during shutdown must not kill the process mid-close. Ctrl-C reaches
    // both core/bin/lianjie.js and this process, and the launcher forwards it too, so a second SIGINT is normal.
    const stopped = new Promise<void>((resolve) => {
      process.on('SIGINT', resolve);
      process.on('SIGTERM', resolve);
    });
    const base = config.publicUrl ?? url;
    const lines = [`lianjie listening on ${url} (config: ${source}, database: ${host.store.dialect})`];
    for (const tenant of config.tenants) {
      for (const app of tenant.apps) lines.push(`  callback URL  ${base}/wecom/callback/${tenant.id}/${app.id}`);
    }
    for (const suite of config.suites) lines.push(`  suite URL     ${base}/wecom/suite/${suite.id}`);
    lines.push(`  health        ${url}/healthz  ${url}/readyz`, `  metrics       ${url}/metrics`);
    console.log(lines.join('\n'));
    host.logger.info({ url, source }, 'host started');

    await stopped;
    await host.close();
    return 0;
  },
};
