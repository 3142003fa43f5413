// One transaction on one pooled connection, and what to do with that connection when it fails.
import type pg from 'pg';

/**
 * Runs `work` between BEGIN and COMMIT on a connection of its own. After a failure the connection may be lost, or
 * still busy with a timed-out statement (a ROLLBACK would queue behind it): it is released with the error, so the
 * pool closes it instead of reusing it, and the server aborts the open transaction when the session ends.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    client.release(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}
