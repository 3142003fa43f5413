// `lianjie simulate`: the WeCom simulator as a server in front of a host (one simulated enterprise per tenant of the
// config, callbacks to the host), and `simulate customers`, which makes customers arrive in a running simulator.
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/load.ts';
import type { HostConfig } from '../config/types.ts';
import type { ArrivedCustomer } from '../wecom/simulator/control-routes.ts';
import { customersArrive } from '../wecom/simulator/control-routes.ts';
import { simulatorForHost } from '../wecom/simulator/for-host.ts';
import type { WorldSeed } from '../wecom/simulator/world.ts';
import { configOption, parse, type Command } from './command.ts';

export const simulateCommand: Command = {
  name: 'simulate',
  usage: `lianjie simulate [--config <file>] [--port <n>] [--host-url <url>] [--world <file>] [--customers <n>]
       lianjie simulate customers [--count <n>] [--corp <corpId>] [--simulator <url>] [--config <file>]

  Runs a WeCom simulator: WeCom's API paths (tokens, contacts, tags, welcome messages, mass sends, group chats,
  channel codes, app and customer-service messages) with WeCom's errcodes and limits, one enterprise per tenant of
  the host config, sending signed, encrypted callbacks to the host. Point the host at it with "wecom": { "baseUrl" }.

  --port <n>           listen on this port (default: the port of the config's wecom.baseUrl, else 8090)
  --host-url <url>     where the host listens (default http://<config host>:<config port>)
  --world <file>       JSON { "<tenant id>": { staff, tagGroups, customers, groupChats, contactWays } } to start from
  --customers <n>      once listening, make n customers add staff through the channel codes
  customers            make customers arrive in a simulator already running (lianjie serve --simulate, or the above)
  --count <n>          how many (default 5)
  --simulator <url>    the running simulator (default: where --simulate and this command put it for the config)`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      ...configOption, port: { type: 'string' }, 'host-url': { type: 'string' }, world: { type: 'string' }, customers: { type: 'string' },
      count: { type: 'string' }, corp: { type: 'string' }, simulator: { type: 'string' },
    });
    const { config } = loadConfig(values.config);
    if (positionals[0] === 'customers' && positionals.length === 1) {
      const arrived = await requestCustomers(values.simulator ?? `http://127.0.0.1:${simulatorPort(config)}`, count(values.count ?? '5', '--count'), values.corp);
      printArrivals(arrived);
      return arrived.every((a) => a.statuses.every((s) => s === 200)) ? 0 : 1;
    }
    if (positionals.length > 0) throw new Error(`usage: ${this.usage.split('\n')[0]}`);
    const port = values.port !== undefined ? count(values.port, '--port', 0) : simulatorPort(config);
    const hostUrl = values['host-url'] ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
    const { sim, corpIds } = simulatorForHost(config, hostUrl, readWorlds(values.world));
    const server = await sim.listen(port);
    console.log(`WeCom simulator on ${server.url} for ${corpIds.join(', ')}; callbacks to ${hostUrl}`);
    console.log(`  controls  GET ${server.url}/_simulator · POST ${server.url}/_simulator/customers {"count":5}`);
    if (values.customers !== undefined) {
      const n = count(values.customers, '--customers');
      for (const corpId of corpIds) printArrivals(await customersArrive(sim.world(corpId), corpId, n));
    }
    await new Promise<void>((resolve) => {
      process.on('SIGINT', resolve);
      process.on('SIGTERM', resolve);
    });
    await server.close();
    return 0;
  },
};

/** The simulator's port: the one in the config's wecom.baseUrl when that is a loopback address, else 8090. */
export function simulatorPort(config: Pick<HostConfig, 'wecom'>): number {
  const url = new URL(config.wecom.baseUrl);
  return ['127.0.0.1', 'localhost'].includes(url.hostname) && url.port ? Number(url.port) : 8090;
}

export function readWorlds(file: string | undefined): Record<string, WorldSeed> {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, WorldSeed>;
  } catch (error) {
    throw new Error(`--world ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function requestCustomers(simulatorUrl: string, n: number, corpId?: string): Promise<ArrivedCustomer[]> {
  let response: Response;
  try {
    response = await fetch(`${simulatorUrl.replace(/\/+$/, '')}/_simulator/customers`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: n, ...(corpId ? { corpId } : {}) }),
    });
  } catch {
    throw new Error(`no simulator answers at ${simulatorUrl}: start one with \`lianjie serve --simulate\` (npm start) or \`lianjie simulate\``);
  }
  const body = (await response.json().catch(() => ({}))) as { arrived?: ArrivedCustomer[]; error?: string };
  if (!response.ok || !body.arrived) throw new Error(`the simulator at ${simulatorUrl} refused: ${body.error ?? `HTTP ${response.status}`}`);
  return body.arrived;
}

function printArrivals(arrived: readonly ArrivedCustomer[]): void {
  for (const a of arrived) {
    console.log(`customer ${a.externalUserId} added ${a.userId}${a.state ? ` through channel code "${a.state}"` : ''}: host answered ${a.statuses.join(', ') || 'nothing (no callback URL)'}`);
  }
}

function count(text: string, flag: string, min = 1): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > 65535) throw new Error(`${flag} must be an integer from ${min} to 65535, got "${text}"`);
  return n;
}
