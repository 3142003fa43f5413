// openStore picks the dialect from the database setting and prepares a SQLite file's folder.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../core/src/store/open.ts';
import type { Store } from '../../core/src/store/types.ts';
import { freshTempDir, type TempDir } from '../support/tmp.ts';

describe('openStore', () => {
  const opened: Store[] = [];
  const dirs: TempDir[] = [];
  const open = (database: string): Store => {
    const store = openStore(database);
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    for (const d of dirs.splice(0)) await d.remove();
  });

  it('opens PostgreSQL for postgres:// and postgresql:// URLs without connecting yet', () => {
    expect(open('postgres://nobody@127.0.0.1:1/none').dialect).toBe('postgres');
    expect(open('postgresql://nobody@127.0.0.1:1/none').dialect).toBe('postgres');
  });

  it('opens SQLite for :memory:, file: and bare paths, creating missing folders', async () => {
    const dir = await freshTempDir();
    dirs.push(dir);
    const memory = open(':memory:');
    expect(memory.dialect).toBe('sqlite');
    await memory.migrate();
    expect(await memory.ready()).toBe(true);

    const viaScheme = open(`file:${dir.file('a/b/x.db')}`);
    await viaScheme.migrate();
    expect(existsSync(dir.file('a/b/x.db'))).toBe(true);

    const bare = open(dir.file('c/y.db'));
    expect(bare.dialect).toBe('sqlite');
    expect(existsSync(dir.file('c'))).toBe(true);

    const url = open(new URL(`file://${dir.file('d/z.db')}`).href);
    await url.migrate();
    expect(existsSync(dir.file('d/z.db'))).toBe(true);
  });

  it('refuses other schemes with config.invalid and no password in the message', () => {
    expect(() => openStore('mysql://root:hunter2@db/x')).toThrow(expect.objectContaining({ code: 'config.invalid' }));
    expect(() => openStore('mysql://root:hunter2@db/x')).toThrow(/^(?!.*hunter2)/);
  });
});
