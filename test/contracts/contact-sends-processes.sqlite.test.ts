// The contact quota on one SQLite file shared by several processes: better-sqlite3 runs each transaction to the end
// before anything else in its process, so only separate processes can race. Four of them take 15 slots each for one
// customer, limit 20: exactly 20 pass.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/src/store/open.ts';
import { freshTempDir, type TempDir } from '../support/tmp.ts';

const run = promisify(execFile);
const storeModule = path.resolve(import.meta.dirname, '../../core/src/store/open.ts');

const child = `
  const { openStore } = await import(${JSON.stringify(storeModule)});
  const [database, name] = process.argv.slice(-2);
  const store = openStore(database);
  const windows = [{ name: 'day', since: 0, limit: 20 }];
  const verdicts = await Promise.all(Array.from({ length: 15 }, (_, i) =>
    store.contactSends().take({ tenantId: 'acme', contactId: 'wm_race', key: name + ':' + i, sentAt: 1000 + i }, windows)));
  await store.close();
  console.log(verdicts.filter((v) => v.ok && v.counted).length);
`;

describe('contact sends across processes on one SQLite file', () => {
  let tmp: TempDir;
  let database: string;
  beforeAll(async () => {
    tmp = await freshTempDir('lianjie-quota-procs-');
    database = `file:${tmp.file('quota.db')}`;
    const store = openStore(database);
    await store.migrate();
    await store.close();
  });
  afterAll(() => tmp?.remove());

  it('never lets more than the limit through', async () => {
    const outputs = await Promise.all(['p1', 'p2', 'p3', 'p4'].map((name) =>
      run(process.execPath, ['--no-node-snapshot', '--input-type=module', '-e', child, database, name], { encoding: 'utf8' })));
    const counted = outputs.map((o) => Number(o.stdout.trim()));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(20);
    const store = openStore(database);
    try {
      expect(await store.contactSends().list('acme', 'wm_race', 0)).toHaveLength(20);
    } finally {
      await store.close();
    }
  }, 60_000);
});
