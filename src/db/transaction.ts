// The one way into a transaction, after graphile-worker's withPgClient helpers: the work gets a client of its own,
// BEGIN before it, COMMIT after it, ROLLBACK on any error, and the client goes back to the pool whatever happens.
// Inside, the work uses only that client: taking a second pool connection while holding locks can deadlock the pool.
import type pg from 'pg';

/** What a store function needs to run SQL: the pool, or the client of a transaction. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/** Runs `work` in a transaction on a client of its own from `pool`. */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await inTransaction(client, work);
  } finally {
    client.release();
  }
}

/** Runs `work` in a transaction on a client the caller already holds (one that also holds a session lock, say). */
export async function inTransaction<C extends pg.ClientBase, T>(client: C, work: (client: C) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
