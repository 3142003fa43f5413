import { loadConfig } from './src/config/load.ts';
import { createHost } from './src/host.ts';
const { config } = loadConfig('/tmp/prof/cfg.json');
const host = createHost(config, { decode: process.env.DECODE === '1' });
await host.listen();
console.log('up');
process.on('SIGINT', async () => { await host.close(); process.exit(0); });
