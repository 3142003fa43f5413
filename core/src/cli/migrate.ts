// `lianjie migrate`: applies the committed migrations to the configured database.
import { loadConfig } from '../config/load.ts';
import { openStore } from '../store/open.ts';
import { configOption, parse, type Command } from './command.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  usage: `lianjie migrate [--config <file>]

  --config, -c <file>  host config (default ./lianjie.config.json, else the embedded demo config)`,
  async run(argv) {
    const { values } = parse(argv, configOption);
    const { config } = loadConfig(values.config);
    const store = openStore(config.database, { synchronous: config.sqlite.synchronous });
    try {
      await store.migrate();
      console.log(`migrations applied (${store.dialect})`);
    } finally {
      await store.close();
    }
    return 0;
  },
};
