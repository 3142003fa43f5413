// Throwaway PostgreSQL databases for tests, on the server DATABASE_URL points at (suites skip when it is unset).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Set to run the PostgreSQL suites, e.g. postgres://postgres@127.0.0.1:5432/test. */
export const postgresUrl: string | undefined = process.env.DATABASE_URL || undefined;

export interface FreshPostgresDatabase {
  /** A URL for the new database: DATABASE_URL with its database name replaced. */
  url: string;
  drop(): Promise<void>;
}

export async function freshPostgresDatabase(): Promise<FreshPostgresDatabase> {
  if (!postgresUrl) throw new Error('DATABASE_URL is not set; guard the suite with describe.skipIf(!postgresUrl)');
  const name = `lianjie_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin(postgresUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      // FORCE ends connections a test forgot to close, which would otherwise make DROP fail.
      await admin(postgresUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

async function admin(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
