// COPY (SELECT ...) TO STDOUT on a pooled connection, piped into a sink with backpressure, and stopped on the
// server when the sink goes away (a client that disconnects, a CLI whose reader closed the pipe).
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import type { Database } from '../db/database';
import type { Logger } from '../logging/logger';

export interface CopyQuery {
  /** a SELECT that reads its parameters with current_setting('aftershock.<name>') */
  select: string;
  /**
   * Parameter values. COPY takes no bind parameters; rather than splice values into SQL they travel as
   * transaction-local settings, set through a parameterised set_config(). '' stands for "not given".
   */
  params: Record<string, string>;
}

/** How a COPY ended: it ran to the end, or it was stopped because its reader went away. */
export type CopyOutcome = { ended: 'complete'; rows: number } | { ended: 'cancelled'; reason: string };

const PARAM_NAME = /^[a-z_]+$/;
const QUERY_CANCELED = '57014';

/**
 * Run the query and pipe its COPY text output into `sink`. Resolves when the COPY is over and the
 * connection is back in the pool; rejects with a database error (after destroying `sink` with it).
 */
export async function copyOutInto(db: Database, query: CopyQuery, sink: Writable, logger: Logger): Promise<CopyOutcome> {
  const names = Object.keys(query.params);
  for (const n of names) if (!PARAM_NAME.test(n)) throw new Error(`bad COPY parameter name ${n}`);

  const client = await db.pool.connect();
  // A checked-out client whose connection dies (server restart, pg_terminate_backend) emits 'error', and the
  // pool listens only on idle ones: without this the process would crash. The COPY fails with it anyway.
  const onConnectionLost = (err: Error) => logger.warn({ err }, 'export connection lost');
  client.on('error', onConnectionLost);
  const release = (err?: Error) => {
    client.off('error', onConnectionLost);
    client.release(err);
  };
  let backendPid: number;
  try {
    // READ ONLY: an export never writes. extra_float_digits 1 = shortest exact float output (the default
    // since Postgres 12, set anyway in case a server is configured otherwise); DateStyle ISO = YYYY-MM-DD.
    await client.query('BEGIN READ ONLY');
    const settings = names.map((n, i) => `, set_config('aftershock.${n}', $${i + 1}, true)`).join('');
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pg_backend_pid() AS pid, set_config('extra_float_digits', '1', true), set_config('datestyle', 'ISO', true)${settings}`,
      names.map((n) => query.params[n]),
    );
    backendPid = rows[0].pid;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    release();
    throw e;
  }

  const copy = client.query(copyTo(`COPY (${query.select}) TO STDOUT`));
  let state: 'running' | 'cancelling' | 'over' = 'running';
  let cancelSent: Promise<void> = Promise.resolve();

  const outcome = await new Promise<CopyOutcome | Error>((resolve) => {
    copy.on('end', () => {
      state = 'over';
      resolve({ ended: 'complete', rows: copy.rowCount });
    });
    copy.on('error', (err: Error & { code?: string }) => {
      if (state === 'cancelling' && err.code === QUERY_CANCELED) {
        state = 'over';
        resolve({ ended: 'cancelled', reason: 'reader went away' });
        return;
      }
      state = 'over';
      sink.destroy(err);
      resolve(err);
    });
    sink.on('close', () => {
      if (state !== 'running') return;
      // The reader is gone before the COPY ended: cancel the query, then read (and drop) what the server
      // still sends. In that order: a backend blocked on a full socket acts on the cancel only once its write
      // completes, and reading first would let it run on at full speed while the cancel is on its way.
      state = 'cancelling';
      copy.unpipe(sink);
      cancelSent = cancelBackend(db.connectionString, backendPid)
        .catch((err) => logger.warn({ err, backendPid }, 'could not cancel an export query; it runs to its end'))
        .finally(() => copy.resume());
    });
    copy.pipe(sink);
  });

  // the cancel must have reached the server before this connection serves anyone else
  await cancelSent;
  try {
    await client.query(outcome instanceof Error || outcome.ended === 'cancelled' ? 'ROLLBACK' : 'COMMIT');
    release();
  } catch (e) {
    release(e as Error); // a connection that cannot end its transaction is discarded
  }
  if (outcome instanceof Error) throw outcome;
  return outcome;
}

/** pg_cancel_backend from a connection of its own: the pool may be full of exports. */
async function cancelBackend(connectionString: string, pid: number): Promise<void> {
  const canceller = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  await canceller.connect();
  try {
    await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await canceller.end();
  }
}
