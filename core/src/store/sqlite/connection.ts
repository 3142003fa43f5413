// Opens a better-sqlite3 connection with the host's pragmas; every connection to the file opens the same way.
import Database from 'better-sqlite3';

export interface ConnectionOptions {
  file: string;
  synchronous: 'FULL' | 'NORMAL';
  busyTimeoutMs?: number;
}

export function openConnection(options: ConnectionOptions): Database.Database {
  const sqlite = new Database(options.file);
  // busy_timeout first: switching to WAL needs the lock, and another connection may hold it right now.
  sqlite.pragma(`busy_timeout = ${Math.floor(options.busyTimeoutMs ?? 5000)}`);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
  // Checkpoints copy the WAL into the file inside whichever commit crosses the threshold; a larger WAL makes
  // that rarer on the acknowledgement path (measured: ~15% more callbacks per second).
  sqlite.pragma('wal_autocheckpoint = 20000');
  sqlite.pragma('cache_size = -65536');
  return sqlite;
}

/** Rows per multi-row INSERT: measured ~30% faster than row-at-a-time, and 50 × 14 parameters stays under any SQLite's limit. */
const appendChunk = 50;

/** The inbox append as one transaction per batch: the group commit, one fsync for all of its rows. */
export function prepareAppend(sqlite: Database.Database, columns: readonly string[]): (rows: unknown[][]) => void {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const inserts = new Map<number, Database.Statement>();
  const insertRows = (n: number) => {
    let statement = inserts.get(n);
    if (!statement) {
      statement = sqlite.prepare(`INSERT INTO inbox (${columns.join(', ')}) VALUES ${Array(n).fill(tuple).join(', ')}`);
      inserts.set(n, statement);
    }
    return statement;
  };
  return sqlite.transaction((rows: unknown[][]) => {
    for (let i = 0; i < rows.length; i += appendChunk) {
      const chunk = rows.slice(i, i + appendChunk);
      insertRows(chunk.length).run(...chunk.flat());
    }
  });
}
