// Opens the Store a `database` setting names: a postgres:// URL, or a SQLite file (file:<path>, a bare path, :memory:).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LianjieError } from '../errors.ts';
import { createPgStore } from './pg/store.ts';
import { createSqliteStore } from './sqlite/store.ts';
import type { Store } from './types.ts';

export interface OpenStoreOptions {
  /** SQLite only. Default FULL: appendInbox promises durability, which NORMAL gives up on power loss. */
  synchronous?: 'FULL' | 'NORMAL';
}

export function openStore(database: string, options: OpenStoreOptions = {}): Store {
  if (/^postgres(ql)?:\/\//i.test(database)) return createPgStore({ url: database });
  const file = sqliteFile(database);
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return createSqliteStore({ file, synchronous: options.synchronous ?? 'FULL' });
}

function sqliteFile(database: string): string {
  if (database === ':memory:') return database;
  if (/^file:\/\//i.test(database)) return fileURLToPath(database);
  if (/^file:/i.test(database)) return database.slice('file:'.length);
  // Anything else with a scheme is a database we do not speak, not a relative path named "mysql:".
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(database) || database === '') {
    throw new LianjieError('config.invalid', `database "${redact(database)}" is neither a postgres:// URL nor a SQLite file`);
  }
  return database;
}

/** Keeps a password in a URL out of error messages and logs. */
function redact(database: string): string {
  return database.replace(/\/\/[^@/]*@/, '//***@');
}
