// `lianjie inbox list`: the stored callback envelopes by status, so dead letters (and a backlog) can be seen.
import type { InboxStatus } from '../store/types.ts';
import { configOption, parse, type Command } from './command.ts';
import { parseLimit, withStore } from './store-access.ts';

const statuses: InboxStatus[] = ['dead', 'pending', 'done'];

export const inboxCommand: Command = {
  name: 'inbox',
  usage: `lianjie inbox list [--status dead|pending|done] [--limit <n>] [--json] [--config <file>]

  --status <s>         which envelopes (default dead: verified callbacks that could not be decoded, with the reason)
  --limit <n>          at most n, oldest first (default 50)
  --json               one JSON object per line (without the ciphertext) instead of a table
  --config, -c <file>  host config (default ./lianjie.config.json, else the embedded demo config)`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      ...configOption, status: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' },
    });
    if (positionals[0] !== 'list' || positionals.length > 1) throw new Error(`usage: ${this.usage.split('\n')[0]}`);
    const status = (values.status ?? 'dead') as InboxStatus;
    if (!statuses.includes(status)) throw new Error(`--status must be one of ${statuses.join(', ')}, got "${values.status}"`);
    const limit = parseLimit(values.limit);
    await withStore(values.config, async (store) => {
      const rows = await store.listInbox(status, limit);
      for (const { encrypt: _ciphertext, ...row } of rows) {
        const where = row.route === 'suite' ? `suite ${row.suiteId}` : `${row.tenantId}/${row.appId}`;
        const reason = row.errorCode ? `${row.errorCode}: ${row.errorMessage}` : row.eventId ?? '';
        console.log(values.json ? JSON.stringify(row) : `${new Date(row.receivedAt).toISOString()}  ${row.id}  ${where.padEnd(20)}  ${reason}`);
      }
      if (rows.length === 0 && !values.json) console.log(`no ${status} envelopes`);
    });
    return 0;
  },
};
