// `lianjie migrate`: applies the committed migrations to the configured database.
import { configOption, parse, type Command } from './command.ts';
import { withStore } from './store-access.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  usage: `lianjie migrate [--config <file>]

  --config, -c <file>  host config (default ./lianjie.config.json, else the embedded demo config)`,
  async run(argv) {
    const { values } = parse(argv, configOption);
    await withStore(values.config, async (store) => console.log(`migrations applied (${store.dialect})`));
    return 0;
  },
};
