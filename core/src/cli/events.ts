// `lianjie events list`: the canonical events stored for a tenant (or a suite), newest first.
import { configOption, parse, type Command } from './command.ts';
import { parseLimit, withStore } from './store-access.ts';

export const eventsCommand: Command = {
  name: 'events',
  usage: `lianjie events list (--tenant <id> | --suite <id>) [--type <type>] [--limit <n>] [--json] [--config <file>]

  --tenant <id>        events of this tenant
  --suite <id>         suite events not attributed to a tenant (suite_ticket, create_auth, …)
  --type <type>        only this canonical type, e.g. wecom.external_contact.add
  --limit <n>          at most n events (default 50)
  --json               one JSON object per line instead of a table
  --config, -c <file>  host config (default ./lianjie.config.json, else the embedded demo config)`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      ...configOption,
      tenant: { type: 'string' }, suite: { type: 'string' }, type: { type: 'string' },
      limit: { type: 'string' }, json: { type: 'boolean' },
    });
    if (positionals[0] !== 'list' || positionals.length > 1) throw new Error(`usage: ${this.usage.split('\n')[0]}`);
    if (!values.tenant === !values.suite) throw new Error('give exactly one of --tenant <id> or --suite <id>');
    const limit = parseLimit(values.limit);
    await withStore(values.config, async (store) => {
      const events = await store.listEvents({ tenantId: values.tenant, suiteId: values.suite, type: values.type, limit });
      if (values.json) {
        for (const event of events) console.log(JSON.stringify(event));
      } else if (events.length === 0) {
        console.log('no events');
      } else {
        for (const e of events) console.log(`${e.receivedAt}  ${e.type.padEnd(36)}  ${e.id}  ${summarise(e.data)}`);
      }
    });
    return 0;
  },
};

function summarise(data: Record<string, unknown>): string {
  const text = JSON.stringify(data);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
