// `lianjie serve`: runs the host until SIGINT or SIGTERM.
import path from 'node:path';
import { loadConfig } from '../config/load.ts';
import { loadInstalls } from '../plugins/installs.ts';
import { createHost } from '../host.ts';
import { simulatorForHost } from '../wecom/simulator/for-host.ts';
import { configOption, parse, type Command } from './command.ts';
import { readWorlds, simulatorPort } from './simulate.ts';

export const serveCommand: Command = {
  name: 'serve',
  usage: `lianjie serve [--config <file>] [--port <n>] [--simulate [--world <file>]]

  --config, -c <file>  host config (default ./lianjie.config.json, else the embedded demo config)
  --port <n>           listen on this port instead of the config's
  --simulate           attach a WeCom simulator (see lianjie simulate) and act on it instead of WeCom: it listens on
                       the port of the config's wecom.baseUrl when that is a loopback URL, else 8090
  --world <file>       the simulated enterprises' staff, tags and channel codes, by tenant id`,
  async run(argv) {
    const { values } = parse(argv, { ...configOption, port: { type: 'string' }, simulate: { type: 'boolean' }, world: { type: 'string' } });
    if (values.world !== undefined && !values.simulate) throw new Error('--world needs --simulate');
    const { config, source } = loadConfig(values.config);
    if (values.port !== undefined) {
      const port = Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer from 0 to 65535, got "${values.port}"`);
      config.port = port;
    }
    const simulatorAt = values.simulate ? simulatorPort(config) : undefined;
    if (simulatorAt !== undefined) config.wecom = { baseUrl: `http://127.0.0.1:${simulatorAt}` };
    const worlds = readWorlds(values.world);
    const installs = await loadInstalls(config, source === 'demo' ? process.cwd() : path.dirname(path.resolve(source)));
    const host = createHost(config, { installs });
    const { url } = await host.listen().catch(async (error: unknown) => {
      await host.close();
      throw error;
    });
    const simulator = simulatorAt === undefined ? undefined : await simulatorForHost(config, url, worlds).sim.listen(simulatorAt).catch(async (error: unknown) => {
      await host.close();
      throw new Error(`the WeCom simulator cannot listen on port ${simulatorAt}: ${error instanceof Error ? error.message : String(error)}`);
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
    if (simulator) lines.push(`  WeCom         simulated at ${simulator.url} (make customers arrive: lianjie simulate customers, or npm run demo)`);
    console.log(lines.join('\n'));
    host.logger.info({ url, source }, 'host started');

    await stopped;
    await simulator?.close();
    await host.close();
    return 0;
  },
};
